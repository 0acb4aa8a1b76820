//! One's own newest check-in, corrected or deleted: the key result's reading and the
//! objective's roll-up follow, the trail records it, open pages hear of it, and
//! nobody else's check-in or an older one can be touched. On both databases.

use app::live::LiveChange;
use app::storage::Db;
use app::storage::StorageError;
use app::storage::key_results::amend::{Amendment, amend_check_in};
use app::storage::key_results::check_ins::{history, record_check_in};
use app::storage::key_results::{key_result, milestones};
use app::storage::objectives::objective;
use app::storage::periods::set_state;
use cairn::ids::{CheckInId, PersonId};
use cairn::key_result::{Measure, MilestoneState, Reading};
use cairn::model::Owner;
use cairn::period::PeriodState;
use cairn::rules::Rule;
use cairn::values::{Confidence, LongText, Value, Weight};

use crate::on_both;
use crate::support::*;

on_both!(
    the_newest_check_in_is_corrected_or_deleted_by_its_author,
    milestones_follow_a_deleted_check_in,
    amending_is_refused_once_grading_starts
);

fn correct(value: f64, confidence: i64, note: &str) -> Amendment {
    Amendment::Correct {
        reading: Reading::Metric(Value::parse(value).unwrap()),
        confidence: Confidence::parse(confidence).unwrap(),
        note: Some(LongText::parse(note).unwrap()),
    }
}

async fn by(db: &Db, kr: cairn::ids::KeyResultId, who: PersonId, value: f64) -> CheckInId {
    let mut c = crate::check_in(kr, value, 6);
    c.author = Some(who);
    record_check_in(db, c).await.unwrap().check_in
}

async fn last_live(db: &Db) -> LiveChange {
    let latest = app::storage::events::latest(db).await.unwrap();
    let events = app::storage::events::after(db, latest - 1, 1)
        .await
        .unwrap();
    serde_json::from_str(&events[0].payload).unwrap()
}

async fn the_newest_check_in_is_corrected_or_deleted_by_its_author(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Snellere vergunningen").await;
    let kr = create_key_result(&db, None, crate::new_kr(o.id, "Aanvragen digitaal", 1.0))
        .await
        .unwrap();
    create_key_result(&db, None, crate::new_kr(o.id, "Doorlooptijd", 1.0))
        .await
        .unwrap();
    by(&db, kr.id, w.anna, 30.0).await;
    let typo = by(&db, kr.id, w.anna, 600.0).await;
    assert_eq!(
        key_result(&db, kr.id).await.unwrap().progress.percent(),
        100
    );

    // Anna meant 60.
    let (audits, check_ins) = (
        count(&db, "audit_events").await,
        count(&db, "check_ins").await,
    );
    let done = amend_check_in(&db, typo, w.anna, correct(60.0, 8, "60, niet 600"))
        .await
        .unwrap();
    assert_eq!(done.key_result_progress.percent(), 60);
    assert_eq!(done.objective_progress.ratio(), 0.3);
    assert_eq!(objective(&db, o.id).await.unwrap().progress.ratio(), 0.3);
    let stored = key_result(&db, kr.id).await.unwrap();
    assert_eq!(
        stored.reading,
        Some(Reading::Metric(Value::parse(60.0).unwrap()))
    );
    assert_eq!(stored.confidence.map(Confidence::get), Some(8));
    let h = history(&db, kr.id).await.unwrap();
    assert_eq!(h.len(), 2, "a correction replaces, it does not add");
    assert_eq!(h[1].id, typo);
    assert_eq!(h[1].note.as_ref().unwrap().as_str(), "60, niet 600");
    assert_eq!(count(&db, "check_ins").await, check_ins);
    assert_eq!(count(&db, "audit_events").await, audits + 1);
    let trail = app::storage::audit::list(
        &db,
        &app::storage::audit::AuditFilter {
            entity_id: Some(kr.id.0),
            action: Some(cairn::audit::Action::CheckInCorrect),
            limit: 10,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].actor.as_ref().map(|(id, _)| *id), Some(w.anna.0));
    assert!(
        trail[0]
            .before
            .as_deref()
            .is_some_and(|b| b.contains("600"))
    );
    let LiveChange::CheckIn(change) = last_live(&db).await else {
        panic!("a correction moves the bars on open pages");
    };
    assert_eq!((change.progress, change.withdrawn), (0.6, None));

    // Bram may not touch Anna's check-in; nothing changes.
    let audits = count(&db, "audit_events").await;
    let refused = amend_check_in(&db, typo, w.bram, Amendment::Delete).await;
    assert!(
        matches!(refused, Err(StorageError::Rule(Rule::NotYourCheckIn))),
        "{refused:?}"
    );
    // Once Bram has checked in after her, Anna's is no longer the newest.
    let brams = by(&db, kr.id, w.bram, 70.0).await;
    let refused = amend_check_in(&db, typo, w.anna, correct(65.0, 8, "toch 65")).await;
    assert!(
        matches!(refused, Err(StorageError::Rule(Rule::NotNewestCheckIn))),
        "{refused:?}"
    );
    assert_eq!(
        count(&db, "audit_events").await,
        audits + 1,
        "only Bram's check-in"
    );
    assert_eq!(
        history(&db, kr.id).await.unwrap()[1]
            .note
            .as_ref()
            .unwrap()
            .as_str(),
        "60, niet 600"
    );

    // Bram takes his back: Anna's corrected 60 counts again, and pages count one fewer.
    let done = amend_check_in(&db, brams, w.bram, Amendment::Delete)
        .await
        .unwrap();
    assert_eq!(done.key_result_progress.percent(), 60);
    assert_eq!(objective(&db, o.id).await.unwrap().progress.ratio(), 0.3);
    let LiveChange::CheckIn(change) = last_live(&db).await else {
        panic!("a deletion moves the bars on open pages");
    };
    assert_eq!(change.withdrawn, Some(brams.0));
    let stored = key_result(&db, kr.id).await.unwrap();
    assert_eq!(stored.confidence.map(Confidence::get), Some(8));
    assert_eq!(history(&db, kr.id).await.unwrap().len(), 2);

    // Anna deletes both of hers: the key result is as if never checked in.
    for id in history(&db, kr.id)
        .await
        .unwrap()
        .iter()
        .rev()
        .map(|c| c.id)
    {
        amend_check_in(&db, id, w.anna, Amendment::Delete)
            .await
            .unwrap();
    }
    let stored = key_result(&db, kr.id).await.unwrap();
    assert_eq!(
        (stored.reading, stored.confidence, stored.last_check_in_ms),
        (None, None, None)
    );
    assert_eq!(stored.progress.ratio(), 0.0);
    assert_eq!(objective(&db, o.id).await.unwrap().progress.ratio(), 0.0);
    let gone = amend_check_in(&db, typo, w.anna, Amendment::Delete).await;
    assert!(
        matches!(gone, Err(StorageError::NotFound { .. })),
        "{gone:?}"
    );

    // A reading of another kind is refused.
    let again = by(&db, kr.id, w.anna, 10.0).await;
    let wrong = amend_check_in(
        &db,
        again,
        w.anna,
        Amendment::Correct {
            reading: Reading::Binary(true),
            confidence: Confidence::parse(5).unwrap(),
            note: None,
        },
    )
    .await;
    assert!(
        matches!(wrong, Err(StorageError::Rule(Rule::ReadingKind))),
        "{wrong:?}"
    );
}

async fn milestones_follow_a_deleted_check_in(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Nieuw portaal").await;
    let mut steps = crate::new_kr(o.id, "Portaal live", 1.0);
    steps.measure = Measure::Milestones;
    steps.milestones = vec![title("Ontwerp"), title("Bouw"), title("Livegang")];
    let steps = create_key_result(&db, None, steps).await.unwrap();
    let ids: Vec<_> = milestones(&db, steps.id)
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    let done = |n: usize| {
        Reading::Milestones(
            ids[..n]
                .iter()
                .map(|id| MilestoneState {
                    id: *id,
                    weight: Weight::ONE,
                    done: true,
                })
                .collect(),
        )
    };
    for n in [1, 2] {
        let mut c = crate::check_in(steps.id, 0.0, 7);
        c.author = Some(w.anna);
        c.reading = done(n);
        record_check_in(&db, c).await.unwrap();
    }
    let newest = history(&db, steps.id).await.unwrap()[1].id;
    let two = key_result(&db, steps.id).await.unwrap().progress.ratio();
    assert!((two - 2.0 / 3.0).abs() < 1e-9, "{two}");

    // Corrected to all three, then deleted: back to the first milestone alone.
    let corrected = amend_check_in(
        &db,
        newest,
        w.anna,
        Amendment::Correct {
            reading: done(3),
            confidence: Confidence::parse(9).unwrap(),
            note: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(corrected.key_result_progress.percent(), 100);
    amend_check_in(&db, newest, w.anna, Amendment::Delete)
        .await
        .unwrap();
    let states = milestones(&db, steps.id).await.unwrap();
    let flags: Vec<bool> = states.iter().map(|m| m.done_at_ms.is_some()).collect();
    assert_eq!(flags, [true, false, false]);
    let one = key_result(&db, steps.id).await.unwrap().progress.ratio();
    assert!((one - 1.0 / 3.0).abs() < 1e-9, "{one}");
}

async fn amending_is_refused_once_grading_starts(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Beoordeeld").await;
    let kr = create_key_result(&db, None, crate::new_kr(o.id, "Klaar", 1.0))
        .await
        .unwrap();
    let last = by(&db, kr.id, w.anna, 40.0).await;
    let period = app::storage::periods::period(&db, w.quarter).await.unwrap();
    set_state(&db, None, w.quarter, period.version, PeriodState::Grading)
        .await
        .unwrap();
    let refused = amend_check_in(&db, last, w.anna, Amendment::Delete).await;
    assert!(
        matches!(refused, Err(StorageError::Rule(Rule::CheckInWhileGrading))),
        "{refused:?}"
    );
    assert_eq!(history(&db, kr.id).await.unwrap().len(), 1);
}
