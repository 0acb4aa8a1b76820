//! Live events over HTTP: the stream at /events, catching up with Last-Event-ID,
//! and two app nodes on one PostgreSQL delivering each other's changes.

use std::time::Duration;

use crate::support::sse::{Sse, Stream, check_in};
use crate::support::{BIN, Server, metric_key_result, run, scalar, site_root};
use serde_json::Value;

fn change(event: &Sse) -> Value {
    serde_json::from_str::<Value>(&event.data).unwrap()
}

fn serve(url: &str, root: &std::path::Path, data: &std::path::Path) -> Server {
    let mut command = std::process::Command::new(BIN);
    command
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", url])
        .arg("--site-root")
        .arg(root)
        .arg("--data-dir")
        .arg(data);
    Server::spawn(&mut command)
}

#[tokio::test]
async fn a_reconnecting_browser_receives_exactly_what_it_missed() {
    let data = tempfile::tempdir().unwrap();
    let demo = run(&["demo"], data.path());
    assert!(demo.status.success(), "{}", demo.stderr);
    let db = data.path().join("cairn.db");
    let url = format!("sqlite://{}", db.display());
    let kr = metric_key_result(&url).await;
    let (_site, root) = site_root();
    let mut server = serve(&url, &root, data.path());
    let cookie = server.session().await;

    let mut stream = Stream::open(&server.url, &cookie, None).await;
    check_in(&server.url, &cookie, kr, 11.0).await;
    let first = stream
        .next(Duration::from_secs(5))
        .await
        .expect("the event arrives");
    let body = change(&first);
    assert_eq!(body["kind"], "check_in");
    assert_eq!(body["change"]["key_result"], kr);
    let seen = first.id.clone().expect("every event carries an id");
    drop(stream);

    // Away: two check-ins happen.
    check_in(&server.url, &cookie, kr, 12.0).await;
    check_in(&server.url, &cookie, kr, 13.0).await;
    let mut back = Stream::open(&server.url, &cookie, Some(&seen)).await;
    let mut values = Vec::new();
    while let Some(event) = back.next(Duration::from_millis(1500)).await {
        values.push(change(&event)["change"]["value"].as_f64().unwrap());
    }
    assert_eq!(
        values,
        vec![12.0, 13.0],
        "exactly the missed ones, in order"
    );

    // An open stream does not hold up shutdown.
    let _open = Stream::open(&server.url, &cookie, None).await;
    let started = std::time::Instant::now();
    assert!(server.terminate().success());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn two_nodes_on_one_postgresql_deliver_each_others_events() {
    let url = crate::support::fresh_postgres_database("cairn_live").await;
    let data = tempfile::tempdir().unwrap();
    let demo = run(&["demo", "--database-url", &url], data.path());
    assert!(demo.status.success(), "{}", demo.stderr);
    let kr = metric_key_result(&url).await;

    let (_site, root) = site_root();
    let mut one = serve(&url, &root, data.path());
    let mut two = serve(&url, &root, data.path());
    // Sessions live in the database: one node's sign-in holds on the other.
    let cookie = one.session().await;
    let mut on_two = Stream::open(&two.url, &cookie, None).await;
    let mut on_one = Stream::open(&one.url, &cookie, None).await;

    let written = std::time::Instant::now();
    let answer = check_in(&one.url, &cookie, kr, 21.0).await;
    let event = on_two
        .next(Duration::from_secs(5))
        .await
        .expect("a change made through one node reaches a browser on the other");
    let body = change(&event);
    assert_eq!(body["kind"], "check_in");
    assert_eq!(body["change"]["key_result"], kr);
    assert_eq!(body["change"]["value"], 21.0);
    assert_eq!(body["change"]["progress"], answer["key_result_progress"]);
    eprintln!("node one to a browser on node two: {:?}", written.elapsed());
    let own = on_one
        .next(Duration::from_secs(5))
        .await
        .expect("and on its own node");
    assert_eq!(own.id, event.id, "both nodes number the event alike");

    // And the other way round.
    check_in(&two.url, &cookie, kr, 22.0).await;
    let back = on_one
        .next(Duration::from_secs(5))
        .await
        .expect("two to one");
    assert_eq!(change(&back)["change"]["value"], 22.0);

    // The same objective saved through each node at the same moment, on the same
    // version: one save wins, the other is told it was too late, and the audit
    // trail holds exactly one change per round.
    let objective = running_objective(&url).await;
    for round in 0..10 {
        let version = objective_version(&url, objective).await;
        let save = |base: String, title: String| {
            let cookie = cookie.clone();
            async move {
                let mut draft = crate::support::roles::draft(&title);
                draft["key_results"] = serde_json::json!([]);
                let body = serde_json::json!({ "objective": [objective, version], "owner": null,
                    "period": null, "parent": null, "draft": draft });
                crate::support::roles::post_json(&base, &cookie, "save_objective", &body).await
            }
        };
        let audited = updates_of(&url, objective).await;
        let ((a, a_body), (b, b_body)) = tokio::join!(
            save(one.url.clone(), format!("Round {round} through one")),
            save(two.url.clone(), format!("Round {round} through two")),
        );
        let mut statuses = [a, b];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "round {round}: {a_body} / {b_body}");
        let loser = if a == 409 { &a_body } else { &b_body };
        assert!(loser.contains("Conflict"), "round {round}: {loser}");
        assert_eq!(objective_version(&url, objective).await, version + 1);
        assert_eq!(
            updates_of(&url, objective).await,
            audited + 1,
            "round {round}"
        );
    }

    assert!(one.terminate().success());
    assert!(two.terminate().success());
}

/// An objective of the running period, which the demo's admin may edit.
async fn running_objective(url: &str) -> i64 {
    scalar(
        url,
        "SELECT o.id FROM objectives o JOIN periods p ON p.id = o.period_id \
         WHERE p.state = 'active' ORDER BY o.id LIMIT 1",
    )
    .await
}

async fn objective_version(url: &str, id: i64) -> i64 {
    scalar(
        url,
        &format!("SELECT version FROM objectives WHERE id = {id}"),
    )
    .await
}

async fn updates_of(url: &str, id: i64) -> i64 {
    let sql = format!(
        "SELECT count(*) FROM audit_events WHERE action = 'objective.update' AND entity_id = {id}"
    );
    scalar(url, &sql).await
}

async fn move_objective(base: &str, cookie: &str, form: &str) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/move_objective"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(form.to_string())
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn count(url: &str, table: &str) -> i64 {
    scalar(url, &format!("SELECT count(*) FROM {table}")).await
}

#[tokio::test]
async fn the_server_refuses_bad_moves_and_stores_nothing() {
    let data = tempfile::tempdir().unwrap();
    let demo = run(&["demo"], data.path());
    assert!(demo.status.success(), "{}", demo.stderr);
    let url = format!("sqlite://{}", data.path().join("cairn.db").display());
    sqlx::any::install_default_drivers();
    let (_site, root) = site_root();
    let server = serve(&url, &root, data.path());
    let cookie = server.session().await;

    let tree: Value = reqwest::Client::new()
        .post(format!("{}/api/tree", server.url))
        .header("accept", "application/json")
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Nodes travel as [id, period, title, owner, progress, weight, parent, position, version].
    let nodes = tree["data"]["objectives"].as_array().unwrap();
    let period = tree["data"]["period"].as_i64().unwrap();
    let node = |id: i64| nodes.iter().find(|n| n[0] == id).unwrap();
    // A quarter objective whose parent is a quarter objective too, and a year one.
    let child = nodes
        .iter()
        .find(|n| {
            n[1] == period
                && n[6].as_i64().unwrap() > 0
                && node(n[6].as_i64().unwrap())[1] == period
        })
        .expect("the demo aligns quarter objectives to each other");
    let (child_id, parent_id) = (child[0].as_i64().unwrap(), child[6].as_i64().unwrap());
    let year = nodes
        .iter()
        .find(|n| n[1] != period)
        .expect("year objectives head the tree");
    let year_id = year[0].as_i64().unwrap();
    let version = |id: i64| node(id)[8].as_i64().unwrap();

    let (links, events) = (count(&url, "alignments").await, count(&url, "events").await);
    let refusals = [
        // A loop: the parent under its own child.
        (
            format!(
                "objective={parent_id}&version={}&parent[type]=objective&parent[id]={child_id}&index=0",
                version(parent_id)
            ),
            422,
            "Cycle",
        ),
        // A year objective under a quarter objective.
        (
            format!(
                "objective={year_id}&version={}&parent[type]=objective&parent[id]={child_id}&index=0",
                version(year_id)
            ),
            422,
            "PeriodOrder",
        ),
        // A stale version.
        (
            format!("objective={child_id}&version=0&index=0"),
            409,
            "Conflict",
        ),
        // Unknown objective and unknown parent.
        (
            "objective=987654&version=1&index=0".to_string(),
            404,
            "NotFound",
        ),
        (
            format!(
                "objective={child_id}&version={}&parent[type]=key_result&parent[id]=987654&index=0",
                version(child_id)
            ),
            404,
            "NotFound",
        ),
        // Not numbers at all.
        (
            "objective=abc&version=1&index=0".to_string(),
            400,
            "Malformed",
        ),
        (
            format!(
                "objective={child_id}&version={}&index=-1",
                version(child_id)
            ),
            400,
            "Malformed",
        ),
    ];
    for (form, status, says) in refusals {
        let (got, body) = move_objective(&server.url, &cookie, &form).await;
        assert_eq!(got, status, "{form}: {body}");
        assert!(body.contains(says), "{form}: {body}");
    }
    assert_eq!(
        count(&url, "alignments").await,
        links,
        "no link opened or closed"
    );
    assert_eq!(
        count(&url, "events").await,
        events,
        "nobody was told of anything"
    );

    // A good move: to the top level.
    let mut stream = Stream::open(&server.url, &cookie, None).await;
    let (got, body) = move_objective(
        &server.url,
        &cookie,
        &format!("objective={child_id}&version={}&index=0", version(child_id)),
    )
    .await;
    assert_eq!(got, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["parent"], Value::Null);
    assert_eq!(answer["siblings"][0], child_id);
    let event = stream
        .next(Duration::from_secs(5))
        .await
        .expect("the move is live");
    assert_eq!(change(&event)["kind"], "move");
    assert_eq!(change(&event)["change"]["objective"], child_id);
}
