//! Periods made by hand, the next quarter in one step, and planned ahead.

use super::start;
use crate::support::Demo;

#[tokio::test]
async fn admins_make_periods_by_hand_and_the_next_quarter_in_one_step() {
    let c = start(&[]).await;
    let periods = "SELECT count(*) FROM periods";
    let before = c.count(periods).await;
    let page = c.page(&c.admin, "/periods").await;
    assert!(
        page.contains("Create 2027 Q1"),
        "Q4 offers the next: {page}"
    );
    assert!(!page.contains("Create 2026 Q4"), "Q4 exists already");
    let member_page = c.page(&c.member, "/periods").await;
    assert!(!member_page.contains("new-period") && !member_page.contains("Create 2027 Q1"));

    // Not for a member; then once for the admin, with its year.
    let next = format!("/periods/{}/next", c.q4);
    assert_eq!(
        c.form(&c.member, &next, &[]).await,
        (303, "/periods".into())
    );
    assert_eq!(c.count(periods).await, before);
    assert_eq!(c.form(&c.admin, &next, &[]).await.0, 303);
    assert_eq!(c.count(periods).await, before + 2);
    let year = c
        .count(
            "SELECT id FROM periods WHERE name = '2027' AND kind = 'year' AND state = 'planning'",
        )
        .await;
    assert_eq!(
        c.count(&format!(
            "SELECT count(*) FROM periods WHERE name = '2027 Q1' AND parent_id = {year} \
             AND starts_on = '2027-01-01' AND ends_on = '2027-03-31'"
        ))
        .await,
        1
    );
    // Again: refused as an overlap, said on the page.
    c.form(&c.admin, &next, &[]).await;
    assert_eq!(c.count(periods).await, before + 2);
    let page = c.page(&c.admin, "/periods").await;
    assert!(page.contains("overlaps another period"), "{page}");

    // By hand: each refusal stores nothing and keeps what was typed.
    let refused: [(&[(&str, &str)], &str); 7] = [
        (
            &[
                ("kind", "quarter"),
                ("starts", "2030-01-01"),
                ("ends", "2030-03-31"),
            ],
            "inside the period it belongs to",
        ),
        (
            &[("kind", "year"), ("starts", "soon"), ("ends", "2031-12-31")],
            "Enter a date",
        ),
        (
            &[
                ("kind", "custom"),
                ("name", "Sprint"),
                ("starts", "2027-03-01"),
                ("ends", "2027-02-01"),
            ],
            "cannot end before it starts",
        ),
        (
            &[
                ("kind", "decade"),
                ("starts", "2027-01-01"),
                ("ends", "2036-12-31"),
            ],
            "choose one of the options",
        ),
        (
            &[
                ("kind", "custom"),
                ("name", "Bell\u{7}"),
                ("starts", "2027-02-01"),
                ("ends", "2027-02-10"),
            ],
            "characters that are not allowed",
        ),
        (
            &[("kind", "backlog"), ("name", "Second backlog")],
            "overlaps another period",
        ),
        (
            &[
                ("kind", "custom"),
                ("name", "Sprint 2"),
                ("starts", "2027-02-15"),
                ("ends", "2027-03-15"),
            ],
            "",
        ),
    ];
    assert_eq!(
        c.form(
            &c.admin,
            "/periods",
            &[
                ("kind", "custom"),
                ("name", "Sprint 1"),
                ("starts", "2027-02-01"),
                ("ends", "2027-02-28")
            ]
        )
        .await,
        (303, "/periods#new-period".into())
    );
    let with_sprint = before + 3;
    assert_eq!(c.count(periods).await, with_sprint);
    for (body, message) in refused {
        c.form(&c.admin, "/periods", body).await;
        assert_eq!(c.count(periods).await, with_sprint, "{body:?} was refused");
        let page = c.page(&c.admin, "/periods").await;
        let said = if message.is_empty() {
            "overlaps another period"
        } else {
            message
        };
        assert!(page.contains(said), "{body:?}: {said} in {page}");
    }
    let page = {
        c.form(
            &c.admin,
            "/periods",
            &[
                ("kind", "custom"),
                ("name", "Sprint 2"),
                ("starts", "2027-02-15"),
                ("ends", "2027-03-15"),
            ],
        )
        .await;
        c.page(&c.admin, "/periods").await
    };
    assert!(
        page.contains("value=\"Sprint 2\"") && page.contains("value=\"2027-02-15\""),
        "typed kept: {page}"
    );
    // A member's form stores nothing.
    c.form(
        &c.member,
        "/periods",
        &[
            ("kind", "year"),
            ("starts", "2040-01-01"),
            ("ends", "2040-12-31"),
        ],
    )
    .await;
    assert_eq!(c.count(periods).await, with_sprint);
}

#[tokio::test]
async fn the_next_quarter_is_planned_ahead_when_asked() {
    // 20 December: Q4 ends in 11 days, 2027 does not exist yet.
    let mut args = vec!["--plan-periods-ahead", "14", "--log-level", "info"];
    args.extend(["--today", "2026-12-20"]);
    let demo = Demo::start(&args);
    demo.server.wait_for_line("next period planned");
    assert_eq!(
        demo.scalar(
            "SELECT count(*) FROM periods WHERE name IN ('2027', '2027 Q1') AND state = 'planning'"
        )
        .await,
        2
    );
}
