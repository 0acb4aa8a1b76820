//! Many writers at once: no lost update, every check-in kept, roll-ups right.

use super::*;

crate::on_both!(
    concurrent_writers_lose_no_update,
    concurrent_check_ins_are_all_kept,
    concurrent_check_ins_on_sibling_key_results_roll_up_correctly,
    a_refused_check_in_among_many_takes_none_of_the_others_with_it,
);

async fn concurrent_writers_lose_no_update(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Contested").await;
    // Ten writers all read version 1; exactly one may win.
    let mut tasks = Vec::new();
    for i in 0..10 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let edit = ObjectiveEdit {
                title: Some(title(&format!("Writer {i}"))),
                ..Default::default()
            };
            update_objective(&db, None, o.id, 1, edit).await
        }));
    }
    let mut winners = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(objective) => winners.push(objective.title.as_str().to_string()),
            Err(StorageError::Conflict { .. }) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one writer wins");
    let stored = objective(&db, o.id).await.unwrap();
    assert_eq!(
        stored.title.as_str(),
        winners[0],
        "the winner's write is the one stored"
    );
    assert_eq!(stored.version, 2);

    // Writers who re-read before writing all get through, one after another.
    let mut tasks = Vec::new();
    for i in 0..8 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let current = objective(&db, o.id).await.unwrap();
                let edit = ObjectiveEdit {
                    weight: Some(weight(1.0 + f64::from(i))),
                    ..Default::default()
                };
                match update_objective(&db, None, o.id, current.version, edit).await {
                    Ok(_) => return,
                    Err(StorageError::Conflict { .. }) => continue,
                    Err(other) => panic!("unexpected {other:?}"),
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(
        objective(&db, o.id).await.unwrap().version,
        2 + 8,
        "every retried write landed"
    );
}

async fn concurrent_check_ins_are_all_kept(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Busy").await;
    let kr = create_key_result(&db, None, new_kr(o.id, "Counter", 1.0))
        .await
        .unwrap();
    let events = count(&db, "events").await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            record_check_in(&db, check_in(kr.id, f64::from(i), 5)).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(history(&db, kr.id).await.unwrap().len(), 40);
    assert_eq!(count(&db, "events").await, events + 40);
    assert_eq!(
        key_result(&db, kr.id).await.unwrap().version,
        1 + 40,
        "every check-in bumped the version once"
    );
}

async fn concurrent_check_ins_on_sibling_key_results_roll_up_correctly(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Siblings").await;
    let mut krs = Vec::new();
    for i in 0..8 {
        krs.push(
            create_key_result(&db, None, new_kr(o.id, &format!("KR {i}"), 1.0))
                .await
                .unwrap()
                .id,
        );
    }
    let mut tasks = Vec::new();
    for (i, kr) in krs.iter().copied().enumerate() {
        let db = db.clone();
        // KR i ends at (i + 1) * 10 %.
        tasks.push(tokio::spawn(async move {
            record_check_in(&db, check_in(kr, (i as f64 + 1.0) * 10.0, 5)).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    // Mean of 10, 20, ... 80 % is 45 %: the cached roll-up saw every check-in.
    assert_eq!(objective(&db, o.id).await.unwrap().progress.percent(), 45);
}

/// Check-ins arriving together share a transaction: one refused on its own
/// merits is answered with its refusal, and the others are all stored.
async fn a_refused_check_in_among_many_takes_none_of_the_others_with_it(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Mixed").await;
    let kr = create_key_result(&db, None, new_kr(o.id, "Counter", 1.0))
        .await
        .unwrap();
    let missing = cairn::ids::KeyResultId(kr.id.0 + 1_000_000);
    let events = count(&db, "events").await;
    let mut tasks = Vec::new();
    for i in 0..32 {
        let db = db.clone();
        let target = if i % 4 == 3 { missing } else { kr.id };
        tasks.push(tokio::spawn(async move {
            (
                target,
                record_check_in(&db, check_in(target, f64::from(i), 5)).await,
            )
        }));
    }
    for task in tasks {
        match task.await.unwrap() {
            (target, Ok(_)) => assert_eq!(target, kr.id),
            (target, Err(StorageError::NotFound { .. })) => assert_eq!(target, missing),
            (_, Err(other)) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(history(&db, kr.id).await.unwrap().len(), 24);
    assert_eq!(count(&db, "events").await, events + 24);
    assert_eq!(key_result(&db, kr.id).await.unwrap().version, 1 + 24);
}
