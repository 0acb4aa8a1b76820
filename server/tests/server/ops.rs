//! What operators watch: liveness and readiness, request ids, JSON logs, the
//! Prometheus metrics, the version, and a schema newer than the release.

use std::process::Command;

use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Connection;

use crate::support::sse::Stream;
use crate::support::{BIN, Server, run, site_root};

const TOKEN: &str = "a-metrics-token-of-some-length";

fn serve(site: &std::path::Path, data: &std::path::Path, extra: &[&str]) -> Server {
    let mut command = Command::new(BIN);
    command
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .arg("--site-root")
        .arg(site)
        .arg("--data-dir")
        .arg(data);
    Server::spawn(&mut command)
}

async fn get(url: String) -> reqwest::Response {
    reqwest::get(url).await.unwrap()
}

/// Marks the SQLite database at `db` as migrated by a release newer than this one.
async fn migrated_by_a_newer_release(db: &std::path::Path) -> sqlx::SqliteConnection {
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from a newer release', TRUE, x'00', 1)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    conn
}

#[tokio::test]
async fn health_is_liveness_and_readiness_names_the_schema() {
    let (_site, root) = site_root();
    let server = Server::start(&root);
    let alive = get(format!("{}/healthz", server.url)).await;
    assert_eq!(alive.status(), StatusCode::OK);
    let alive: Value = alive.json().await.unwrap();
    assert_eq!(alive["status"], "ok");
    assert_eq!(alive["version"], env!("CARGO_PKG_VERSION"));

    let ready = get(format!("{}/readyz", server.url)).await;
    assert_eq!(ready.status(), StatusCode::OK);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready["database"], "ok");
    assert_eq!(ready["schema"]["current"], true);
    assert_eq!(ready["schema"]["pending"], 0);

    // A newer release migrates the database under this node: it is no longer ready.
    let db = server.data_dir.as_ref().unwrap().path().join("cairn.db");
    migrated_by_a_newer_release(&db).await;
    let stale = get(format!("{}/readyz", server.url)).await;
    assert_eq!(stale.status(), StatusCode::SERVICE_UNAVAILABLE);
    let stale: Value = stale.json().await.unwrap();
    assert_eq!(stale["schema"]["current"], false);
    assert_eq!(stale["schema"]["unknown"], 1);
    // Still alive.
    assert_eq!(
        get(format!("{}/healthz", server.url)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_node_older_than_its_database_refuses_to_start_and_migrates_nothing() {
    let data = tempfile::tempdir().unwrap();
    let dry = run(&["migrate", "--dry-run"], data.path());
    assert!(dry.status.success(), "{}", dry.stderr);
    let migrations = crate::support::sqlite_migrations();
    assert!(
        dry.stdout
            .contains(&format!("{migrations} migration(s) would run")),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("0001 instance"), "{}", dry.stdout);
    assert!(run(&["migrate"], data.path()).status.success());
    let current = run(&["migrate", "--dry-run"], data.path());
    assert!(current.stdout.contains("up to date"), "{}", current.stdout);

    let db = data.path().join("cairn.db");
    let mut conn = migrated_by_a_newer_release(&db).await;
    for args in [
        &["serve", "--bind", "127.0.0.1:0"][..],
        &["migrate"],
        &["migrate", "--dry-run"],
    ] {
        let refused = run(args, data.path());
        assert_eq!(
            refused.status.code(),
            Some(1),
            "{args:?}: {}",
            refused.stdout
        );
        assert!(
            refused
                .stderr
                .contains("migration 9999, newer than this release"),
            "{args:?}: {}",
            refused.stderr
        );
    }
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(applied as usize, migrations + 1);
}

#[test]
fn the_version_names_the_commit() {
    let output = Command::new(BIN).arg("--version").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with(&format!("cairn {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    let commit = text
        .trim()
        .trim_end_matches(')')
        .rsplit(' ')
        .next()
        .unwrap();
    assert!(
        commit == "unknown" || commit.chars().all(|c| c.is_ascii_hexdigit()),
        "{text}"
    );
}

#[tokio::test]
async fn every_answer_has_a_request_id_that_its_json_log_lines_carry() {
    let (_site, root) = site_root();
    let data = tempfile::tempdir().unwrap();
    let server = serve(&root, data.path(), &["--log-format", "json"]);
    let first = get(format!("{}/sign-in", server.url)).await;
    let second = get(format!("{}/sign-in", server.url)).await;
    let id = |r: &reqwest::Response| r.headers()["x-request-id"].to_str().unwrap().to_string();
    let (first, second) = (id(&first), id(&second));
    assert_ne!(first, second);
    assert_eq!(first.len(), 36, "{first}");
    // An id the proxy in front set is kept.
    let kept = reqwest::Client::new()
        .get(format!("{}/healthz", server.url))
        .header("x-request-id", "from-the-proxy-42")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "from-the-proxy-42");

    let line = server.wait_for_line(&second);
    let line: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(line["span"]["id"], second.as_str());
    assert_eq!(line["span"]["path"], "/sign-in");
    server.wait_for_line("from-the-proxy-42");
    for line in server.output().lines() {
        let parsed: Result<Value, _> = serde_json::from_str(line);
        // The first admin's link is printed for people, not logged as JSON.
        assert!(
            parsed.is_ok() || line.starts_with("No admin yet") || line.starts_with("http"),
            "not JSON: {line}"
        );
    }
}

/// Scrapes `url`; the text.
async fn scrape(url: &str, token: Option<&str>) -> (StatusCode, String) {
    let mut request = reqwest::Client::new().get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// The value of the first sample whose line starts with `series`.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|line| line.starts_with(series))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_streams_statements_and_refused_sign_ins() {
    let (_site, root) = site_root();
    let data = tempfile::tempdir().unwrap();
    let server = serve(
        &root,
        data.path(),
        &["--metrics-bind", "127.0.0.1:0", "--metrics-token", TOKEN],
    );
    let line = server.wait_for_line("metrics are served at http://");
    let own = &line[line.find("http://").unwrap()..];
    let own = own.split_whitespace().next().unwrap().to_string();
    let cookie = server.session().await;

    // A refused sign-in, a page, an open event stream.
    let refused = reqwest::Client::new()
        .post(format!("{}/sign-in", server.url))
        .form(&[("email", "nobody@example.com"), ("password", "wrong")])
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_success() || refused.status().is_redirection());
    let page = reqwest::Client::new()
        .get(format!("{}/", server.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let _stream = Stream::open(&server.url, &cookie, None).await;

    let (status, text) = scrape(&own, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        text.contains(r#"cairn_http_requests_total{method="GET",route="/",status="200"}"#),
        "{text}"
    );
    assert!(
        text.contains(
            r#"cairn_http_request_duration_seconds_bucket{method="GET",route="/",le="0.005"}"#
        ),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            r#"cairn_sign_in_failures_total{reason="wrong_credentials"}"#
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "cairn_live_streams_open"),
        Some(1.0),
        "{text}"
    );
    assert!(
        sample(&text, "cairn_db_query_duration_seconds_count").is_some_and(|n| n > 0.0),
        "{text}"
    );
    for name in [
        r#"cairn_db_pool_connections{pool="read",state="idle"}"#,
        r#"cairn_db_pool_connections{pool="write",state="busy"}"#,
        "cairn_live_events_total",
        "cairn_live_deliveries_total",
        // The outbox, from the first scrape (mail.rs checks them move).
        r#"cairn_outbox_messages{state="queued"} 0"#,
        r#"cairn_outbox_messages{state="failed"} 0"#,
        r#"cairn_outbox_attempts_total{channel="mail",outcome="failed"} 0"#,
        r#"cairn_sign_in_failures_total{reason="issuer"} 0"#,
    ] {
        assert!(text.contains(name), "{name} in {text}");
    }
    assert!(
        text.contains(&format!(
            r#"cairn_build_info{{version="{}",commit="#,
            env!("CARGO_PKG_VERSION")
        )),
        "{text}"
    );
    // Route patterns, never raw paths: asking for made-up pages adds no series.
    for n in 0..5 {
        let _ = reqwest::get(format!("{}/no-such-page-{n}.txt", server.url)).await;
    }
    let (_, text) = scrape(&own, None).await;
    assert!(!text.contains("no-such-page"), "{text}");

    // On the portal's own address only with the token.
    let main = format!("{}/metrics", server.url);
    assert_eq!(scrape(&main, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        scrape(&main, Some("not-the-token-at-all")).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, text) = scrape(&main, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("cairn_http_requests_total"), "{text}");
}

#[tokio::test]
async fn without_a_token_the_portal_does_not_serve_metrics() {
    let (_site, root) = site_root();
    let server = Server::start(&root);
    let answer = crate::support::no_redirects()
        .get(format!("{}/metrics", server.url))
        .send()
        .await
        .unwrap();
    assert_ne!(answer.status(), StatusCode::OK);
    let text = answer.text().await.unwrap();
    assert!(!text.contains("cairn_http_requests_total"), "{text}");
}
