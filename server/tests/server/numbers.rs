//! Numbers typed into forms mean what the typist meant: `12.000,5` to a Dutch
//! reader, `12,000.5` to an English one; `12.000` could be either, so it is
//! refused with both readings and nothing is stored.

use crate::support::roles::post_form_in;
use crate::support::{Demo, page_in};

/// Posts a check-in as a reader of `language`; the status and the body.
async fn check_in(demo: &Demo, cookie: &str, language: &str, body: String) -> (u16, String) {
    post_form_in(language, demo.url(), cookie, "check_in", body).await
}

#[tokio::test]
async fn check_ins_read_numbers_in_the_readers_language() {
    let demo = Demo::start(&["--today", "2026-08-15"]);
    let admin = demo.server.session().await;
    let kr = demo
        .scalar(
            "SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id \
             JOIN periods p ON p.id = o.period_id \
             WHERE k.direction = 'increase' AND p.state = 'active' ORDER BY k.id LIMIT 1",
        )
        .await;
    let stored = "SELECT count(*) FROM check_ins";
    let latest = "SELECT CAST(value * 10 AS INTEGER) FROM check_ins ORDER BY id DESC LIMIT 1";
    let before = demo.scalar(stored).await;
    let form = |value: &str| format!("key_result={kr}&value={value}&confidence=7");

    // Ambiguous in either language: refused, both readings named, nothing stored.
    for (language, typed, own, other) in [
        ("nl", "12.000", 12000.0, 12.0),
        ("en", "1%2C500", 1500.0, 1.5),
    ] {
        let (status, body) = check_in(&demo, &admin, language, form(typed)).await;
        assert_eq!(status, 422, "{body}");
        let error: serde_json::Value = serde_json::from_str(&body).unwrap();
        let refused = &error["Invalid"]["problem"]["Value"]["AmbiguousNumber"];
        assert_eq!(
            (refused["own"].as_f64(), refused["other"].as_f64()),
            (Some(own), Some(other)),
            "{body}"
        );
    }
    assert_eq!(demo.scalar(stored).await, before);

    // Each language's own way of writing twelve thousand and a half.
    for (language, typed) in [
        ("nl", "12.000%2C5"),
        ("nl-BE", "12%C2%A0000%2C5"),
        ("en", "12%2C000.5"),
        ("en", "12000.5"),
    ] {
        let (status, body) = check_in(&demo, &admin, language, form(typed)).await;
        assert_eq!(status, 200, "{language} {typed}: {body}");
        assert_eq!(demo.scalar(latest).await, 120_005, "{language} {typed}");
    }
    assert_eq!(demo.scalar(stored).await, before + 4);

    // Shown back grouped, in the reader's words and marks.
    let objective = demo
        .scalar(&format!(
            "SELECT objective_id FROM key_results WHERE id = {kr}"
        ))
        .await;
    for (language, value, words) in [("nl", "12.000,5", "(van "), ("en", "12,000.5", "(from ")] {
        let page = page_in(
            &format!("{}/objectives/{objective}", demo.url()),
            &admin,
            language,
        )
        .await;
        assert!(page.contains(value), "{language}: {value}");
        assert!(page.contains(words), "{language}: {words}");
    }
}

#[tokio::test]
async fn chart_axes_speak_in_millions_in_the_readers_words() {
    let demo = Demo::start(&["--today", "2026-08-15"]);
    let admin = demo.server.session().await;
    let (team, period) = (
        demo.scalar("SELECT id FROM org_units WHERE kind = 'team' ORDER BY id LIMIT 1")
            .await,
        demo.scalar("SELECT id FROM periods WHERE kind = 'quarter' AND state = 'active'")
            .await,
    );
    let mut draft = crate::support::roles::draft("Grow the fund");
    draft["key_results"] = serde_json::json!([
        { "id": null, "title": "Fund size", "kind": "metric", "direction": "increase",
          "start": "12000000", "target": "24000000", "unit": "USD", "weight": "1", "milestones": [] }
    ]);
    let (status, body) = crate::support::roles::post_json(
        demo.url(),
        &admin,
        "save_objective",
        &serde_json::json!({ "objective": null, "owner": format!("unit:{team}"), "period": period,
                             "parent": null, "draft": draft }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let objective = demo.scalar("SELECT max(id) FROM objectives").await;
    let kr = demo
        .scalar(&format!(
            "SELECT id FROM key_results WHERE objective_id = {objective}"
        ))
        .await;
    let (status, body) = check_in(
        &demo,
        &admin,
        "en",
        format!("key_result={kr}&value=15000000&confidence=8"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for (language, axis, point) in [
        ("nl", "18 mln", "15.000.000 USD"),
        ("en", "18M", "15,000,000 USD"),
    ] {
        let page = page_in(
            &format!("{}/objectives/{objective}", demo.url()),
            &admin,
            language,
        )
        .await;
        let axes: Vec<&str> = page
            .split("class=\"chart-axis\"")
            .skip(1)
            .filter_map(|a| a.split_once('>').map(|(_, rest)| rest))
            .filter_map(|a| a.split("</text>").next())
            .collect();
        assert!(axes.contains(&axis), "{language}: {axes:?}");
        assert!(
            !axes.iter().any(|a| a.contains("000k")),
            "{language}: {axes:?}"
        );
        assert!(
            page.contains(&format!("<title>{point}</title>")),
            "{language}: a check-in's point names its value in full"
        );
    }
}
