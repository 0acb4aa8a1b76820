//! My OKRs is read once and kept until something changes: a check-in shows on the
//! next visit, however recently the page was read.

use crate::support::roles::*;

async fn my_okrs(base: &str, cookie: &str) -> String {
    let response = reqwest::Client::new()
        .get(format!("{base}/my"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

/// The key result's line on My OKRs.
fn line(page: &str, key_result: i64) -> &str {
    let start = page
        .find(&format!("id=\"kr-{key_result}\""))
        .unwrap_or_else(|| panic!("kr-{key_result} is not on My OKRs"));
    let rest = &page[start..];
    &rest[..rest.find("</li>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn a_check_in_shows_on_my_okrs_at_once() {
    let s = setup().await;
    let lead = &s.actors[3].1;
    // A key result of one of the lead's team objectives that is due for a check-in.
    let due = scalar(
        &s.url,
        &format!(
            "SELECT coalesce(min(k.id), 0) FROM key_results k JOIN objectives o ON o.id = k.objective_id \
             WHERE o.owner_unit_id = {} AND o.period_id = {} AND o.state <> 'abandoned' \
             AND k.kind = 'metric' AND (k.last_check_in_at IS NULL OR k.last_check_in_at < {})",
            s.team,
            s.period,
            chrono::Utc::now().timestamp_millis() - 8 * 24 * 60 * 60 * 1000
        ),
    )
    .await;
    assert!(due > 0, "the demo team has a key result due for a check-in");
    // Read twice: the second visit is served from what the first read.
    for _ in 0..2 {
        let page = my_okrs(&s.server.url, lead).await;
        assert!(line(&page, due).contains("tag due"), "{}", line(&page, due));
    }

    let (status, body) = post_form(
        &s.server.url,
        lead,
        "check_in",
        format!("key_result={due}&value=20&confidence=6"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let after = my_okrs(&s.server.url, lead).await;
    assert!(!line(&after, due).contains("tag due"), "{}", line(&after, due));
}
