//! The demo organisation served, with a session for each role around one team
//! objective: nobody, another person, a member, the lead and an admin.

use serde_json::{Value, json};
use sqlx::Connection;

use super::{BIN, Server, run, sign_in, site_root};

pub const PASSWORD: &str = "cairn-demo";

pub struct Setup {
    pub server: Server,
    pub url: String,
    _data: tempfile::TempDir,
    _site: tempfile::TempDir,
    pub objective: i64,
    pub key_result: i64,
    pub team: i64,
    pub period: i64,
    /// Session cookies: ("anonymous", ""), ("other", ...), ...
    pub actors: Vec<(&'static str, String)>,
}

pub async fn scalar(url: &str, sql: &str) -> i64 {
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
}

pub async fn text(url: &str, sql: &str) -> String {
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
}

pub async fn setup() -> Setup {
    sqlx::any::install_default_drivers();
    let data = tempfile::tempdir().unwrap();
    let demo = run(&["demo"], data.path());
    assert!(demo.status.success(), "{}", demo.stderr);
    let (site, root) = site_root();
    let mut command = std::process::Command::new(BIN);
    command
        .args(["serve", "--bind", "127.0.0.1:0"])
        .arg("--site-root")
        .arg(&root)
        .arg("--data-dir")
        .arg(data.path());
    let server = Server::spawn(&mut command);
    let url = format!("sqlite://{}", data.path().join("cairn.db").display());
    // A team objective of the running quarter with a metric key result, in a team
    // with a lead and a member.
    let objective = scalar(
        &url,
        "SELECT o.id FROM objectives o JOIN org_units u ON u.id = o.owner_unit_id \
         JOIN periods p ON p.id = o.period_id \
         WHERE u.kind = 'team' AND p.kind = 'quarter' AND p.state = 'active' \
         AND EXISTS (SELECT 1 FROM key_results k WHERE k.objective_id = o.id AND k.kind = 'metric') \
         AND EXISTS (SELECT 1 FROM memberships m WHERE m.unit_id = u.id AND m.role = 'lead') \
         AND EXISTS (SELECT 1 FROM memberships m WHERE m.unit_id = u.id AND m.role = 'member') \
         ORDER BY o.id LIMIT 1",
    )
    .await;
    let team = scalar(
        &url,
        &format!("SELECT owner_unit_id FROM objectives WHERE id = {objective}"),
    )
    .await;
    let period = scalar(
        &url,
        &format!("SELECT period_id FROM objectives WHERE id = {objective}"),
    )
    .await;
    let key_result = scalar(
        &url,
        &format!("SELECT id FROM key_results WHERE objective_id = {objective} AND kind = 'metric' ORDER BY id LIMIT 1"),
    )
    .await;
    let email = |role: &str| {
        format!(
            "SELECT p.email FROM people p JOIN memberships m ON m.person_id = p.id \
             WHERE m.unit_id = {team} AND m.role = '{role}' ORDER BY p.id LIMIT 1"
        )
    };
    let member = text(&url, &email("member")).await;
    let lead = text(&url, &email("lead")).await;
    // Someone who leads nothing and is in none of the units above the team.
    let other = text(
        &url,
        &format!(
            "WITH RECURSIVE up (id) AS (SELECT {team} UNION SELECT u.parent_id FROM org_units u JOIN up ON u.id = up.id \
             WHERE u.parent_id IS NOT NULL) \
             SELECT p.email FROM people p WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id \
             AND (m.unit_id IN (SELECT id FROM up) OR m.role <> 'member')) ORDER BY p.id LIMIT 1"
        ),
    )
    .await;
    let admin = server.session().await;
    let actors = vec![
        ("anonymous", String::new()),
        ("other", sign_in(&server.url, &other, PASSWORD).await),
        ("member", sign_in(&server.url, &member, PASSWORD).await),
        ("lead", sign_in(&server.url, &lead, PASSWORD).await),
        ("admin", admin),
    ];
    Setup {
        server,
        url,
        _data: data,
        _site: site,
        objective,
        key_result,
        team,
        period,
        actors,
    }
}

pub async fn post_form(base: &str, cookie: &str, endpoint: &str, body: String) -> (u16, String) {
    post_form_in("en", base, cookie, endpoint, body).await
}

/// `post_form` as a reader of `language` (its Accept-Language).
pub async fn post_form_in(
    language: &str,
    base: &str,
    cookie: &str,
    endpoint: &str,
    body: String,
) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/{endpoint}"))
        .header("cookie", cookie)
        .header("accept-language", language)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

pub async fn post_json(base: &str, cookie: &str, endpoint: &str, body: &Value) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/{endpoint}"))
        .header("cookie", cookie)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

pub fn draft(title: &str) -> Value {
    json!({
        "title": title, "description": "", "commitment": "committed", "state": "active", "weight": "1",
        "key_results": [
            { "id": null, "title": "Reach 40 customers", "kind": "metric", "direction": "increase",
              "start": "10", "target": "40", "unit": "", "weight": "1", "milestones": [] },
            { "id": null, "title": "Ship it", "kind": "binary", "direction": "", "start": "", "target": "",
              "unit": "", "weight": "2", "milestones": [] }
        ],
        "initiatives": ["Call them"]
    })
}

/// Counts that any stored change would move.
pub async fn footprint(url: &str) -> (i64, i64, i64, i64) {
    (
        scalar(url, "SELECT count(*) FROM audit_events").await,
        scalar(url, "SELECT count(*) FROM check_ins").await,
        scalar(url, "SELECT count(*) FROM objectives").await,
        scalar(url, "SELECT sum(version) FROM objectives").await,
    )
}
