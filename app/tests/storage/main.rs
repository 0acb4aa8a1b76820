//! One storage story, told against SQLite and against PostgreSQL.

mod accounts;
mod amend;
mod browse;
mod cascade;
mod closing;
mod concurrency;
mod exchange;
mod key_result_owners;
mod live;
mod notices;
mod planning;
mod removal;
mod sheets;
mod support;
mod upgrades;
mod writers;

use app::storage::key_results::check_ins::{NewCheckIn, history, record_check_in};
use app::storage::key_results::key_result;
use app::storage::objectives::objective;
use app::storage::periods::set_state;
use app::storage::reads::{person_objectives, unit_objectives};
use app::storage::search::{HitKind, contexts, search};
use app::storage::{Db, StorageError};
use cairn::ids::{KeyResultId, MilestoneId, ObjectiveId};
use cairn::key_result::{Direction, Measure, MilestoneState, Reading};
use cairn::model::{Owner, Source};
use cairn::period::PeriodState;
use cairn::values::{Confidence, LongText, Value};
use support::*;

on_both!(
    a_units_objectives_come_with_their_key_results,
    a_check_in_moves_progress_and_writes_audit_and_event,
    a_stale_version_is_a_conflict_and_writes_nothing,
    history_lists_check_ins_oldest_first,
    a_closed_period_refuses_changes,
    search_finds_objectives_key_results_people_and_units,
    bad_references_are_refused,
    a_persons_okrs_include_key_results_they_own,
    a_duration_is_kept_in_seconds_and_read_back_as_one,
    milestones_count_by_weight,
    check_ins_with_and_without_a_value_share_one_statement,
);

fn metric(start: f64, target: f64) -> Measure {
    Measure::metric(
        Value::parse(start).unwrap(),
        Value::parse(target).unwrap(),
        Direction::Increase,
        None,
    )
    .unwrap()
}

fn new_kr(objective: ObjectiveId, text: &str, w: f64) -> NewKeyResult {
    NewKeyResult {
        objective,
        title: title(text),
        measure: metric(0.0, 100.0),
        weight: weight(w),
        milestones: vec![],
        owner: None,
        due: None,
    }
}

fn check_in(kr: KeyResultId, value: f64, confidence: i64) -> NewCheckIn {
    NewCheckIn {
        key_result: kr,
        author: None,
        reading: Reading::Metric(Value::parse(value).unwrap()),
        confidence: Confidence::parse(confidence).unwrap(),
        note: None,
        source: Source::Ui,
        through: None,
    }
}

async fn a_units_objectives_come_with_their_key_results(db: Db) {
    let w = world(&db).await;
    let first = make_objective(
        &db,
        w.quarter,
        Owner::Unit(w.team),
        "Open data voor iedereen",
    )
    .await;
    let second = make_objective(&db, w.quarter, Owner::Unit(w.team), "Faster permits").await;
    make_objective(&db, w.quarter, Owner::Unit(w.org), "Somebody else's").await;
    create_key_result(&db, None, new_kr(first.id, "Datasets published", 1.0))
        .await
        .unwrap();
    create_key_result(&db, None, new_kr(first.id, "API uptime", 2.0))
        .await
        .unwrap();

    let okrs = unit_objectives(&db, w.team, w.quarter).await.unwrap();
    let titles: Vec<&str> = okrs.iter().map(|o| o.objective.title.as_str()).collect();
    assert_eq!(titles, ["Open data voor iedereen", "Faster permits"]);
    assert_eq!(okrs[0].key_results.len(), 2);
    assert_eq!(okrs[0].key_results[0].title.as_str(), "Datasets published");
    assert!(okrs[1].key_results.is_empty());
    assert_eq!(okrs[1].objective.id, second.id);
}

async fn a_check_in_moves_progress_and_writes_audit_and_event(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Open data").await;
    let a = create_key_result(&db, None, new_kr(o.id, "Datasets", 3.0))
        .await
        .unwrap();
    create_key_result(&db, None, new_kr(o.id, "Uptime", 1.0))
        .await
        .unwrap();
    let (audits, events) = (count(&db, "audit_events").await, count(&db, "events").await);
    let version = key_result(&db, a.id).await.unwrap().version;

    let receipt = record_check_in(&db, check_in(a.id, 50.0, 7)).await.unwrap();
    assert_eq!(receipt.key_result_progress.percent(), 50);
    // 3 * 0.5 + 1 * 0 over 4.
    assert_eq!(receipt.objective_progress.ratio(), 0.375);
    assert_eq!(objective(&db, o.id).await.unwrap().progress.ratio(), 0.375);
    let kr = key_result(&db, a.id).await.unwrap();
    assert_eq!(kr.confidence.map(Confidence::get), Some(7));
    assert_eq!(kr.version, version + 1);
    assert_eq!(count(&db, "audit_events").await, audits + 1);
    assert_eq!(count(&db, "events").await, events + 1);
    assert!(receipt.event > 0);
}

async fn a_stale_version_is_a_conflict_and_writes_nothing(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Original").await;
    let edit = |text: &str| ObjectiveEdit {
        title: Some(title(text)),
        ..Default::default()
    };
    let updated = update_objective(&db, None, o.id, o.version, edit("First edit"))
        .await
        .unwrap();
    assert_eq!(updated.version, o.version + 1);
    let audits = count(&db, "audit_events").await;

    let stale = update_objective(&db, None, o.id, o.version, edit("Second edit")).await;
    assert!(
        matches!(
            stale,
            Err(StorageError::Conflict {
                expected: 1,
                current: 2,
                ..
            })
        ),
        "{stale:?}"
    );
    assert_eq!(
        objective(&db, o.id).await.unwrap().title.as_str(),
        "First edit"
    );
    assert_eq!(count(&db, "audit_events").await, audits);

    let missing = update_objective(&db, None, ObjectiveId(999_999), 1, edit("x")).await;
    assert!(
        matches!(missing, Err(StorageError::NotFound { .. })),
        "{missing:?}"
    );
}

async fn history_lists_check_ins_oldest_first(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "History").await;
    let kr = create_key_result(&db, None, new_kr(o.id, "Steps", 1.0))
        .await
        .unwrap();
    for (value, note) in [(10.0, "week 1"), (25.0, "week 2"), (40.0, "wéék 3 ✓")] {
        let mut c = check_in(kr.id, value, 6);
        c.note = Some(LongText::parse(note).unwrap());
        record_check_in(&db, c).await.unwrap();
    }
    let h = history(&db, kr.id).await.unwrap();
    let values: Vec<_> = h.iter().map(|c| c.reading.clone()).collect();
    assert_eq!(
        values,
        [10.0, 25.0, 40.0].map(|v| Reading::Metric(Value::parse(v).unwrap()))
    );
    assert_eq!(h[2].note.as_ref().unwrap().as_str(), "wéék 3 ✓");
}

async fn a_closed_period_refuses_changes(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Closing").await;
    let kr = create_key_result(&db, None, new_kr(o.id, "Done", 1.0))
        .await
        .unwrap();
    let period = app::storage::periods::period(&db, w.quarter).await.unwrap();
    let period = set_state(&db, None, w.quarter, period.version, PeriodState::Grading)
        .await
        .unwrap();
    set_state(&db, None, w.quarter, period.version, PeriodState::Closed)
        .await
        .unwrap();
    let check_ins = count(&db, "check_ins").await;

    let refused = record_check_in(&db, check_in(kr.id, 100.0, 10)).await;
    assert!(
        matches!(&refused, Err(StorageError::ClosedPeriod)),
        "{refused:?}"
    );
    let refused = create_objective(
        &db,
        None,
        support::new_objective(w.quarter, Owner::Unit(w.team), "Late"),
    )
    .await;
    assert!(matches!(refused, Err(StorageError::ClosedPeriod)));
    assert_eq!(count(&db, "check_ins").await, check_ins);

    let skip = set_state(&db, None, w.year, 1, PeriodState::Closed).await;
    assert!(
        matches!(skip, Err(StorageError::Rule(_))),
        "active cannot jump to closed"
    );
}

async fn search_finds_objectives_key_results_people_and_units(db: Db) {
    let w = world(&db).await;
    let o = make_objective(
        &db,
        w.quarter,
        Owner::Unit(w.team),
        "Klanttevredenheid verhogen",
    )
    .await;
    create_key_result(&db, None, new_kr(o.id, "Net promoter score above 40", 1.0))
        .await
        .unwrap();

    let hits = search(&db, "klant", 10).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].kind, hits[0].id), (HitKind::Objective, o.id.0));
    let hits = search(&db, "promoter sco", 10).await.unwrap();
    assert_eq!(
        hits.iter().map(|h| h.kind).collect::<Vec<_>>(),
        [HitKind::KeyResult]
    );
    let hits = search(&db, "Anna", 10).await.unwrap();
    assert_eq!(
        (hits[0].kind, hits[0].title.as_str()),
        (HitKind::Person, "Anna de Vries")
    );
    // Units are found by name, and every hit comes with what tells it apart.
    let hits = search(&db, "team dat", 10).await.unwrap();
    assert_eq!(
        hits.iter().map(|h| (h.kind, h.id)).collect::<Vec<_>>(),
        [(HitKind::Unit, w.team.0)]
    );
    let mut hits = search(&db, "klant", 10).await.unwrap();
    hits.extend(search(&db, "promoter", 10).await.unwrap());
    hits.extend(search(&db, "team data", 10).await.unwrap());
    let contexts = contexts(&db, &hits).await.unwrap();
    let of = |kind: HitKind, id: i64| contexts.get(&(kind, id)).cloned().unwrap_or_default();
    let objective_context = of(HitKind::Objective, o.id.0);
    assert_eq!(objective_context.owner.as_deref(), Some("Team Data"));
    assert_eq!(
        objective_context.period,
        Some(("2026 Q2".to_string(), PeriodState::Active))
    );
    let kr_context = of(HitKind::KeyResult, hits[1].id);
    assert_eq!(kr_context.objective, Some(o.id.0));
    assert_eq!(kr_context.owner.as_deref(), Some("Team Data"));
    assert_eq!(
        of(HitKind::Unit, w.team.0).owner.as_deref(),
        Some("Gemeente Oosterhout"),
        "a unit's parent"
    );
    // Search syntax in the input is just text.
    assert!(search(&db, "\"klant* OR) NEAR(", 10).await.is_ok());
    assert!(search(&db, "   ", 10).await.unwrap().is_empty());
    assert!(search(&db, "nothinglikethis", 10).await.unwrap().is_empty());

    // Renamed objectives are found by their new title only.
    update_objective(
        &db,
        None,
        o.id,
        objective(&db, o.id).await.unwrap().version,
        ObjectiveEdit {
            title: Some(title("Snellere vergunningen")),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(
        search(&db, "klanttevredenheid", 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(search(&db, "vergunning", 10).await.unwrap().len(), 1);
}

async fn bad_references_are_refused(db: Db) {
    let w = world(&db).await;
    let objectives = count(&db, "objectives").await;
    let orphan = create_objective(
        &db,
        None,
        support::new_objective(
            w.quarter,
            Owner::Unit(cairn::ids::UnitId(424_242)),
            "Orphan",
        ),
    )
    .await;
    assert!(
        matches!(orphan, Err(StorageError::NotFound { .. })),
        "{orphan:?}"
    );
    let no_period = create_objective(
        &db,
        None,
        support::new_objective(cairn::ids::PeriodId(9_999), Owner::Unit(w.team), "x"),
    )
    .await;
    assert!(matches!(no_period, Err(StorageError::NotFound { .. })));
    assert_eq!(count(&db, "objectives").await, objectives);

    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Real").await;
    let kr_missing = record_check_in(&db, check_in(KeyResultId(777_777), 1.0, 5)).await;
    assert!(matches!(kr_missing, Err(StorageError::NotFound { .. })));
    let kr = create_key_result(&db, None, new_kr(o.id, "Metric", 1.0))
        .await
        .unwrap();
    let mut wrong_kind = check_in(kr.id, 1.0, 5);
    wrong_kind.reading = Reading::Binary(true);
    assert!(matches!(
        record_check_in(&db, wrong_kind).await,
        Err(StorageError::Rule(_))
    ));
}

async fn a_persons_okrs_include_key_results_they_own(db: Db) {
    let w = world(&db).await;
    let own = make_objective(&db, w.quarter, Owner::Person(w.anna), "Anna's own").await;
    let team = make_objective(&db, w.quarter, Owner::Unit(w.team), "Team goal").await;
    imported_key_result(&db, team.id, Some(w.anna), &[]).await;
    make_objective(&db, w.quarter, Owner::Person(w.bram), "Bram's").await;

    let okrs = person_objectives(&db, w.anna, w.quarter).await.unwrap();
    let ids: Vec<ObjectiveId> = okrs.iter().map(|o| o.objective.id).collect();
    assert_eq!(ids, [own.id, team.id]);
}

async fn milestones_count_by_weight(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Launch").await;
    let kr = imported_key_result(&db, o.id, None, &[("Design", 1.0), ("Build", 3.0)]).await;
    let ms = app::storage::key_results::milestones(&db, kr.id)
        .await
        .unwrap();
    let done = |id: MilestoneId| MilestoneState {
        id,
        weight: weight(1.0),
        done: true,
    };

    let mut c = check_in(kr.id, 0.0, 8);
    c.reading = Reading::Milestones(vec![done(ms[0].id)]);
    assert_eq!(
        record_check_in(&db, c)
            .await
            .unwrap()
            .key_result_progress
            .percent(),
        25
    );

    let mut foreign = check_in(kr.id, 0.0, 8);
    foreign.reading = Reading::Milestones(vec![done(MilestoneId(987_654))]);
    assert!(matches!(
        record_check_in(&db, foreign).await,
        Err(StorageError::Rule(_))
    ));
}

/// Milestone check-ins store no value (NULL), metric check-ins do; both run the same
/// INSERT, and alternating them keeps every value.
async fn check_ins_with_and_without_a_value_share_one_statement(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Mixed").await;
    let mut steps = new_kr(o.id, "Steps", 1.0);
    steps.measure = Measure::Milestones;
    steps.milestones = vec![title("One"), title("Two")];
    let steps = create_key_result(&db, None, steps).await.unwrap();
    let metric_kr = create_key_result(&db, None, new_kr(o.id, "Metric", 1.0))
        .await
        .unwrap();
    for round in 0..12 {
        let mut c = check_in(steps.id, 0.0, 6);
        c.reading = Reading::Milestones(vec![]);
        record_check_in(&db, c).await.unwrap();
        record_check_in(&db, check_in(metric_kr.id, f64::from(round) + 0.5, 6))
            .await
            .unwrap();
    }
    assert_eq!(history(&db, metric_kr.id).await.unwrap().len(), 12);
    assert_eq!(
        key_result(&db, metric_kr.id).await.unwrap().reading,
        Some(Reading::Metric(Value::parse(11.5).unwrap()))
    );
}

/// A duration key result is stored as seconds and comes back a duration: through
/// saving the objective again, a check-in and the editor's draft.
async fn a_duration_is_kept_in_seconds_and_read_back_as_one(db: Db) {
    let w = world(&db).await;
    let o = make_objective(
        &db,
        w.quarter,
        Owner::Unit(w.team),
        "Klanten sneller geholpen",
    )
    .await;
    let seconds = |s: f64| Value::parse(s).unwrap();
    let mut answer = new_kr(o.id, "Gemiddelde wachttijd aan de telefoon", 1.0);
    answer.measure =
        Measure::duration(seconds(270.0), seconds(150.0), Direction::Decrease).unwrap();
    let answer = create_key_result(&db, None, answer).await.unwrap();
    // Saving the objective again (with one more key result) keeps its kind.
    create_key_result(&db, None, new_kr(o.id, "Tevredenheid", 1.0))
        .await
        .unwrap();
    let stored = key_result(&db, answer.id).await.unwrap();
    assert_eq!(
        stored.measure,
        Measure::Duration {
            start: seconds(270.0),
            target: seconds(150.0),
            direction: Direction::Decrease
        }
    );
    let receipt = record_check_in(&db, check_in(answer.id, 210.0, 7))
        .await
        .unwrap();
    assert_eq!(receipt.key_result_progress.percent(), 50);
    let (_, draft) = app::storage::objectives::choices::draft_of(&db, o.id)
        .await
        .unwrap();
    let shown = draft.written_in(cairn::numbers::NumberStyle::Comma);
    let row = shown
        .key_results
        .iter()
        .find(|k| k.kind == "duration")
        .unwrap();
    assert_eq!((row.start.as_str(), row.target.as_str()), ("4:30", "2:30"));
    let report = app::storage::verify::verify(&db).await.unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}
