//! Closing after a look at what is ungraded, reopening, and the summary.

use super::Cycle;
use crate::support::no_redirects;

pub(super) async fn close_and_reopen(c: &Cycle) {
    let ungraded = c
        .count(&format!(
            "SELECT count(*) FROM objectives WHERE period_id = {} AND state <> 'abandoned' AND grade IS NULL",
            c.q3
        ))
        .await;
    assert!(ungraded > 0, "other units have not graded");
    let page = c.page(&c.admin, &format!("/periods/{}/close", c.q3)).await;
    assert!(
        page.contains(&format!("{ungraded} of ")) && page.contains("still ungraded"),
        "{page}"
    );
    assert!(
        page.contains(&format!("Close anyway, with {ungraded} ungraded")),
        "{page}"
    );
    let lead_page = c.page(&c.lead, &format!("/periods/{}/close", c.q3)).await;
    assert!(!lead_page.contains("close-form"));
    // A stale version: back to the confirmation, still grading.
    let close = format!("/periods/{}/close", c.q3);
    let stale = (c.version("periods", c.q3).await.parse::<i64>().unwrap() - 1).to_string();
    assert_eq!(
        c.form(&c.admin, &close, &[("version", &stale)]).await,
        (303, close.clone())
    );
    assert_eq!(
        c.demo
            .text(&format!("SELECT state FROM periods WHERE id = {}", c.q3))
            .await,
        "grading"
    );
    let version = c.version("periods", c.q3).await;
    assert_eq!(
        c.form(&c.lead, &close, &[("version", &version)]).await.1,
        close
    );
    assert_eq!(
        c.form(&c.admin, &close, &[("version", &version)]).await,
        (303, format!("/periods/{}/summary", c.q3))
    );
    assert_eq!(
        c.demo
            .text(&format!("SELECT state FROM periods WHERE id = {}", c.q3))
            .await,
        "closed"
    );

    // After close: the lead's sheet says so, and the editor too (not a 5xx).
    let grade = c
        .page(&c.lead, &format!("/objectives/{}/grade", c.objective))
        .await;
    assert!(
        grade.contains("these grades are final") && !grade.contains(">Grading<"),
        "{grade}"
    );
    let response = no_redirects()
        .get(format!("{}/objectives/{}/edit", c.demo.url(), c.objective))
        .header("cookie", &c.lead)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("This period is closed")
    );

    // The summary: as a page and as CSV, in the reader's language.
    let summary = c
        .page(&c.member, &format!("/periods/{}/summary", c.q3))
        .await;
    assert!(
        summary.contains("summary-carried")
            && summary.contains(&format!("/units/{}/grade", c.team)),
        "{summary}"
    );
    let csv = |language: &'static str| async move {
        let response = no_redirects()
            .get(format!("{}/periods/{}/summary/csv", c.demo.url(), c.q3))
            .header("cookie", &c.member)
            .header("accept-language", language)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_string()),
            Some("text/csv; charset=utf-8".to_string()),
            "{}",
            response.status()
        );
        response.text().await.unwrap()
    };
    let english = csv("en").await;
    assert!(
        english.starts_with("Unit,Average grade,Committed met,Committed missed"),
        "{english}"
    );
    let team_name = c
        .demo
        .text(&format!("SELECT name FROM org_units WHERE id = {}", c.team))
        .await;
    let team_line = english
        .lines()
        .find(|l| l.starts_with(&team_name) || l.starts_with(&format!("\"{team_name}")))
        .unwrap_or_else(|| panic!("{team_name} in {english}"));
    assert!(
        team_line.contains(",0.60,"),
        "every objective at 0.6: {team_line}"
    );
    let dutch = csv("nl").await;
    assert!(dutch.starts_with("Eenheid;Gemiddelde score"), "{dutch}");
    assert!(dutch.contains(";0,60;"), "{dutch}");
    let anonymous = no_redirects()
        .get(format!("{}/periods/{}/summary/csv", c.demo.url(), c.q3))
        .send()
        .await
        .unwrap();
    assert_ne!(anonymous.status(), 200);

    // Reopened by an admin only, audited.
    let version = c.version("periods", c.q3).await;
    let reopen = format!("/periods/{}/reopen", c.q3);
    c.form(&c.lead, &reopen, &[("version", &version)]).await;
    assert_eq!(
        c.demo
            .text(&format!("SELECT state FROM periods WHERE id = {}", c.q3))
            .await,
        "closed"
    );
    c.form(&c.admin, &reopen, &[("version", &version)]).await;
    assert_eq!(
        c.demo
            .text(&format!("SELECT state FROM periods WHERE id = {}", c.q3))
            .await,
        "grading"
    );
    assert!(
        c.count("SELECT count(*) FROM audit_events WHERE action = 'period.state' AND after LIKE '%\"grading\"%'").await >= 2
    );
}
