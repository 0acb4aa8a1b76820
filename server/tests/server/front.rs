//! The front page's figures: one scope for its counters (the whole period, every
//! unit and person), each a link to its list, the lists' owners named, and the
//! installation's facts for admins only.

use serde_json::Value;

use crate::support::roles::{PASSWORD, post_form};
use crate::support::{Demo, page_in, sign_in};

async fn front(demo: &Demo, cookie: &str, body: &str) -> Value {
    let (status, answer) = post_form(demo.url(), cookie, "front_page", body.to_string()).await;
    assert_eq!(status, 200, "{answer}");
    serde_json::from_str(&answer).unwrap()
}

async fn html(demo: &Demo, cookie: &str, path: &str) -> String {
    page_in(&format!("{}{path}", demo.url()), cookie, "en").await
}

#[tokio::test]
async fn the_counters_share_one_scope_and_lead_to_their_lists() {
    let demo = Demo::start(&["--today", "2026-08-15"]);
    let admin = demo.server.session().await;
    let page = front(&demo, &admin, "").await;
    let period = page["period"]["current"]["id"].as_i64().unwrap();

    // Every objective of the period, not only the organisation's own.
    let everywhere = demo
        .scalar(&format!(
            "SELECT count(*) FROM objectives WHERE period_id = {period}"
        ))
        .await;
    let organisation = page["objectives"].as_array().unwrap().len() as i64;
    assert_eq!(page["objective_count"].as_i64(), Some(everywhere));
    assert!(everywhere > organisation, "the count is not the cards'");

    // The first few at risk; all of them when asked; the same count either way.
    let total = page["at_risk_count"].as_u64().unwrap() as usize;
    let few = page["at_risk"].as_array().unwrap();
    assert!(
        total > few.len(),
        "the demo has more at risk than the list shows"
    );
    let whole = front(&demo, &admin, &format!("period={period}&whole=at_risk")).await;
    assert_eq!(whole["at_risk"].as_array().unwrap().len(), total);
    assert_eq!(whole["at_risk_count"].as_u64(), Some(total as u64));
    assert_eq!(whole["stale"].as_array().unwrap().len(), few_stale(&page));

    // Each line names its objective's owner, as the database has it.
    for line in few {
        let objective = line["objective"].as_i64().unwrap();
        let owner = demo
            .text(&format!(
                "SELECT COALESCE(u.name, p.name) FROM objectives o \
                 LEFT JOIN org_units u ON u.id = o.owner_unit_id \
                 LEFT JOIN people p ON p.id = o.owner_person_id WHERE o.id = {objective}"
            ))
            .await;
        let named = line["owner"]
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(|o| o["name"].as_str())
            .unwrap_or_else(|| panic!("{line}"));
        assert_eq!(named, owner);
    }

    // The counters and "and N more" are links to those lists.
    let shown = html(&demo, &admin, &format!("/?period={period}")).await;
    let tree = format!("href=\"/tree?period={period}\"");
    let more = format!("href=\"/?period={period}&amp;whole=at_risk#at-risk\"");
    assert!(shown.contains(&tree), "{tree}");
    assert_eq!(
        shown.matches(&more).count(),
        2,
        "the counter and 'and … more'"
    );
    assert!(shown.contains("Everywhere in "));
    let listed = html(&demo, &admin, &format!("/?period={period}&whole=at_risk")).await;
    assert!(
        !listed.contains(&format!("{more}>and ")),
        "no 'more' under the whole list"
    );
}

fn few_stale(page: &Value) -> usize {
    page["stale"].as_array().unwrap().len()
}

#[tokio::test]
async fn the_installations_facts_are_for_admins() {
    let demo = Demo::start(&[]);
    let admin = demo.server.session().await;
    let email = demo
        .text(
            "SELECT p.email FROM people p JOIN accounts a ON a.person_id = p.id \
             WHERE a.is_admin = 0 ORDER BY p.id LIMIT 1",
        )
        .await;
    let member = sign_in(demo.url(), &email, PASSWORD).await;
    for (who, cookie, sees) in [("admin", &admin, true), ("member", &member, false)] {
        let overview = front(&demo, cookie, "").await["overview"].clone();
        assert_eq!(
            overview["installation"].is_object(),
            sees,
            "{who}: {overview}"
        );
        assert!(overview["organisation"].is_string());
        let (status, answer) = post_form(demo.url(), cookie, "overview", String::new()).await;
        assert_eq!(status, 200);
        let overview: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(
            overview["installation"].is_object(),
            sees,
            "{who}: {overview}"
        );
        let page = html(&demo, cookie, "/").await;
        assert_eq!(
            page.contains("data-testid=\"schema-version\""),
            sees,
            "{who}"
        );
    }
}
