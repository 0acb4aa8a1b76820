//! `cairn demo` and `serve --demo-if-empty`: a believable organisation, the same for
//! the same seed, only ever in an empty database; on SQLite and on PostgreSQL.

use std::path::Path;

use crate::support::{BIN, Server, run, site_root};
use sqlx::{Connection, Row};

/// Everything the demo wrote that does not depend on the clock, in id order.
async fn content(db: &Path) -> String {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}", db.display());
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    let mut out = String::new();
    for sql in [
        "SELECT name || '|' || kind FROM org_units ORDER BY id",
        "SELECT name || '|' || email FROM people ORDER BY id",
        "SELECT title || '|' || commitment || '|' || CAST(progress AS TEXT) FROM objectives ORDER BY id",
        "SELECT title || '|' || kind || '|' || CAST(weight AS TEXT) FROM key_results ORDER BY id",
        "SELECT CAST(key_result_id AS TEXT) || '|' || coalesce(CAST(value AS TEXT), '-') || '|' || CAST(confidence AS TEXT) FROM check_ins ORDER BY id",
        "SELECT CAST(child_id AS TEXT) || '>' || coalesce(CAST(parent_objective_id AS TEXT), 'kr' || CAST(parent_key_result_id AS TEXT)) FROM alignments ORDER BY id",
    ] {
        for row in sqlx::query(sql).fetch_all(&mut conn).await.unwrap() {
            out.push_str(&row.get::<String, _>(0));
            out.push('\n');
        }
    }
    out
}

async fn count(db: &Path, table: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_same_seed_gives_the_same_organisation() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    for (dir, seed) in [(&a, "7"), (&b, "7"), (&c, "8")] {
        let outcome = run(&["demo", "--seed", seed], dir.path());
        assert!(outcome.status.success(), "{}", outcome.stderr);
        assert!(
            outcome.stdout.contains("\nGenerated "),
            "{}",
            outcome.stdout
        );
    }
    let (ca, cb, cc) = (
        content(&a.path().join("cairn.db")).await,
        content(&b.path().join("cairn.db")).await,
        content(&c.path().join("cairn.db")).await,
    );
    assert!(ca.len() > 100_000, "a real organisation, not a stub");
    assert_eq!(ca, cb, "same seed, same organisation");
    assert_ne!(ca, cc, "another seed, another organisation");
}

#[tokio::test]
async fn the_default_organisation_has_the_promised_size() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = run(&["demo"], dir.path());
    assert!(outcome.status.success(), "{}", outcome.stderr);
    let db = dir.path().join("cairn.db");
    assert_eq!(count(&db, "people").await, 200);
    assert_eq!(count(&db, "org_units").await, 1 + 6 + 25);
    let objectives = count(&db, "objectives").await;
    let key_results = count(&db, "key_results").await;
    assert!((550..=650).contains(&objectives), "{objectives}");
    assert!((1_650..=1_950).contains(&key_results), "{key_results}");
    assert!(count(&db, "check_ins").await > 10_000);
    assert!(
        count(&db, "alignments").await > objectives / 2,
        "objectives cascade"
    );
    // Every quarter has objectives aligned straight to a year objective, not only
    // to its key results: the cascade's first step shows in every quarter's tree.
    let quarters = count(&db, "periods WHERE kind = 'quarter'").await;
    let straight = count(
        &db,
        "(SELECT DISTINCT c.period_id FROM alignments a JOIN objectives c ON c.id = a.child_id \
         JOIN objectives p ON p.id = a.parent_objective_id JOIN periods pp ON pp.id = p.period_id \
         WHERE a.valid_to IS NULL AND a.is_primary = 1 AND pp.kind = 'year') q",
    )
    .await;
    assert_eq!(straight, quarters);
    // Search works on the imported data.
    assert!(
        count(&db, "audit_events").await >= 1,
        "the import is in the audit trail"
    );
}

#[tokio::test]
async fn demo_data_only_goes_into_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run(&["demo", "--seed", "1"], dir.path()).status.success());
    let before = content(&dir.path().join("cairn.db")).await;
    let again = run(&["demo", "--seed", "2"], dir.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(
        again.stderr.contains("already holds an organisation"),
        "{}",
        again.stderr
    );
    assert!(!again.stderr.contains("panicked"));
    assert_eq!(
        content(&dir.path().join("cairn.db")).await,
        before,
        "nothing changed"
    );
}

#[tokio::test]
async fn serve_fills_an_empty_database_once() {
    let (_site, root) = site_root();
    let data = tempfile::tempdir().unwrap();
    let start = || {
        let mut command = std::process::Command::new(BIN);
        command
            .args(["serve", "--bind", "127.0.0.1:0", "--demo-if-empty"])
            .arg("--site-root")
            .arg(&root)
            .arg("--data-dir")
            .arg(data.path());
        command
    };
    let mut first = Server::spawn(&mut start());
    let page = reqwest::Client::new()
        .get(format!("{}/", first.url))
        .header("cookie", first.session().await)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .replace("<!>", "");
    let organisation = page
        .split("Welcome to ")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_string();
    assert_ne!(
        organisation, "Cairn",
        "the portal greets the demo organisation"
    );
    assert!(first.terminate().success());
    let people = count(&data.path().join("cairn.db"), "people").await;

    let mut second = Server::spawn(&mut start());
    assert!(second.terminate().success());
    assert_eq!(
        count(&data.path().join("cairn.db"), "people").await,
        people,
        "no second organisation"
    );
}

#[tokio::test]
async fn the_server_runs_on_postgresql() {
    let url = crate::support::fresh_postgres_database("cairn_server").await;

    let data = tempfile::tempdir().unwrap();
    let demo = run(&["demo", "--database-url", &url], data.path());
    assert!(demo.status.success(), "{}", demo.stderr);
    assert!(
        !data.path().join("cairn.db").exists(),
        "nothing went to SQLite"
    );

    let (_site, root) = site_root();
    let mut command = std::process::Command::new(BIN);
    command
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", &url])
        .arg("--site-root")
        .arg(&root)
        .arg("--data-dir")
        .arg(data.path());
    let mut server = Server::spawn(&mut command);
    let health: serde_json::Value = reqwest::get(format!("{}/healthz", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    let page = reqwest::Client::new()
        .get(format!("{}/", server.url))
        .header("cookie", server.session().await)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(">PostgreSQL<"),
        "the status panel names the database"
    );
    assert!(server.terminate().success());
}
