//! Numbers typed into forms mean what the typist meant: `12.000,5` to a Dutch
//! reader, `12,000.5` to an English one; `12.000` could be either, so it is
//! refused with both readings and nothing is stored.

use crate::support::Demo;
use crate::support::roles::post_form_in;

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
        let page = reqwest::Client::new()
            .get(format!("{}/objectives/{objective}", demo.url()))
            .header("cookie", &admin)
            .header("accept-language", language)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .replace("<!-- -->", "")
            .replace("<!>", "");
        assert!(page.contains(value), "{language}: {value}");
        assert!(page.contains(words), "{language}: {words}");
    }
}
