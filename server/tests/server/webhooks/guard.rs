//! Where webhooks may point and who may subscribe them: addresses inside
//! refused unless allowed (when subscribed and at every connection); leads for
//! their units only; members not at all.

use serde_json::json;

use super::form;
use crate::api::{Api, make_token};
use crate::support::receiver::Receiver;
use crate::support::roles::PASSWORD;
use crate::support::{Demo, page_with, sign_in};

#[tokio::test]
async fn addresses_inside_are_refused_and_only_leads_and_admins_subscribe() {
    let receiver = Receiver::start();
    let demo = Demo::start(&[]);
    let admin = demo.server.session().await;
    let stored = || demo.scalar("SELECT count(*) FROM webhooks");
    for (url, says) in [
        (receiver.hook(), "private network"),
        ("http://localhost:8080/hook".to_string(), "private network"),
        ("http://[::1]/hook".to_string(), "private network"),
        ("ftp://example.org/hook".to_string(), "https://"),
        (
            "https://user:secret@example.org/hook".to_string(),
            "user names",
        ),
        (
            format!("https://example.org/{}", "x".repeat(2100)),
            "too long",
        ),
    ] {
        let back = form(
            demo.url(),
            &admin,
            "/webhooks",
            &[("url", &url), ("kinds", "check-ins")],
        )
        .await;
        assert!(back.starts_with("/webhooks#"), "{url} was accepted");
        let page = page_with(&format!("{}/webhooks", demo.url()), &admin).await;
        assert!(
            page.contains(says),
            "{url}: {}",
            &page[page.find("form-error").unwrap_or(0)..][..300.min(page.len())]
        );
        assert_eq!(stored().await, 0);
    }
    let back = form(
        demo.url(),
        &admin,
        "/webhooks",
        &[("url", "https://hooks.example.org/cairn")],
    )
    .await;
    assert!(back.starts_with("/webhooks#"), "no kinds: refused");

    // A lead subscribes for their unit, not for the organisation or another unit;
    // a member not at all.
    let team = demo
        .scalar("SELECT min(unit_id) FROM memberships WHERE role = 'lead'")
        .await;
    let lead_email = {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&demo.db).await.unwrap();
        sqlx::query_scalar::<_, String>(&format!(
            "SELECT p.email FROM people p JOIN memberships m ON m.person_id = p.id WHERE m.unit_id = {team} AND m.role = 'lead' ORDER BY p.id LIMIT 1"))
            .fetch_one(&mut conn).await.unwrap()
    };
    let lead = sign_in(demo.url(), &lead_email, PASSWORD).await;
    let other_unit = demo.scalar(&format!("SELECT min(id) FROM org_units WHERE id <> {team} AND id NOT IN \
        (SELECT unit_id FROM memberships m JOIN people p ON p.id = m.person_id WHERE p.email = '{lead_email}')")).await;
    let url = "https://hooks.example.org/cairn";
    for unit in [String::new(), other_unit.to_string()] {
        form(
            demo.url(),
            &lead,
            "/webhooks",
            &[("url", url), ("kinds", "check-ins"), ("unit", &unit)],
        )
        .await;
        assert_eq!(stored().await, 0, "a lead subscribed for {unit:?}");
    }
    let back = form(
        demo.url(),
        &lead,
        "/webhooks",
        &[
            ("url", url),
            ("kinds", "check-ins"),
            ("unit", &team.to_string()),
        ],
    )
    .await;
    assert!(back.starts_with("/webhooks/"), "{back}");
    assert_eq!(stored().await, 1);
    let member_email = {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&demo.db).await.unwrap();
        sqlx::query_scalar::<_, String>(
            "SELECT p.email FROM people p WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.role <> 'member') \
             AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id AND a.is_admin = 1) ORDER BY p.id LIMIT 1")
            .fetch_one(&mut conn).await.unwrap()
    };
    let member = sign_in(demo.url(), &member_email, PASSWORD).await;
    let page = page_with(&format!("{}/webhooks/1", demo.url()), &member).await;
    assert!(
        !page.contains("webhook-secret"),
        "a member sees another's webhook"
    );

    // An address that became private after it was subscribed is not reached.
    crate::support::database::execute(
        &demo.db,
        &format!(
            "UPDATE webhooks SET url = '{}', kinds = 'check-ins', unit_id = NULL",
            receiver.hook()
        ),
    )
    .await;
    let api = Api::new(
        demo.url(),
        &make_token(
            demo.url(),
            &admin,
            "/account/tokens",
            "inside",
            &["check-in"],
            "",
        )
        .await,
    );
    let kr = crate::support::database::metric_key_result(&demo.db).await;
    assert_eq!(
        api.post(
            &format!("/api/v1/key-results/{kr}/check-ins"),
            json!({"value": 5, "confidence": 5})
        )
        .await
        .status,
        201
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while demo
        .scalar("SELECT coalesce(max(attempts), 0) FROM webhook_deliveries")
        .await
        == 0
    {
        assert!(std::time::Instant::now() < deadline, "never tried");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        demo.text("SELECT last_error FROM webhook_deliveries")
            .await
            .contains("private")
    );
    assert!(receiver.received().await.is_empty());
}
