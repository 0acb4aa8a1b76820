//! Search tells equal titles apart: each hit names its owner and period, the
//! running period's come first, and units are found by name.

use serde_json::Value;

use crate::support::roles::post_form;
use crate::support::{Demo, page_in};

async fn search(demo: &Demo, cookie: &str, query: &str) -> Vec<Value> {
    let body = format!("query={}", query.replace(' ', "+"));
    let (status, answer) = post_form(demo.url(), cookie, "search", body).await;
    assert_eq!(status, 200, "{answer}");
    serde_json::from_str(&answer).unwrap()
}

#[tokio::test]
async fn hits_name_owner_and_period_and_the_running_period_comes_first() {
    let demo = Demo::start(&["--today", "2026-08-15"]);
    let admin = demo.server.session().await;
    // A title the demo gives objectives in a running and in an ended period.
    let title = demo
        .text(
            "SELECT o.title FROM objectives o JOIN periods p ON p.id = o.period_id \
             GROUP BY o.title HAVING count(DISTINCT p.state) > 1 \
             AND sum(CASE WHEN p.state = 'active' THEN 1 ELSE 0 END) > 0 ORDER BY o.title LIMIT 1",
        )
        .await;
    let hits = search(&demo, &admin, &title).await;
    let same: Vec<&Value> = hits
        .iter()
        .filter(|h| h["kind"] == "Objective" && h["title"] == title.as_str())
        .collect();
    assert!(same.len() > 1, "{title}: {hits:?}");
    let states: Vec<&str> = same
        .iter()
        .map(|h| h["period"][1].as_str().unwrap_or_else(|| panic!("{h}")))
        .collect();
    let running = states.iter().take_while(|s| **s == "active").count();
    assert!(running > 0, "{states:?}");
    assert!(
        states[running..].iter().all(|s| *s != "active"),
        "running first: {states:?}"
    );
    for hit in &same {
        assert!(
            hit["owner"].as_str().is_some_and(|o| !o.is_empty()),
            "{hit}"
        );
        assert!(hit["period"][0].as_str().is_some(), "{hit}");
    }
    // Hits with one title are told apart by owner or period.
    let told: std::collections::HashSet<String> = same
        .iter()
        .map(|h| format!("{} {}", h["owner"], h["period"][0]))
        .collect();
    assert!(told.len() > 1, "{same:?}");

    // A unit by its name, linked to its page, with its parent beside it.
    let (unit, name) = (
        demo.scalar("SELECT id FROM org_units WHERE kind = 'team' ORDER BY id LIMIT 1")
            .await,
        demo.text("SELECT name FROM org_units WHERE kind = 'team' ORDER BY id LIMIT 1")
            .await,
    );
    let hits = search(&demo, &admin, &name).await;
    let hit = hits
        .iter()
        .find(|h| h["kind"] == "Unit" && h["href"] == format!("/units/{unit}"))
        .unwrap_or_else(|| panic!("{name}: {hits:?}"));
    let parent = demo
        .text(&format!(
            "SELECT p.name FROM org_units c JOIN org_units p ON p.id = c.parent_id WHERE c.id = {unit}"
        ))
        .await;
    assert_eq!(hit["owner"], parent.as_str());

    // The search page says the same in words.
    let page = page_in(
        &format!("{}/search?q={}", demo.url(), title.replace(' ', "+")),
        &admin,
        "nl",
    )
    .await;
    assert!(
        page.contains("class=\"hit-context\""),
        "context on the page"
    );
}
