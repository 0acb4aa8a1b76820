//! The reads the browsing pages make: the unit line, names, and a period's figures.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use app::error::AppError;
use app::storage::Db;
use app::storage::key_results::check_ins::record_check_in;
use app::storage::org::{NewUnit, create_unit, root_unit, sub_units, unit_and_ancestors};
use app::storage::reads::{period_key_results, person_names, recent_check_ins, unit_names};
use cairn::model::{Owner, UnitKind};
use cairn::values::Name;

use super::{check_in, new_kr};
use crate::support::*;

crate::on_both!(
    a_unit_comes_with_the_units_above_and_below_it,
    names_are_read_for_the_ids_asked_only,
    reads_are_kept_until_something_changes,
    a_persons_recent_check_ins_say_what_they_measured,
);

async fn a_unit_comes_with_the_units_above_and_below_it(db: Db) {
    let w = world(&db).await;
    let squad = create_unit(
        &db,
        None,
        NewUnit {
            parent: Some(w.team),
            name: Name::parse("Squad Zuid").unwrap(),
            kind: UnitKind::Team,
        },
    )
    .await
    .unwrap();
    let line: Vec<_> = unit_and_ancestors(&db, squad.id)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(line, vec![squad.id, w.team, w.org]);
    assert!(
        unit_and_ancestors(&db, cairn::ids::UnitId(999_999))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(root_unit(&db).await.unwrap().map(|u| u.id), Some(w.org));
    let below: Vec<_> = sub_units(&db, w.team)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(below, vec![squad.id]);
    assert!(sub_units(&db, squad.id).await.unwrap().is_empty());
}

async fn names_are_read_for_the_ids_asked_only(db: Db) {
    let w = world(&db).await;
    let people = person_names(&db, &[w.anna]).await.unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[&w.anna], "Anna de Vries");
    let units = unit_names(&db, &[w.team, w.org]).await.unwrap();
    assert_eq!(units[&w.team], "Team Data");
    assert_eq!(units[&w.org], "Gemeente Oosterhout");
    assert!(unit_names(&db, &[]).await.unwrap().is_empty());
}

async fn reads_are_kept_until_something_changes(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Open data").await;
    let kr = create_key_result(&db, None, new_kr(o.id, "Datasets", 1.0))
        .await
        .unwrap();
    let loads = AtomicUsize::new(0);
    let read = || async {
        loads.fetch_add(1, Ordering::SeqCst);
        period_key_results(&db, w.quarter)
            .await
            .map_err(AppError::from)
    };
    let key = || "figures".to_string();

    let first = db.kept(key(), read()).await.unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].progress, 0.0);
    // Nothing changed: the same value, not a second read.
    let again = db.kept(key(), read()).await.unwrap();
    assert!(Arc::ptr_eq(&first, &again));
    assert_eq!(loads.load(Ordering::SeqCst), 1);

    // A check-in is seen by the very next read.
    let before = db.data_version().await.unwrap();
    record_check_in(&db, check_in(kr.id, 50.0, 7))
        .await
        .unwrap();
    assert!(db.data_version().await.unwrap() > before);
    let after = db.kept(key(), read()).await.unwrap();
    assert_eq!(loads.load(Ordering::SeqCst), 2);
    assert_eq!(after[0].progress, 0.5);
    assert_eq!(after[0].confidence, Some(7));

    // A failed read is reported, and not kept.
    let failed: Result<Arc<i64>, AppError> = db
        .kept("failing".into(), async {
            Err(AppError::Rule(cairn::rules::Rule::NotEmpty))
        })
        .await;
    assert_eq!(failed, Err(AppError::Rule(cairn::rules::Rule::NotEmpty)));
    let ok: Arc<i64> = db
        .kept("failing".into(), async { Ok::<_, AppError>(7) })
        .await
        .unwrap();
    assert_eq!(*ok, 7);
}

async fn a_persons_recent_check_ins_say_what_they_measured(db: Db) {
    let w = world(&db).await;
    let o = make_objective(&db, w.quarter, Owner::Unit(w.team), "Open data").await;
    let kr = create_key_result(&db, None, new_kr(o.id, "Datasets", 1.0))
        .await
        .unwrap();
    for (value, confidence) in [(20.0, 6), (35.0, 8)] {
        let mut c = check_in(kr.id, value, confidence);
        c.author = Some(w.anna);
        record_check_in(&db, c).await.unwrap();
    }
    let recent = recent_check_ins(&db, w.anna, 10).await.unwrap();
    assert_eq!(recent.len(), 2);
    // Newest first, with the key result's kind and title.
    assert_eq!(recent[0].value, Some(35.0));
    assert_eq!(recent[0].confidence, 8);
    assert_eq!(recent[0].kind, cairn::key_result::MeasureKind::Metric);
    assert_eq!(recent[0].key_result_title, "Datasets");
    assert_eq!(recent[0].objective, o.id);
    assert_eq!(recent_check_ins(&db, w.anna, 1).await.unwrap().len(), 1);
    assert!(recent_check_ins(&db, w.bram, 10).await.unwrap().is_empty());
}
