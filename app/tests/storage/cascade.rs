//! The alignment tree: no loops, periods in order, moves that keep their history.

use app::storage::alignment::align;
use app::storage::now_ms;
use app::storage::queries::period_tree;
use cairn::alignment::{AlignmentError, Parent};

use super::*;

crate::on_both!(
    loops_in_the_cascade_are_refused,
    a_quarter_aligns_to_its_year_never_the_reverse,
    moves_keep_history_and_the_past_tree_can_be_rebuilt,
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
