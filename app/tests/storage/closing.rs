//! Saving from the editor, grading at period close, corrections, carrying forward
//! and the summary. On both databases.

use app::storage::objectives::carry::carry_forward;
use app::storage::objectives::editing::{Placement, save_objective};
use app::storage::objectives::grading::{grading_lines, save_grades, summary};
use app::storage::periods::{NewPeriod, create_period, period, set_state};
use app::storage::{Db, StorageError};

use cairn::draft::{KeyResultDraft, ObjectiveDraft};
use cairn::grading::{Grade, GradeLine, grade_sheet};
use cairn::ids::{ObjectiveId, PeriodId};
use cairn::model::Owner;
use cairn::period::{PeriodKind, PeriodState, Span};

use crate::on_both;
use crate::support::*;

on_both!(
    the_editor_saves_an_objective_whole_or_not_at_all,
    grades_are_given_in_grading_and_corrected_only_by_admins,
    unfinished_work_is_carried_forward,
    same_version_writes_have_exactly_one_winner,
);

fn draft() -> ObjectiveDraft {
    ObjectiveDraft {
        title: "Serve every resident online".into(),
        commitment: "committed".into(),
        state: "active".into(),
        weight: "1".into(),
        key_results: vec![
            KeyResultDraft {
                title: "Forms online from 20 to 80".into(),
                kind: "metric".into(),
                direction: "increase".into(),
                start: "20".into(),
                target: "80".into(),
                weight: "1".into(),
                ..KeyResultDraft::default()
            },
            KeyResultDraft {
                title: "Launch the portal".into(),
                kind: "milestones".into(),
                weight: "1".into(),
                milestones: vec![(None, "Design".into()), (None, "Build".into())],
                ..KeyResultDraft::default()
            },
        ],
        initiatives: vec!["Ask residents".into()],
        ..ObjectiveDraft::default()
    }
}

async fn new_objective(db: &Db, period: PeriodId, owner: Owner) -> ObjectiveId {
    save_objective(
        db,
        None,
        Placement::New {
            period,
            owner,
            parent: None,
        },
        &draft().validate().unwrap(),
    )
    .await
    .unwrap()
    .objective
}

async fn the_editor_saves_an_objective_whole_or_not_at_all(db: Db) {
    let w = world(&db).await;
    let id = new_objective(&db, w.quarter, Owner::Unit(w.team)).await;
    assert_eq!(count(&db, "key_results").await, 2);
    assert_eq!(count(&db, "milestones").await, 2);
    assert_eq!(count(&db, "initiatives").await, 1);

    // Edit: rename a key result, drop the other, add a new one, keep the initiative.
    let (stored, mut edit) = app::storage::objectives::choices::draft_of(&db, id)
        .await
        .unwrap();
    assert_eq!(edit.key_results[0].start, "20");
    edit.key_results[0].title = "Forms online from 20 to 90".into();
    edit.key_results[0].target = "90".into();
    edit.key_results.remove(1);
    edit.key_results.push(KeyResultDraft {
        title: "Publish the plan".into(),
        kind: "binary".into(),
        weight: "2".into(),
        ..KeyResultDraft::default()
    });
    let saved = save_objective(
        &db,
        Some(w.anna),
        Placement::Existing {
            id,
            version: stored.version,
        },
        &edit.validate().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(saved.version, stored.version + 1);
    let (_, again) = app::storage::objectives::choices::draft_of(&db, id)
        .await
        .unwrap();
    let titles: Vec<_> = again.key_results.iter().map(|k| k.title.as_str()).collect();
    assert_eq!(titles, ["Forms online from 20 to 90", "Publish the plan"]);
    assert_eq!(
        count(&db, "milestones").await,
        0,
        "the milestone key result went with its milestones"
    );
    assert_eq!(again.initiatives, ["Ask residents"]);

    // A stale version, a kind change and another objective's key result: refused whole.
    let before = (
        count(&db, "key_results").await,
        count(&db, "audit_events").await,
    );
    let stale = save_objective(
        &db,
        None,
        Placement::Existing {
            id,
            version: stored.version,
        },
        &edit.validate().unwrap(),
    )
    .await;
    assert!(
        matches!(stale, Err(StorageError::Conflict { .. })),
        "{stale:?}"
    );
    let mut kind = again.clone();
    kind.key_results[1].kind = "metric".into();
    kind.key_results[1].direction = "increase".into();
    kind.key_results[1].start = "0".into();
    kind.key_results[1].target = "1".into();
    let refused = save_objective(
        &db,
        None,
        Placement::Existing {
            id,
            version: saved.version,
        },
        &kind.validate().unwrap(),
    )
    .await;
    assert!(matches!(refused, Err(StorageError::Rule(_))), "{refused:?}");
    let other = new_objective(&db, w.quarter, Owner::Person(w.bram)).await;
    let (_, theirs) = app::storage::objectives::choices::draft_of(&db, other)
        .await
        .unwrap();
    let mut foreign = again.clone();
    foreign.key_results[0].id = theirs.key_results[0].id;
    let refused = save_objective(
        &db,
        None,
        Placement::Existing {
            id,
            version: saved.version,
        },
        &foreign.validate().unwrap(),
    )
    .await;
    assert!(
        matches!(refused, Err(StorageError::NotFound { .. })),
        "{refused:?}"
    );
    let after_refusals = (
        count(&db, "key_results").await,
        count(&db, "audit_events").await,
    );
    assert_eq!(
        after_refusals.0,
        before.0 + 2,
        "only the other objective's two key results were added"
    );
    assert_eq!(after_refusals.1, before.1 + 1, "and its one audit row");
}

async fn move_to(db: &Db, id: PeriodId, to: PeriodState) {
    let p = period(db, id).await.unwrap();
    set_state(db, None, id, p.version, to).await.unwrap();
}

async fn grades_are_given_in_grading_and_corrected_only_by_admins(db: Db) {
    let w = world(&db).await;
    let id = new_objective(&db, w.quarter, Owner::Unit(w.team)).await;
    let lines = grading_lines(&db, id).await.unwrap();
    let krs: Vec<(i64, f64, Grade)> = lines
        .iter()
        .map(|l| (l.key_result, l.weight, Grade::parse(0.0).unwrap()))
        .collect();
    let sheet = grade_sheet(
        &[
            GradeLine {
                key_result: krs[0].0,
                grade: "0.5".into(),
                reason: "Half the forms moved".into(),
            },
            GradeLine {
                key_result: krs[1].0,
                grade: "0".into(),
                reason: String::new(),
            },
        ],
        "We started late.",
        &krs,
        cairn::numbers::NumberStyle::Plain,
    )
    .unwrap();
    let version = app::storage::objectives::objective(&db, id)
        .await
        .unwrap()
        .version;
    // Not yet: the period is active.
    let early = save_grades(&db, None, id, version, &sheet, false).await;
    assert!(matches!(early, Err(StorageError::Rule(_))), "{early:?}");
    move_to(&db, w.quarter, PeriodState::Grading).await;
    let stale = save_grades(&db, None, id, version - 1, &sheet, false).await;
    assert!(matches!(stale, Err(StorageError::Conflict { .. })));
    let graded = save_grades(&db, Some(w.anna), id, version, &sheet, false)
        .await
        .unwrap();
    assert_eq!(graded, version + 1);
    let stored = app::storage::objectives::objective(&db, id).await.unwrap();
    assert_eq!(stored.grade.map(Grade::get), Some(0.25));
    let lines = grading_lines(&db, id).await.unwrap();
    assert_eq!(lines[0].grade, Some(0.5));
    assert_eq!(lines[0].reason.as_deref(), Some("Half the forms moved"));

    // Closed: read-only, except an admin's correction, which is audited as such.
    move_to(&db, w.quarter, PeriodState::Closed).await;
    let refused = save_grades(&db, Some(w.anna), id, graded, &sheet, false).await;
    assert!(
        matches!(refused, Err(StorageError::ClosedPeriod)),
        "{refused:?}"
    );
    save_grades(&db, Some(w.bram), id, graded, &sheet, true)
        .await
        .unwrap();
    let corrections = app::storage::audit::list(
        &db,
        &app::storage::audit::AuditFilter {
            action: Some(cairn::audit::Action::ObjectiveGradeCorrection),
            limit: 10,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(corrections.len(), 1);
    assert_eq!(
        corrections[0].actor.as_ref().map(|a| a.1.as_str()),
        Some("Bram Jansen")
    );
    assert_eq!(corrections[0].entity_id, id.0);

    let rows = summary(&db, w.quarter).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].red, rows[0].yellow, rows[0].green), (1, 0, 0));
    assert_eq!((rows[0].committed_met, rows[0].committed_graded), (0, 1));
}

async fn unfinished_work_is_carried_forward(db: Db) {
    let w = world(&db).await;
    let id = new_objective(&db, w.quarter, Owner::Unit(w.team)).await;
    let next = create_period(
        &db,
        None,
        NewPeriod {
            kind: PeriodKind::Quarter,
            name: cairn::values::Name::parse("2026 Q3").unwrap(),
            span: Some(Span::quarter(2026, 3).unwrap()),
            parent: Some(w.year),
            state: PeriodState::Planning,
        },
    )
    .await
    .unwrap();
    let early = carry_forward(&db, None, id, next.id).await;
    assert!(
        matches!(early, Err(StorageError::Rule(_))),
        "only from grading or closed: {early:?}"
    );
    move_to(&db, w.quarter, PeriodState::Grading).await;
    let copy = carry_forward(&db, Some(w.anna), id, next.id).await.unwrap();
    let stored = app::storage::objectives::objective(&db, copy)
        .await
        .unwrap();
    assert_eq!(stored.period, next.id);
    assert_eq!(stored.state.as_str(), "draft");
    assert_eq!(
        grading_lines(&db, copy).await.unwrap().len(),
        2,
        "both key results were unfinished"
    );
    let (_, copied) = app::storage::objectives::choices::draft_of(&db, copy)
        .await
        .unwrap();
    assert_eq!(
        copied.key_results[1].milestones.len(),
        2,
        "open milestones came along"
    );
    let into_closed = carry_forward(&db, None, id, w.quarter).await;
    assert!(into_closed.is_err());
    let twice = carry_forward(&db, None, id, next.id).await;
    assert!(
        matches!(twice, Err(StorageError::Rule(cairn::rules::Rule::AlreadyCarried { copy: c })) if c == copy),
        "a second carry names the first copy: {twice:?}"
    );
    let links = app::storage::objectives::carry::links(&db, id)
        .await
        .unwrap();
    assert_eq!(links.to.map(|(o, _)| o), Some(copy.0));
    let back = app::storage::objectives::carry::links(&db, copy)
        .await
        .unwrap();
    assert_eq!(back.from.map(|(o, _)| o), Some(id.0));
}

/// Of `n` writers sent at once, each with the same version, how many won; every
/// other one must have been told of the conflict.
async fn race<F, T>(n: usize, write: impl Fn(usize) -> F) -> usize
where
    F: std::future::Future<Output = Result<T, StorageError>> + Send + 'static,
    T: Send + 'static,
{
    let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(write(i))).collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(StorageError::Conflict { .. }) => {}
            Err(other) => panic!("a loser is told of the conflict, not {other:?}"),
        }
    }
    won
}

async fn changes_of(db: &Db, action: cairn::audit::Action, id: i64) -> usize {
    app::storage::audit::list(
        db,
        &app::storage::audit::AuditFilter {
            action: Some(action),
            entity_id: Some(id),
            limit: 500,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .len()
}

async fn same_version_writes_have_exactly_one_winner(db: Db) {
    let w = world(&db).await;
    let id = new_objective(&db, w.quarter, Owner::Unit(w.team)).await;
    let version = app::storage::objectives::objective(&db, id)
        .await
        .unwrap()
        .version;
    // The editor: eight saves made on the same version.
    let won = race(8, |i| {
        let db = db.clone();
        async move {
            let mut edit = draft();
            edit.title = format!("Serve every resident online, take {i}");
            save_objective(
                &db,
                None,
                Placement::Existing { id, version },
                &edit.validate().unwrap(),
            )
            .await
        }
    })
    .await;
    assert_eq!(won, 1, "one editor save wins");
    assert_eq!(
        changes_of(&db, cairn::audit::Action::ObjectiveUpdate, id.0).await,
        1
    );
    let stored = app::storage::objectives::objective(&db, id).await.unwrap();
    assert_eq!(stored.version, version + 1);

    // Moves: eight on the same version, each under another new parent.
    let mut parents = Vec::new();
    for i in 0..8 {
        parents.push(new_objective(&db, w.year, Owner::Unit(w.org)).await);
        let _ = i;
    }
    let version = stored.version;
    let won = race(8, |i| {
        let (db, parent) = (db.clone(), parents[i]);
        async move {
            app::storage::objectives::alignment::place(
                &db,
                None,
                id,
                version,
                Some(cairn::alignment::Parent::Objective(parent)),
                None,
            )
            .await
        }
    })
    .await;
    assert_eq!(won, 1, "one move wins");
    assert_eq!(changes_of(&db, cairn::audit::Action::Move, id.0).await, 1);

    // A period's state: eight at once from active to grading.
    let quarter = period(&db, w.quarter).await.unwrap();
    let won = race(8, |_| {
        let db = db.clone();
        async move { set_state(&db, None, w.quarter, quarter.version, PeriodState::Grading).await }
    })
    .await;
    assert_eq!(won, 1, "one state change wins");
    assert_eq!(
        changes_of(&db, cairn::audit::Action::PeriodState, w.quarter.0).await,
        1
    );

    // Grades: eight sheets on the same version.
    let lines = grading_lines(&db, id).await.unwrap();
    let krs: Vec<(i64, f64, Grade)> = lines
        .iter()
        .map(|l| (l.key_result, l.weight, Grade::parse(0.0).unwrap()))
        .collect();
    let version = app::storage::objectives::objective(&db, id)
        .await
        .unwrap()
        .version;
    let won = race(8, |i| {
        let (db, krs) = (db.clone(), krs.clone());
        async move {
            let lines: Vec<GradeLine> = krs
                .iter()
                .map(|(kr, _, _)| GradeLine {
                    key_result: *kr,
                    grade: format!("0.{i}"),
                    reason: "Graded in a race".into(),
                })
                .collect();
            let sheet = grade_sheet(&lines, "", &krs, cairn::numbers::NumberStyle::Plain).unwrap();
            save_grades(&db, None, id, version, &sheet, false).await
        }
    })
    .await;
    assert_eq!(won, 1, "one grading sheet wins");
    assert_eq!(
        changes_of(&db, cairn::audit::Action::ObjectiveGrade, id.0).await,
        1
    );
}
