//! Upgrading from a released schema: a database as release 0.1.0 left it, with data
//! in it (`fixtures/release-0.1.0.sqlite.db`, `.postgres.sql`), brought up to date by
//! this release. The fixtures are never regenerated: they are what that release
//! wrote. `tools/release-fixture.sh` made them, from `a_release_fixture`.

use app::storage::Db;
use app::storage::reads::unit_objectives;
use cairn::model::Owner;
use sqlx::Connection;

use crate::support::*;
use crate::{check_in, new_kr};

const SQLITE: &[u8] = include_bytes!("fixtures/release-0.1.0.sqlite.db");
const POSTGRES: &str = include_str!("fixtures/release-0.1.0.postgres.sql");

/// What the fixtures hold (see `a_release_fixture`).
const OBJECTIVES: i64 = 2;
const CHECK_INS: i64 = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_database_of_release_0_1_0_is_brought_up_to_date_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    std::fs::write(&path, SQLITE).unwrap();
    let url = format!("sqlite://{}", path.display());
    let old = Db::open_sqlite_file(&path).await.unwrap();
    upgrade(&old, &url).await;

    let (_fresh, keep) = sqlite().await;
    let fresh = format!("sqlite://{}", keep.path().join("test.db").display());
    let schema = "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master \
                  WHERE name NOT LIKE 'sqlite_%' AND name != '_sqlx_migrations' ORDER BY type, name";
    assert_eq!(texts(&url, schema).await, texts(&fresh, schema).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_database_of_release_0_1_0_is_brought_up_to_date_with_its_data() {
    let fresh = empty_postgres().await;
    let migrated = Db::open(&fresh).await.unwrap();
    migrated.migrate().await.unwrap();
    migrated.close().await;
    let url = empty_postgres().await;
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    sqlx::raw_sql(POSTGRES).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    let old = Db::open(&url).await.unwrap();
    upgrade(&old, &url).await;

    for schema in [
        "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' \
         || coalesce(column_default, '') FROM information_schema.columns \
         WHERE table_schema = 'public' ORDER BY table_name, column_name",
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname",
        "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint \
         WHERE connamespace = 'public'::regnamespace ORDER BY conname",
    ] {
        assert_eq!(
            texts(&url, schema).await,
            texts(&fresh, schema).await,
            "{schema}"
        );
    }
}

/// Migrates `old` (at `url`) and checks that its data reads as before and takes
/// new writes.
async fn upgrade(old: &Db, url: &str) {
    let before = old.schema_status().await.unwrap();
    assert!(before.unknown.is_empty(), "{before:?}");
    let applied = old.migrate().await.unwrap();
    assert_eq!(applied, before.pending.len());
    assert!(old.schema_status().await.unwrap().is_current());
    assert_eq!(count(old, "objectives").await, OBJECTIVES);
    assert_eq!(count(old, "check_ins").await, CHECK_INS);
    let team = scalar(url, "SELECT id FROM org_units WHERE kind = 'team'").await;
    let quarter = scalar(url, "SELECT id FROM periods WHERE kind = 'quarter'").await;
    let okrs = unit_objectives(old, cairn::ids::UnitId(team), cairn::ids::PeriodId(quarter))
        .await
        .unwrap();
    assert_eq!(okrs.len(), 2);
    let kr = okrs[0].key_results[0].id;
    app::storage::key_results::check_ins::record_check_in(old, check_in(kr, 90.0, 8))
        .await
        .unwrap();
    assert_eq!(count(old, "check_ins").await, CHECK_INS + 1);
}

async fn scalar(url: &str, sql: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
}

async fn texts(url: &str, sql: &str) -> Vec<String> {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query_scalar(sql).fetch_all(&mut conn).await.unwrap()
}

/// Writes the fixture's data into an empty, migrated database. Run by
/// `tools/release-fixture.sh` only, when a release is made.
#[tokio::test]
#[ignore = "makes the fixture of a release: tools/release-fixture.sh"]
async fn a_release_fixture() {
    let target = std::env::var("CAIRN_FIXTURE_DB").expect("CAIRN_FIXTURE_DB");
    let db = if target.starts_with("postgres") {
        Db::open(&target).await
    } else {
        Db::open_sqlite_file(std::path::Path::new(&target)).await
    }
    .unwrap();
    db.migrate().await.unwrap();
    let w = world(&db).await;
    let first = make_objective(
        &db,
        w.quarter,
        Owner::Unit(w.team),
        "Open data voor iedereen",
    )
    .await;
    make_objective(&db, w.quarter, Owner::Unit(w.team), "Faster permits").await;
    let kr = create_key_result(&db, None, new_kr(first.id, "Datasets published", 1.0))
        .await
        .unwrap();
    for (value, confidence) in [(10.0, 5), (25.0, 6), (40.0, 7)] {
        app::storage::key_results::check_ins::record_check_in(
            &db,
            check_in(kr.id, value, confidence),
        )
        .await
        .unwrap();
    }
    db.close().await;
}
