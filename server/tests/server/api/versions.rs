//! Versions, retries and paging through the API: a change on a stale version
//! is refused (412) and stores nothing; a retried check-in is made once; pages
//! neither skip nor repeat while others write.

use serde_json::json;

use super::{Api, make_token};
use crate::support::roles::{footprint, scalar, setup};

#[tokio::test]
async fn stale_changes_are_refused_and_retries_check_in_once() {
    let s = setup().await;
    let base = s.server.url.clone();
    let o = s.objective;
    let lead = Api::new(
        &base,
        &make_token(
            &base,
            &s.actors[3].1,
            "/account/tokens",
            "lead",
            &["read", "write"],
            "",
        )
        .await,
    );
    let path = format!("/api/v1/objectives/{o}");

    let read = lead.get(&path).await;
    assert_eq!(read.status, 200, "{}", read.text);
    let tag = read.etag();
    assert_eq!(tag, format!("\"{}\"", read.body["version"]));
    let change = |title: &str| Some(json!({ "title": title }).to_string());

    // No If-Match: 428; one this API never gave: 400; nothing stored either way.
    let before = footprint(&s.url).await;
    let missing = lead.send("PATCH", &path, &[], change("No version")).await;
    assert_eq!(
        (missing.status, missing.problem().as_str()),
        (428, "precondition-required")
    );
    let odd = lead
        .send("PATCH", &path, &[("if-match", "*")], change("Any version"))
        .await;
    assert_eq!(odd.status, 400);
    assert_eq!(footprint(&s.url).await, before);

    // The version read: saved, and the answer carries the next one.
    let saved = lead
        .send(
            "PATCH",
            &path,
            &[("if-match", &tag)],
            change("Twice as many happy customers"),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["title"], "Twice as many happy customers");
    assert_ne!(saved.etag(), tag);

    // The same version again is stale now: 412, and the title stays.
    let before = footprint(&s.url).await;
    let stale = lead
        .send("PATCH", &path, &[("if-match", &tag)], change("Overwriting"))
        .await;
    assert_eq!(
        (stale.status, stale.problem().as_str()),
        (412, "precondition-failed")
    );
    assert_eq!(footprint(&s.url).await, before);
    assert_eq!(
        lead.get(&path).await.body["title"],
        "Twice as many happy customers"
    );

    // Two changes on one version at once: exactly one wins.
    let tag = saved.etag();
    let if_match = [("if-match", tag.as_str())];
    let (a, b) = tokio::join!(
        lead.send("PATCH", &path, &if_match, change("Mine")),
        lead.send("PATCH", &path, &if_match, change("Theirs")),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412], "{} / {}", a.text, b.text);

    // A check-in retried with its Idempotency-Key is made once, even when the
    // retries arrive together; the key cannot make a check-in elsewhere.
    let kr = s.key_result;
    let member = Api::new(
        &base,
        &make_token(
            &base,
            &s.actors[2].1,
            "/account/tokens",
            "nightly",
            &["check-in"],
            "",
        )
        .await,
    );
    let count_sql = format!("SELECT count(*) FROM check_ins WHERE key_result_id = {kr}");
    let check_ins = || scalar(&s.url, &count_sql);
    let count = check_ins().await;
    let body = json!({"value": 27.5, "confidence": 7, "note": "from the nightly job"}).to_string();
    let send = |key: &'static str| {
        let member = member.clone();
        let body = body.clone();
        async move {
            member
                .send(
                    "POST",
                    &format!("/api/v1/key-results/{kr}/check-ins"),
                    &[("idempotency-key", key)],
                    Some(body),
                )
                .await
        }
    };
    let first = send("run-2026-12-04").await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = send("run-2026-12-04").await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(check_ins().await, count + 1);
    let together = futures::future::join_all((0..6).map(|_| send("run-2026-12-05"))).await;
    let made: Vec<u16> = together.iter().map(|a| a.status).collect();
    assert_eq!(made.iter().filter(|s| **s == 201).count(), 1, "{made:?}");
    assert!(made.iter().all(|s| *s == 201 || *s == 200), "{made:?}");
    let ids: std::collections::HashSet<String> =
        together.iter().map(|a| a.body["id"].to_string()).collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(check_ins().await, count + 2);
    let other_kr = scalar(
        &s.url,
        &format!(
            "SELECT id FROM key_results WHERE objective_id = {o} AND id <> {kr} ORDER BY id LIMIT 1"
        ),
    )
    .await;
    let reused = member
        .send(
            "POST",
            &format!("/api/v1/key-results/{other_kr}/check-ins"),
            &[("idempotency-key", "run-2026-12-04")],
            Some(body.clone()),
        )
        .await;
    assert_eq!(
        (reused.status, reused.problem().as_str()),
        (409, "idempotency-key-reused")
    );
    assert_eq!(
        member
            .get(&format!("/api/v1/key-results/{kr}"))
            .await
            .status,
        403,
        "a check-in token reads nothing"
    );
}

#[tokio::test]
async fn pages_neither_skip_nor_repeat_while_others_write() {
    let s = setup().await;
    let base = s.server.url.clone();
    let kr = s.key_result;
    let admin = Api::new(
        &base,
        &make_token(
            &base,
            &s.actors[4].1,
            "/account/tokens",
            "pager",
            &["read", "check-in"],
            "",
        )
        .await,
    );
    let path = format!("/api/v1/key-results/{kr}/check-ins");
    let existing = scalar(
        &s.url,
        &format!("SELECT count(*) FROM check_ins WHERE key_result_id = {kr}"),
    )
    .await;

    // A writer checks in while a reader pages through two at a time.
    let writer = {
        let admin = admin.clone();
        let path = path.clone();
        tokio::spawn(async move {
            for i in 0..12 {
                let made = admin
                    .post(&path, json!({"value": 10 + i, "confidence": 5}))
                    .await;
                assert_eq!(made.status, 201, "{}", made.text);
            }
        })
    };
    let mut seen: Vec<i64> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = match &cursor {
            Some(c) => admin.get(&format!("{path}?limit=2&cursor={c}")).await,
            None => admin.get(&format!("{path}?limit=2")).await,
        };
        assert_eq!(page.status, 200, "{}", page.text);
        seen.extend(
            page.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_i64().unwrap()),
        );
        match page.body["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    writer.await.unwrap();
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "out of order or repeated: {seen:?}"
    );
    assert!(seen.len() as i64 >= existing, "{seen:?}");
    // Every check-in stored before the last page is on some page.
    let stored: Vec<i64> = {
        let all = admin.get(&format!("{path}?limit=200")).await;
        all.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let last = *seen.last().unwrap();
    let expected: Vec<i64> = stored.into_iter().filter(|id| *id <= last).collect();
    assert_eq!(seen, expected);

    // Objectives page the same way, with filters: every one of the period once.
    let mut listed = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("/api/v1/objectives?period={}&limit=7&cursor={c}", s.period),
            None => format!("/api/v1/objectives?period={}&limit=7", s.period),
        };
        let page = admin.get(&url).await;
        assert_eq!(page.status, 200, "{}", page.text);
        for item in page.body["items"].as_array().unwrap() {
            assert_eq!(item["period_id"].as_i64(), Some(s.period));
            listed.push(item["id"].as_i64().unwrap());
        }
        match page.body["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    let in_period = scalar(
        &s.url,
        &format!(
            "SELECT count(*) FROM objectives WHERE period_id = {}",
            s.period
        ),
    )
    .await;
    assert_eq!(listed.len() as i64, in_period);
    assert!(listed.windows(2).all(|w| w[0] < w[1]));

    // Filtered by computed status: each item has it, and the three statuses
    // together are the whole period.
    let mut total = 0;
    for status in ["on_track", "at_risk", "off_track"] {
        let page = admin
            .get(&format!(
                "/api/v1/objectives?period={}&status={status}&limit=200",
                s.period
            ))
            .await;
        let items = page.body["items"].as_array().unwrap();
        assert!(items.iter().all(|i| i["status"] == status));
        total += items.len() as i64;
    }
    assert_eq!(total, in_period);
    let team = admin
        .get(&format!("/api/v1/objectives?unit={}&limit=200", s.team))
        .await;
    assert!(
        team.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["owner"] == json!({"kind": "unit", "id": s.team}))
    );
    let later = admin
        .get("/api/v1/objectives?updated_since=2999-01-01T00:00:00Z")
        .await;
    assert_eq!(later.body["items"], json!([]));
}
