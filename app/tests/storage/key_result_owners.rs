//! A key result answers to a person and may have a day it is due; only people in
//! the organisation now may be given one. On both databases.

use app::storage::Db;
use app::storage::StorageError;
use app::storage::key_results::key_result;
use app::storage::objectives::objective;
use app::storage::org::admin::set_person_active;
use app::storage::org::person;
use cairn::ids::PersonId;
use cairn::model::Owner;
use cairn::rules::Rule;

use crate::on_both;
use crate::support::*;

on_both!(a_key_result_answers_to_an_active_person_by_a_day);

async fn a_key_result_answers_to_an_active_person_by_a_day(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Snellere vergunningen").await;
    let due = chrono::NaiveDate::from_ymd_opt(2026, 6, 15);
    // Without owner and day first: the statement's parameters keep one type
    // whether they are NULL or not (PostgreSQL remembers the first).
    for _ in 0..3 {
        create_key_result(&db, None, crate::new_kr(o.id, "Aanvragen digitaal", 1.0))
            .await
            .unwrap();
    }
    let kr = create_key_result(
        &db,
        None,
        NewKeyResult {
            owner: Some(w.anna),
            due,
            ..crate::new_kr(o.id, "Doorlooptijd onder 8 weken", 1.0)
        },
    )
    .await
    .unwrap();
    let stored = key_result(&db, kr.id).await.unwrap();
    assert_eq!((stored.owner, stored.due), (Some(w.anna), due));

    // Someone who left, or nobody at all, is refused and nothing is stored.
    let version = person(&db, w.bram).await.unwrap().version;
    set_person_active(&db, None, w.bram, version, false)
        .await
        .unwrap();
    let krs = count(&db, "key_results").await;
    for owner in [w.bram, PersonId(987_654)] {
        let refused = create_key_result(
            &db,
            None,
            NewKeyResult {
                owner: Some(owner),
                ..crate::new_kr(o.id, "Klanttevredenheid", 1.0)
            },
        )
        .await;
        assert!(
            matches!(refused, Err(StorageError::Rule(Rule::OwnerNotActive))),
            "{owner:?}: {refused:?}"
        );
        assert_eq!(count(&db, "key_results").await, krs);
    }

    // An owner who leaves later does not block editing the objective.
    let version = person(&db, w.anna).await.unwrap().version;
    set_person_active(&db, None, w.anna, version, false)
        .await
        .unwrap();
    let current = objective(&db, o.id).await.unwrap();
    update_objective(
        &db,
        None,
        o.id,
        current.version,
        ObjectiveEdit {
            title: Some(title("Vergunningen binnen 8 weken")),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(key_result(&db, kr.id).await.unwrap().owner, Some(w.anna));
}
