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

/// The percentage the key result's bar shows.
fn bar(line: &str) -> i64 {
    let at = line
        .find("aria-valuenow=\"")
        .expect("the key result has a bar")
        + 15;
    line[at..].split('"').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_check_in_shows_on_my_okrs_at_once() {
    let s = setup().await;
    let lead = &s.actors[3].1;
    // A metric key result of one of the lead's team objectives, with room to move.
    let kr = scalar(
        &s.url,
        &format!(
            "SELECT coalesce(min(k.id), 0) FROM key_results k JOIN objectives o ON o.id = k.objective_id \
             WHERE o.owner_unit_id = {} AND o.period_id = {} AND o.state <> 'abandoned' \
             AND k.kind = 'metric' AND abs(k.target_value - k.start_value) >= 20",
            s.team, s.period
        ),
    )
    .await;
    assert!(kr > 0, "the demo team has a metric key result");
    let figures = text(
        &s.url,
        &format!("SELECT start_value || ' ' || target_value || ' ' || progress FROM key_results WHERE id = {kr}"),
    )
    .await;
    let [start, target, progress]: [f64; 3] = figures
        .split(' ')
        .map(|f| f.parse().unwrap())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    // Read twice: the second visit is served from what the first read.
    let shown = (progress * 100.0).round() as i64;
    for _ in 0..2 {
        let page = my_okrs(&s.server.url, lead).await;
        assert_eq!(bar(line(&page, kr)), shown, "{}", line(&page, kr));
    }

    // A reading far from today's: a bar that did not move would show.
    let aim = if progress < 0.5 { 0.9 } else { 0.1 };
    let value = (start + (target - start) * aim).round();
    let expected = ((value - start) / (target - start) * 100.0).round() as i64;
    assert!((expected - shown).abs() > 20);
    let (status, body) = post_form(
        &s.server.url,
        lead,
        "check_in",
        format!("key_result={kr}&value={value}&confidence=6"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let after = my_okrs(&s.server.url, lead).await;
    assert_eq!(bar(line(&after, kr)), expected, "{}", line(&after, kr));
}
