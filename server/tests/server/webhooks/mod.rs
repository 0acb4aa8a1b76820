//! Webhooks delivered to a real receiver on loopback that checks signatures:
//! every event arrives at least once, signed, in order per objective, through
//! a receiver failing for a while; a webhook failing on and on is switched off
//! and its maker told; addresses inside are refused unless allowed.

mod guard;

use serde_json::{Value, json};

use crate::api::{Api, make_token};
use crate::support::receiver::Receiver;
use crate::support::{Demo, no_redirects, page_with};

/// Sends a form as the holder of `cookie`; where it sends them back to.
pub(super) async fn form(base: &str, cookie: &str, path: &str, fields: &[(&str, &str)]) -> String {
    let answer = no_redirects()
        .post(format!("{base}{path}"))
        .header("cookie", cookie)
        .form(fields)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303, "{path}");
    answer.headers()["location"].to_str().unwrap().to_string()
}

/// Subscribes `url` as the holder of `cookie`; the webhook's id and secret.
pub(super) async fn subscribe(
    demo: &Demo,
    cookie: &str,
    url: &str,
    kinds: &[&str],
    unit: &str,
) -> (i64, String) {
    let mut fields = vec![("url", url), ("unit", unit)];
    fields.extend(kinds.iter().map(|k| ("kinds", *k)));
    let back = form(demo.url(), cookie, "/webhooks", &fields).await;
    let id: i64 = back
        .strip_prefix("/webhooks/")
        .and_then(|rest| rest.parse().ok())
        .unwrap_or_else(|| panic!("not subscribed: back to {back}"));
    let page = page_with(&format!("{}{back}", demo.url()), cookie).await;
    let secret = page
        .split("<code id=\"webhook-secret\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the webhook's page shows its secret")
        .to_string();
    (id, secret)
}

fn ids(got: &[Value]) -> Vec<String> {
    got.iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn every_event_arrives_signed_and_in_order_through_a_failing_receiver() {
    let receiver = Receiver::start();
    let demo = Demo::start(&["--webhook-allow-private", "--webhook-retry-seconds", "1"]);
    let admin = demo.server.session().await;
    let (webhook, secret) = subscribe(
        &demo,
        &admin,
        &receiver.hook(),
        &["check-ins", "objectives", "moves", "comments"],
        "",
    )
    .await;
    assert!(secret.starts_with("whsec_"));
    // The receiver fails the first three attempts.
    receiver.control(&secret, 3).await;
    let since = demo
        .scalar("SELECT coalesce(max(id), 0) FROM audit_events")
        .await;

    // Changes through the API: check-ins on two objectives, taking turns, a
    // change of title and a comment.
    let api = Api::new(
        demo.url(),
        &make_token(
            demo.url(),
            &admin,
            "/account/tokens",
            "events",
            &["read", "write"],
            "",
        )
        .await,
    );
    let krs: Vec<(i64, i64)> = {
        let first = demo
            .scalar(
                "SELECT min(k.id) FROM key_results k JOIN objectives o ON o.id = k.objective_id \
             JOIN periods p ON p.id = o.period_id WHERE k.kind = 'metric' AND p.state = 'active'",
            )
            .await;
        let o1 = demo
            .scalar(&format!(
                "SELECT objective_id FROM key_results WHERE id = {first}"
            ))
            .await;
        let second = demo.scalar(&format!(
            "SELECT min(k.id) FROM key_results k JOIN objectives o ON o.id = k.objective_id \
             JOIN periods p ON p.id = o.period_id WHERE k.kind = 'metric' AND p.state = 'active' AND o.id <> {o1}"
        )).await;
        let o2 = demo
            .scalar(&format!(
                "SELECT objective_id FROM key_results WHERE id = {second}"
            ))
            .await;
        vec![(first, o1), (second, o2)]
    };
    for round in 0..4 {
        for (kr, _) in &krs {
            let made = api
                .post(
                    &format!("/api/v1/key-results/{kr}/check-ins"),
                    json!({"value": 10 + round, "confidence": 7}),
                )
                .await;
            assert_eq!(made.status, 201, "{}", made.text);
        }
    }
    let o1 = krs[0].1;
    let read = api.get(&format!("/api/v1/objectives/{o1}")).await;
    let changed = api
        .send(
            "PATCH",
            &format!("/api/v1/objectives/{o1}"),
            &[("if-match", &read.etag())],
            Some(json!({"title": "Heard of at once"}).to_string()),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let commented = api
        .post(
            &format!("/api/v1/objectives/{o1}/comments"),
            json!({"body": "Nice work 👏"}),
        )
        .await;
    assert_eq!(commented.status, 201, "{}", commented.text);

    // Every audited change of a subscribed kind since: its message id.
    let expected: Vec<String> = {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&demo.db).await.unwrap();
        sqlx::query_scalar::<_, i64>(&format!(
            "SELECT id FROM audit_events WHERE id > {since} AND action IN \
             ('check_in.create', 'objective.update', 'comment.create') ORDER BY id"
        ))
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|id| format!("msg_{id}"))
        .collect()
    };
    assert_eq!(expected.len(), 10, "{expected:?}");
    let got = receiver
        .until("every event, delivered", |got| {
            let ok: Vec<String> = got
                .iter()
                .filter(|r| r["status"] == 200)
                .map(|r| r["id"].as_str().unwrap_or_default().to_string())
                .collect();
            expected.iter().all(|id| ok.contains(id))
        })
        .await;
    // Signed, every attempt; the first three refused and tried again.
    assert!(got.iter().all(|r| r["verified"] == true), "{got:#?}");
    assert_eq!(got.iter().take(3).filter(|r| r["status"] == 500).count(), 3);
    assert_eq!(
        ids(&got[..4])
            .iter()
            .collect::<std::collections::HashSet<_>>()
            .len(),
        1,
        "the first is retried until it goes"
    );
    // In order per objective: each objective's events arrive (first time
    // accepted) in the order they happened.
    let accepted: Vec<&Value> = got.iter().filter(|r| r["status"] == 200).collect();
    for (_, objective) in &krs {
        let order: Vec<i64> = accepted
            .iter()
            .filter(|r| r["objective_id"].as_i64() == Some(*objective))
            .map(|r| r["id"].as_str().unwrap()[4..].parse::<i64>().unwrap())
            .collect();
        assert!(order.len() >= 4, "{order:?}");
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "out of order for {objective}: {order:?}"
        );
    }
    let check_in = accepted
        .iter()
        .find(|r| r["type"] == "check_in.create")
        .unwrap();
    assert_eq!(check_in["body"]["data"]["entity"], "key_results");
    assert_eq!(check_in["body"]["data"]["via"], "events");

    // The webhook's page lists the deliveries with their answers.
    let page = page_with(&format!("{}/webhooks/{webhook}", demo.url()), &admin).await;
    assert!(
        page.contains("500 Internal Server Error"),
        "the failed attempts' answer is shown"
    );
    assert!(
        page.matches("<span class=\"tag on-track\">sent</span>")
            .count()
            >= 10
    );

    // "Send a test event" and "redeliver".
    let before = receiver.received().await.len();
    form(
        demo.url(),
        &admin,
        &format!("/webhooks/{webhook}/test"),
        &[],
    )
    .await;
    let got = receiver
        .until("the test event", |got| {
            got.iter().any(|r| r["type"] == "webhook.test")
        })
        .await;
    assert!(got.len() > before && got.last().unwrap()["verified"] == true);
    let first = demo.scalar(&format!("SELECT min(id) FROM webhook_deliveries WHERE webhook_id = {webhook} AND audit_event_id IS NOT NULL")).await;
    let first_id = format!(
        "msg_{}",
        demo.scalar(&format!(
            "SELECT audit_event_id FROM webhook_deliveries WHERE id = {first}"
        ))
        .await
    );
    let count = |got: &[Value]| {
        got.iter()
            .filter(|r| r["id"] == first_id.as_str() && r["status"] == 200)
            .count()
    };
    let once = count(&receiver.received().await);
    form(
        demo.url(),
        &admin,
        &format!("/webhooks/{webhook}/deliveries/{first}/redeliver"),
        &[],
    )
    .await;
    receiver
        .until("the redelivery, under the same message id", |got| {
            count(got) == once + 1
        })
        .await;
}

#[tokio::test]
async fn a_webhook_failing_on_and_on_is_switched_off_and_its_maker_told() {
    let receiver = Receiver::start();
    let demo = Demo::start(&[
        "--webhook-allow-private",
        "--webhook-retry-seconds",
        "1",
        "--webhook-max-failures",
        "3",
    ]);
    let admin = demo.server.session().await;
    let (webhook, secret) = subscribe(&demo, &admin, &receiver.hook(), &["check-ins"], "").await;
    receiver.control(&secret, 1000).await;
    let api = Api::new(
        demo.url(),
        &make_token(
            demo.url(),
            &admin,
            "/account/tokens",
            "tries",
            &["check-in"],
            "",
        )
        .await,
    );
    let kr = crate::support::database::metric_key_result(&demo.db).await;
    let made = api
        .post(
            &format!("/api/v1/key-results/{kr}/check-ins"),
            json!({"value": 5, "confidence": 5}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    receiver.until("three attempts", |got| got.len() >= 3).await;
    // Switched off after the third: no fourth attempt, the maker told.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while demo
        .scalar(&format!("SELECT active FROM webhooks WHERE id = {webhook}"))
        .await
        == 1
    {
        assert!(
            std::time::Instant::now() < deadline,
            "never switched off: {}",
            demo.server.output()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        demo.scalar("SELECT count(*) FROM notices WHERE kind = 'webhook'")
            .await,
        1
    );
    let page = page_with(&format!("{}/webhooks/{webhook}", demo.url()), &admin).await;
    assert!(page.contains("id=\"webhook-off\""));
    let inbox = page_with(&format!("{}/inbox", demo.url()), &admin).await;
    assert!(inbox.contains(&receiver.hook()), "the inbox tells of it");
    assert_eq!(receiver.received().await.len(), 3);
    // Switched on again once the receiver works: the waiting event goes out.
    receiver.control(&secret, 0).await;
    form(
        demo.url(),
        &admin,
        &format!("/webhooks/{webhook}/enable"),
        &[],
    )
    .await;
    receiver
        .until("the event that waited", |got| {
            got.iter().any(|r| r["status"] == 200)
        })
        .await;
}
