//! A status says why it is what it is: "at risk: confidence 5/10" for a key result
//! ahead of the pace, "behind pace: 0 % of 49 % expected" for one that trails it,
//! in the reader's language, with a legend of the colours on the page.

use serde_json::Value;

use crate::support::roles::post_form_in;
use crate::support::{Demo, page_in};

/// The objective page as a reader of `language` sees it, markers removed.
async fn page(demo: &Demo, cookie: &str, language: &str, objective: i64) -> String {
    page_in(
        &format!("{}/objectives/{objective}", demo.url()),
        cookie,
        language,
    )
    .await
}

/// The key result's verdict and expected pace as the page's data carries them.
async fn verdict(demo: &Demo, cookie: &str, objective: i64, kr: i64) -> (Value, f64) {
    let (status, body) = post_form_in(
        "en",
        demo.url(),
        cookie,
        "objective_page",
        format!("objective={objective}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page: Value = serde_json::from_str(&body).unwrap();
    let line = page["key_results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["view"]["id"] == kr)
        .unwrap_or_else(|| panic!("{page}"));
    let expected = line["view"]["explanation"]["Entered"]["expected"]
        .as_f64()
        .unwrap();
    (line["view"]["verdict"].clone(), expected)
}

#[tokio::test]
async fn a_status_names_its_reason_in_the_readers_language() {
    let demo = Demo::start(&["--today", "2026-08-15"]);
    let admin = demo.server.session().await;
    let chosen = "FROM key_results k JOIN objectives o ON o.id = k.objective_id \
         JOIN periods p ON p.id = o.period_id \
         WHERE k.direction = 'increase' AND p.state = 'active' AND p.kind = 'quarter' \
         AND k.target_value = CAST(k.target_value AS INTEGER) \
         AND k.start_value = CAST(k.start_value AS INTEGER) ORDER BY k.id LIMIT 1";
    let kr = demo.scalar(&format!("SELECT k.id {chosen}")).await;
    let objective = demo
        .scalar(&format!("SELECT k.objective_id {chosen}"))
        .await;
    let start = demo
        .scalar(&format!("SELECT CAST(k.start_value AS INTEGER) {chosen}"))
        .await;
    let target = demo
        .scalar(&format!("SELECT CAST(k.target_value AS INTEGER) {chosen}"))
        .await;
    let check_in = |value: i64, confidence: u8| {
        let admin = admin.clone();
        let demo = &demo;
        async move {
            let (status, body) = post_form_in(
                "en",
                demo.url(),
                &admin,
                "check_in",
                format!("key_result={kr}&value={value}&confidence={confidence}"),
            )
            .await;
            assert_eq!(status, 200, "{body}");
        }
    };

    // Done is on track whatever the confidence; the target less one, with a
    // confidence of 5, is ahead of any pace and still at risk: the confidence says so.
    check_in(target - (target - start).signum(), 5).await;
    let (at_risk, _) = verdict(&demo, &admin, objective, kr).await;
    assert_eq!(at_risk["status"], "at_risk", "{at_risk}");
    assert_eq!(at_risk["reason"]["kind"], "confidence", "{at_risk}");
    assert_eq!(at_risk["reason"]["confidence"], 5);
    for (language, words, status) in [
        ("en", "confidence 5/10", "At risk"),
        ("nl", "vertrouwen 5/10", "In gevaar"),
    ] {
        let html = page(&demo, &admin, language, objective).await;
        assert!(
            html.contains(&format!("<span class=\"status-reason\">{words}</span>")),
            "{language}: {words}"
        );
        assert!(html.contains(status), "{language}: {status}");
        assert!(
            html.contains("class=\"status-legend\""),
            "{language}: the legend"
        );
    }

    // Back at the start, confident: behind the pace, by exactly the expected share.
    check_in(start, 9).await;
    let (behind, expected) = verdict(&demo, &admin, objective, kr).await;
    let expected = (expected * 100.0).round() as i64;
    assert!(expected > 30, "mid-quarter, the pace is well under way");
    assert_eq!(behind["status"], "off_track", "{behind}");
    assert_eq!(behind["reason"]["kind"], "behind_pace", "{behind}");
    assert_eq!(behind["reason"]["progress"], 0);
    assert_eq!(behind["reason"]["expected"], expected);
    let html = page(&demo, &admin, "nl", objective).await;
    let words = format!("achter op schema: 0 % van {expected} % verwacht");
    assert!(html.contains(&words), "{words}");

    // A comment's "About" list tells check-ins apart by key result, reading, a
    // day in the reader's words and author.
    let at = demo
        .scalar(&format!(
            "SELECT at FROM check_ins WHERE key_result_id = {kr} ORDER BY id DESC LIMIT 1"
        ))
        .await;
    let day = chrono::DateTime::from_timestamp_millis(at)
        .unwrap()
        .date_naive();
    let months = [
        "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ];
    use chrono::Datelike;
    let written = format!(
        "{} {} {}",
        day.day(),
        months[day.month0() as usize],
        day.year()
    );
    let title = demo
        .text(&format!("SELECT title FROM key_results WHERE id = {kr}"))
        .await
        .replace('&', "&amp;")
        .replace('<', "&lt;");
    let options: Vec<&str> = html
        .split("<option ")
        .skip(1)
        .filter_map(|o| o.split("</option>").next())
        .collect();
    assert!(
        options
            .iter()
            .any(|o| o.contains(&title) && o.contains(&format!(" · {written} · "))),
        "{written}: {options:?}"
    );
}

#[tokio::test]
async fn a_year_objective_counts_the_quarters_aligned_to_it() {
    let demo = Demo::start(&["--today", "2026-08-15"]);
    let admin = demo.server.session().await;
    let year = demo
        .scalar(
            "SELECT a.parent_objective_id FROM alignments a \
             JOIN objectives c ON c.id = a.child_id JOIN periods cp ON cp.id = c.period_id \
             JOIN objectives p ON p.id = a.parent_objective_id JOIN periods pp ON pp.id = p.period_id \
             WHERE a.valid_to IS NULL AND a.is_primary = 1 AND cp.kind = 'quarter' AND pp.kind = 'year' \
             ORDER BY 1 LIMIT 1",
        )
        .await;
    let (status, body) = post_form_in(
        "en",
        demo.url(),
        &admin,
        "objective_page",
        format!("objective={year}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page: Value = serde_json::from_str(&body).unwrap();
    let aligned = &page["with_aligned"];
    let children = aligned["children"].as_array().unwrap();
    assert!(!children.is_empty(), "{aligned}");
    assert!(
        children.len() >= page["children"].as_array().unwrap().len(),
        "every aligned objective counts"
    );
    // Its own progress with weight 1, each aligned objective with its own weight.
    let own = page["objective"]["progress"].as_f64().unwrap();
    let (weighted, total) = children.iter().fold((own, 1.0), |(sum, total), c| {
        let weight = c["weight"].as_f64().unwrap();
        (
            sum + weight * c["progress"].as_f64().unwrap(),
            total + weight,
        )
    });
    let figure = aligned["progress"].as_f64().unwrap();
    assert!((figure - weighted / total).abs() < 1e-9, "{aligned}");
    let shares: f64 = aligned["own_share"].as_f64().unwrap()
        + children
            .iter()
            .map(|c| c["share"].as_f64().unwrap())
            .sum::<f64>();
    assert!((shares - 1.0).abs() < 1e-9);
    for child in children {
        assert!(
            child["label"].as_str().is_some_and(|l| !l.is_empty()),
            "{child}"
        );
    }
    let html = page_in(&format!("{}/objectives/{year}", demo.url()), &admin, "nl").await;
    assert!(html.contains("Met de doelstellingen die erop aansluiten (Σ)"));
    assert!(html.contains("Eigen kernresultaten"));

    // The year's tree shows the same Σ for it, though the quarters are not in it.
    let period = demo
        .scalar(&format!(
            "SELECT period_id FROM objectives WHERE id = {year}"
        ))
        .await;
    let (status, body) =
        post_form_in("en", demo.url(), &admin, "tree", format!("period={period}")).await;
    assert_eq!(status, 200, "{body}");
    let tree: Value = serde_json::from_str(&body).unwrap();
    let shown = tree["data"]["beyond"]
        .as_array()
        .unwrap()
        .iter()
        .find(|pair| pair[0] == year)
        .and_then(|pair| pair[1].as_f64())
        .unwrap_or_else(|| panic!("{}", tree["data"]["beyond"]));
    assert!((shown - figure).abs() < 1e-4, "{shown} against {figure}");
}
