//! The alignment tree: no loops, periods in order, moves that keep their history.

use app::storage::now_ms;
use app::storage::objectives::alignment::{align, place};
use app::storage::reads::period_tree;
use cairn::alignment::{AlignmentError, Parent};
use cairn::model::Objective;

use super::*;

crate::on_both!(
    loops_in_the_cascade_are_refused,
    a_quarter_aligns_to_its_year_never_the_reverse,
    moves_keep_history_and_the_past_tree_can_be_rebuilt,
    a_move_touches_only_its_siblings_in_its_own_period,
);

async fn loops_in_the_cascade_are_refused(db: Db) {
    let w = world(&db).await;
    let top = make_objective(&db, w.quarter, Owner::Unit(w.org), "Top").await;
    let mut middle = support::new_objective(w.quarter, Owner::Unit(w.team), "Middle");
    middle.parent = Some(Parent::Objective(top.id));
    let middle = create_objective(&db, None, middle).await.unwrap();
    let kr = create_key_result(&db, None, new_kr(middle.id, "Middle KR", 1.0))
        .await
        .unwrap();
    let links = count(&db, "alignments").await;
    let top = objective(&db, top.id).await.unwrap();

    let to_kr = align(
        &db,
        None,
        top.id,
        top.version,
        Some(Parent::KeyResult(kr.id)),
    )
    .await;
    assert!(
        matches!(
            &to_kr,
            Err(StorageError::Alignment(AlignmentError::Cycle { .. }))
        ),
        "{to_kr:?}"
    );
    let to_self = align(
        &db,
        None,
        top.id,
        top.version,
        Some(Parent::Objective(top.id)),
    )
    .await;
    assert!(matches!(
        to_self,
        Err(StorageError::Alignment(AlignmentError::SelfAlignment))
    ));
    assert_eq!(count(&db, "alignments").await, links, "nothing was stored");
    assert_eq!(objective(&db, top.id).await.unwrap().version, top.version);
}

async fn a_quarter_aligns_to_its_year_never_the_reverse(db: Db) {
    let w = world(&db).await;
    let yearly = make_objective(&db, w.year, Owner::Unit(w.org), "Year goal").await;
    let quarterly = make_objective(&db, w.quarter, Owner::Unit(w.team), "Quarter goal").await;
    align(
        &db,
        None,
        quarterly.id,
        quarterly.version,
        Some(Parent::Objective(yearly.id)),
    )
    .await
    .unwrap();
    let refused = align(
        &db,
        None,
        yearly.id,
        yearly.version,
        Some(Parent::Objective(quarterly.id)),
    )
    .await;
    assert!(
        matches!(
            &refused,
            Err(StorageError::Alignment(AlignmentError::PeriodOrder))
        ),
        "{refused:?}"
    );
}

async fn moves_keep_history_and_the_past_tree_can_be_rebuilt(db: Db) {
    let w = world(&db).await;
    let a = make_objective(&db, w.quarter, Owner::Unit(w.org), "A").await;
    let b = make_objective(&db, w.quarter, Owner::Unit(w.org), "B").await;
    let child = make_objective(&db, w.quarter, Owner::Unit(w.team), "Child").await;
    let child = align(
        &db,
        None,
        child.id,
        child.version,
        Some(Parent::Objective(a.id)),
    )
    .await
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let between = now_ms();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let child = align(
        &db,
        None,
        child.id,
        child.version,
        Some(Parent::Objective(b.id)),
    )
    .await
    .unwrap();

    let now = period_tree(&db, w.quarter, None).await.unwrap();
    assert_eq!(now.tree.children(b.id), &[child.id]);
    assert!(now.tree.children(a.id).is_empty());
    let then = period_tree(&db, w.quarter, Some(between)).await.unwrap();
    assert_eq!(
        then.tree.children(a.id),
        &[child.id],
        "the old link is kept, closed"
    );
    assert!(then.tree.children(b.id).is_empty());
    assert_eq!(count(&db, "alignments").await, 2);

    // Detaching makes it a root again.
    align(&db, None, child.id, child.version, None)
        .await
        .unwrap();
    let detached = period_tree(&db, w.quarter, None).await.unwrap();
    assert!(detached.tree.roots().contains(&child.id));
}

async fn a_move_touches_only_its_siblings_in_its_own_period(db: Db) {
    let w = world(&db).await;
    let yearly = make_objective(&db, w.year, Owner::Unit(w.org), "Year goal").await;
    let aligned = |o: Objective| {
        let db = db.clone();
        async move {
            align(
                &db,
                None,
                o.id,
                o.version,
                Some(Parent::Objective(yearly.id)),
            )
            .await
            .unwrap()
        }
    };
    // A year objective under the same parent: of another period, so no sibling.
    let year_child =
        aligned(make_objective(&db, w.year, Owner::Unit(w.org), "Year part").await).await;
    let mut kids = Vec::new();
    for name in ["Q one", "Q two", "Q three"] {
        kids.push(aligned(make_objective(&db, w.quarter, Owner::Unit(w.team), name).await).await);
    }
    let loose = make_objective(&db, w.quarter, Owner::Unit(w.team), "Loose").await;
    let state = |id: ObjectiveId| {
        let db = db.clone();
        async move {
            let o = objective(&db, id).await.unwrap();
            (o.position, o.version)
        }
    };
    let others = [yearly.id, year_child.id, kids[0].id, kids[1].id, loose.id];
    let mut before = Vec::new();
    for id in others {
        before.push(state(id).await);
    }
    let audit = count(&db, "audit_events").await;
    // "Q three" to the front, then back to the end.
    let front = place(
        &db,
        None,
        kids[2].id,
        kids[2].version,
        Some(Parent::Objective(yearly.id)),
        Some(0),
    )
    .await
    .unwrap();
    assert_eq!(front.siblings, vec![kids[2].id, kids[0].id, kids[1].id]);
    let back = place(
        &db,
        None,
        kids[2].id,
        front.objective.version,
        Some(Parent::Objective(yearly.id)),
        Some(2),
    )
    .await
    .unwrap();
    assert_eq!(back.siblings, vec![kids[0].id, kids[1].id, kids[2].id]);
    let mut after = Vec::new();
    for id in others {
        after.push(state(id).await);
    }
    assert_eq!(
        after, before,
        "nothing else moved, nothing else was versioned"
    );
    assert_eq!(
        count(&db, "audit_events").await,
        audit + 2,
        "one audit row per move"
    );

    // Squeezed between the same two neighbours until there is no room: then the
    // siblings spread out again, each change versioned and audited, and still
    // nothing of another period moves.
    let mut moving = back.objective;
    for _ in 0..12 {
        let to = if moving.position > kids[0].position {
            1
        } else {
            2
        };
        let moved = place(
            &db,
            None,
            moving.id,
            moving.version,
            Some(Parent::Objective(yearly.id)),
            Some(to),
        )
        .await
        .unwrap();
        moving = moved.objective;
    }
    let order = period_tree(&db, w.quarter, None).await.unwrap();
    let listed = order.tree.children(yearly.id);
    assert_eq!(listed.len(), 3, "{listed:?}");
    for id in [yearly.id, year_child.id, loose.id] {
        let was = before[others.iter().position(|o| *o == id).unwrap()];
        assert_eq!(
            state(id).await,
            was,
            "objective {id:?} of another period or parent"
        );
    }
    let repositioned = app::storage::audit::list(
        &db,
        &app::storage::audit::AuditFilter {
            action: Some(cairn::audit::Action::Reposition),
            limit: 500,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .len() as i64;
    let bumped = {
        let a = objective(&db, kids[0].id).await.unwrap();
        let b = objective(&db, kids[1].id).await.unwrap();
        (a.version - kids[0].version) + (b.version - kids[1].version)
    };
    assert_eq!(
        repositioned, bumped,
        "every renumbered sibling has its audit row"
    );
}
