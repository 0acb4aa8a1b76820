//! Moving objectives among siblings, and the live event log every change feeds.

use app::live::LiveChange;
use app::live::server::Hub;
use app::storage::audit::{AuditFilter, list};
use app::storage::events;
use app::storage::objectives::alignment::{align, place};
use app::storage::reads::period_tree;
use cairn::alignment::{AlignmentError, Parent};
use cairn::audit::{Action, Entity};

use super::*;

crate::on_both!(
    placing_reorders_siblings_and_tells_open_pages,
    a_stale_or_looping_move_stores_nothing,
    the_hub_sends_each_committed_event_once_in_order,
);

async fn placing_reorders_siblings_and_tells_open_pages(db: Db) {
    let w = world(&db).await;
    let top = make_objective(&db, w.quarter, Owner::Unit(w.org), "Top").await;
    let mut kids = Vec::new();
    for name in ["One", "Two", "Three"] {
        let o = make_objective(&db, w.quarter, Owner::Unit(w.team), name).await;
        let o = align(&db, None, o.id, o.version, Some(Parent::Objective(top.id)))
            .await
            .unwrap();
        kids.push(o);
    }
    let order = |db: &Db| {
        let db = db.clone();
        async move {
            period_tree(&db, w.quarter, None)
                .await
                .unwrap()
                .tree
                .children(top.id)
                .to_vec()
        }
    };
    assert_eq!(order(&db).await, vec![kids[0].id, kids[1].id, kids[2].id]);
    let before = events::latest(&db).await.unwrap();

    // "Three" to the front.
    let moved = place(
        &db,
        None,
        kids[2].id,
        kids[2].version,
        Some(Parent::Objective(top.id)),
        Some(0),
    )
    .await
    .unwrap();
    assert_eq!(moved.siblings, vec![kids[2].id, kids[0].id, kids[1].id]);
    assert_eq!(moved.objective.version, kids[2].version + 1);
    assert_eq!(
        order(&db).await,
        moved.siblings,
        "the stored order is the answered one"
    );

    let sent = events::after(&db, before, 10).await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].kind, "move");
    let Ok(LiveChange::Moved(change)) = serde_json::from_str(&sent[0].payload) else {
        panic!("a reorder is sent as a move: {}", sent[0].payload);
    };
    assert_eq!(
        change.siblings,
        vec![kids[2].id.0, kids[0].id.0, kids[1].id.0]
    );
    assert_eq!(change.version, moved.objective.version);
    assert_eq!(change.parent, Some(Parent::Objective(top.id)));
    assert_eq!(
        actions_on(&db, kids[2].id.0).await.first(),
        Some(&Action::Reorder)
    );

    // The same place again changes nothing and writes nothing.
    let audit = count(&db, "audit_events").await;
    let again = place(
        &db,
        None,
        kids[2].id,
        moved.objective.version,
        Some(Parent::Objective(top.id)),
        Some(0),
    )
    .await
    .unwrap();
    assert_eq!(again.objective.version, moved.objective.version);
    assert_eq!(count(&db, "audit_events").await, audit);

    // To the top level, second place: a move, with the old link kept closed.
    let links = count(&db, "alignments").await;
    let detached = place(&db, None, kids[0].id, kids[0].version, None, Some(1))
        .await
        .unwrap();
    assert_eq!(detached.parent, None);
    assert_eq!(detached.siblings[1], kids[0].id);
    assert_eq!(
        count(&db, "alignments").await,
        links,
        "the old link closes, no new one opens"
    );
    let last = events::after(&db, sent[0].id, 10).await.unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!(last[0].kind, "move");
    let Ok(LiveChange::Moved(change)) = serde_json::from_str(&last[0].payload) else {
        panic!("a move is sent as one: {}", last[0].payload);
    };
    assert_eq!(change.parent, None);
    assert_eq!(
        actions_on(&db, kids[0].id.0).await.first(),
        Some(&Action::Move)
    );
    assert_eq!(events::latest(&db).await.unwrap(), last[0].id);
}

/// What the audit trail says happened to an objective, newest first.
async fn actions_on(db: &Db, objective: i64) -> Vec<Action> {
    let filter = AuditFilter {
        entity: Some(Entity::Objective),
        entity_id: Some(objective),
        limit: 50,
        ..Default::default()
    };
    list(db, &filter)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.action)
        .collect()
}

async fn a_stale_or_looping_move_stores_nothing(db: Db) {
    let w = world(&db).await;
    let top = make_objective(&db, w.quarter, Owner::Unit(w.org), "Top").await;
    let child = make_objective(&db, w.quarter, Owner::Unit(w.team), "Child").await;
    let child = align(
        &db,
        None,
        child.id,
        child.version,
        Some(Parent::Objective(top.id)),
    )
    .await
    .unwrap();
    let (audit, events_before, links) = (
        count(&db, "audit_events").await,
        events::latest(&db).await.unwrap(),
        count(&db, "alignments").await,
    );
    let stale = place(&db, None, child.id, child.version - 1, None, Some(0)).await;
    assert!(
        matches!(stale, Err(StorageError::Conflict { .. })),
        "{stale:?}"
    );
    let looping = place(
        &db,
        None,
        top.id,
        top.version,
        Some(Parent::Objective(child.id)),
        Some(0),
    )
    .await;
    assert!(
        matches!(
            looping,
            Err(StorageError::Alignment(AlignmentError::Cycle { .. }))
        ),
        "{looping:?}"
    );
    let missing = place(&db, None, ObjectiveId(987_654), 1, None, Some(0)).await;
    assert!(
        matches!(missing, Err(StorageError::NotFound { .. })),
        "{missing:?}"
    );
    let huge_index = place(
        &db,
        None,
        child.id,
        child.version,
        Some(Parent::Objective(top.id)),
        Some(usize::MAX),
    )
    .await;
    assert!(
        huge_index.is_ok(),
        "an index past the end means last: {huge_index:?}"
    );
    assert_eq!(count(&db, "audit_events").await, audit);
    assert_eq!(events::latest(&db).await.unwrap(), events_before);
    assert_eq!(count(&db, "alignments").await, links);
}

async fn the_hub_sends_each_committed_event_once_in_order(db: Db) {
    let w = world(&db).await;
    let hub = Hub::start(db.clone()).await.unwrap();
    let mut receiver = hub.subscribe();
    let start = hub.mark();
    let mut made = Vec::new();
    for name in ["A", "B", "C"] {
        made.push(make_objective(&db, w.quarter, Owner::Unit(w.org), name).await);
    }
    let first = made[0].clone();
    align(
        &db,
        None,
        made[1].id,
        made[1].version,
        Some(Parent::Objective(first.id)),
    )
    .await
    .unwrap();
    let written = events::after(&db, start, 100).await.unwrap();
    assert_eq!(written.len(), 4, "three creations and a move");
    let mut got = Vec::new();
    while got.len() < written.len() {
        let sent = tokio::time::timeout(std::time::Duration::from_secs(5), receiver.recv())
            .await
            .expect("the hub sends within seconds")
            .unwrap();
        assert!(
            sent.mark <= sent.event.id,
            "the mark never runs ahead of what was sent"
        );
        got.push(sent.event.id);
    }
    assert_eq!(got, written.iter().map(|e| e.id).collect::<Vec<_>>());
    assert!(
        tokio::time::timeout(std::time::Duration::from_millis(1500), receiver.recv())
            .await
            .is_err(),
        "nothing is sent twice"
    );
    assert_eq!(hub.mark(), written.last().unwrap().id);
    hub.close();
}
