//! Deleting an objective: its key results, check-ins and comments go with it; the
//! objectives aligned to it stay and go where the person deleting chose. On both
//! databases.

use app::storage::Db;
use app::storage::StorageError;
use app::storage::comments::add_comment;
use app::storage::key_results::check_ins::record_check_in;
use app::storage::notices as store;
use app::storage::objectives::alignment::align;
use app::storage::objectives::objective;
use app::storage::objectives::removal::{Orphans, delete_objective, reach};
use app::storage::reads::parent;
use cairn::alignment::Parent;
use cairn::audit::{Action, Entity};
use cairn::ids::ObjectiveId;
use cairn::model::Owner;
use cairn::values::LongText;

use crate::on_both;
use crate::support::*;

on_both!(
    aligned_objectives_go_up_to_the_deleted_ones_parent,
    aligned_objectives_may_be_left_at_the_top,
    a_stale_or_closed_objective_is_not_deleted
);

/// An organisation objective, a team objective aligned to it with a key result,
/// a check-in and a comment, and two objectives aligned to the team one (one to
/// it, one to its key result). Returns (top, middle, children).
async fn cascade(db: &Db, w: &World) -> (ObjectiveId, ObjectiveId, [ObjectiveId; 2]) {
    let top = make_objective(db, w.quarter, Owner::Unit(w.org), "Betere dienstverlening").await;
    let middle = make_objective(db, w.quarter, Owner::Unit(w.team), "Snellere vergunningen").await;
    let middle = align(
        db,
        None,
        middle.id,
        middle.version,
        Some(Parent::Objective(top.id)),
    )
    .await
    .unwrap();
    let kr = create_key_result(db, None, crate::new_kr(middle.id, "Doorlooptijd", 1.0))
        .await
        .unwrap();
    record_check_in(db, crate::check_in(kr.id, 40.0, 7))
        .await
        .unwrap();
    let body = LongText::parse("Goed bezig").unwrap();
    add_comment(db, &store::NoMail, w.anna, middle.id, None, &body)
        .await
        .unwrap();
    let a = make_objective(db, w.quarter, Owner::Person(w.anna), "Aanvragen digitaal").await;
    align(
        db,
        None,
        a.id,
        a.version,
        Some(Parent::Objective(middle.id)),
    )
    .await
    .unwrap();
    let b = make_objective(db, w.quarter, Owner::Person(w.bram), "Wachttijd omlaag").await;
    align(db, None, b.id, b.version, Some(Parent::KeyResult(kr.id)))
        .await
        .unwrap();
    (top.id, middle.id, [a.id, b.id])
}

async fn aligned_objectives_go_up_to_the_deleted_ones_parent(db: Db) {
    let w = world(&db).await;
    let (top, middle, children) = cascade(&db, &w).await;
    let seen = reach(&db, middle).await.unwrap();
    assert_eq!((seen.key_results, seen.check_ins, seen.comments), (1, 1, 1));
    assert_eq!(seen.children.len(), 2);
    assert_eq!(seen.parent.as_ref().map(|(_, id, _)| *id), Some(top));

    let (objectives, key_results, check_ins, comments) = (
        count(&db, "objectives").await,
        count(&db, "key_results").await,
        count(&db, "check_ins").await,
        count(&db, "comments").await,
    );
    let version = objective(&db, middle).await.unwrap().version;
    delete_objective(&db, Some(w.anna), middle, version, Orphans::ToParent)
        .await
        .unwrap();
    assert!(matches!(
        objective(&db, middle).await,
        Err(StorageError::NotFound { .. })
    ));
    assert_eq!(count(&db, "objectives").await, objectives - 1);
    assert_eq!(count(&db, "key_results").await, key_results - 1);
    assert_eq!(count(&db, "check_ins").await, check_ins - 1);
    assert_eq!(count(&db, "comments").await, comments - 1);
    for child in children {
        let (above, _) = parent(&db, child).await.unwrap().expect("still aligned");
        assert_eq!(above.id, top, "aligned one level up");
    }

    let trail = |action: Action| {
        let db = db.clone();
        async move {
            app::storage::audit::list(
                &db,
                &app::storage::audit::AuditFilter {
                    entity: Some(Entity::Objective),
                    action: Some(action),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
        }
    };
    let deleted = trail(Action::ObjectiveDelete).await;
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].entity_id, middle.0);
    assert!(
        deleted[0]
            .before
            .as_deref()
            .unwrap()
            .contains("Snellere vergunningen")
    );
    let moved: Vec<i64> = trail(Action::Move)
        .await
        .iter()
        .filter(|row| row.actor.as_ref().is_some_and(|(id, _)| *id == w.anna.0))
        .map(|row| row.entity_id)
        .collect();
    assert_eq!(moved.len(), 2, "each child's move is on record");
}

async fn aligned_objectives_may_be_left_at_the_top(db: Db) {
    let w = world(&db).await;
    let (_, middle, children) = cascade(&db, &w).await;
    let versions: Vec<i64> = {
        let mut v = Vec::new();
        for child in children {
            v.push(objective(&db, child).await.unwrap().version);
        }
        v
    };
    let version = objective(&db, middle).await.unwrap().version;
    delete_objective(&db, None, middle, version, Orphans::Unaligned)
        .await
        .unwrap();
    for (child, before) in children.into_iter().zip(versions) {
        assert!(parent(&db, child).await.unwrap().is_none());
        assert_eq!(
            objective(&db, child).await.unwrap().version,
            before + 1,
            "a page holding the old version cannot move it blindly"
        );
    }
}

async fn a_stale_or_closed_objective_is_not_deleted(db: Db) {
    let w = world(&db).await;
    let (_, middle, children) = cascade(&db, &w).await;
    let version = objective(&db, middle).await.unwrap().version;
    let stale = delete_objective(&db, None, middle, version - 1, Orphans::ToParent).await;
    assert!(
        matches!(stale, Err(StorageError::Conflict { .. })),
        "{stale:?}"
    );
    assert!(objective(&db, middle).await.is_ok());
    assert_eq!(
        parent(&db, children[0]).await.unwrap().unwrap().0.id,
        middle
    );

    let period = app::storage::periods::period(&db, w.quarter).await.unwrap();
    let period = app::storage::periods::set_state(
        &db,
        None,
        w.quarter,
        period.version,
        cairn::period::PeriodState::Grading,
    )
    .await
    .unwrap();
    app::storage::periods::set_state(
        &db,
        None,
        w.quarter,
        period.version,
        cairn::period::PeriodState::Closed,
    )
    .await
    .unwrap();
    let closed = delete_objective(&db, None, middle, version, Orphans::ToParent).await;
    assert!(
        matches!(closed, Err(StorageError::ClosedPeriod)),
        "{closed:?}"
    );
    assert!(objective(&db, middle).await.is_ok());
}
