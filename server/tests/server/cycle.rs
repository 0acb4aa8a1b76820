//! A quarter's cycle over HTTP, on a fixed day (15 August 2026: Q3 runs, Q4 is
//! planned, 2027 does not exist): periods made by hand and in one step, check-ins
//! closed while grading, a unit's grading sheet, carrying forward and undoing it,
//! closing with a look at what is ungraded, reopening, and the summary as CSV.

use serde_json::{Value, json};

use crate::support::roles::{PASSWORD, post_form, post_json};
use crate::support::{Demo, no_redirects, page_with, sign_in};

const TODAY: &str = "2026-08-15";

struct Cycle {
    demo: Demo,
    admin: String,
    lead: String,
    member: String,
    /// 2026 Q3 (active) and 2026 Q4 (planning).
    q3: i64,
    q4: i64,
    team: i64,
    /// A team objective of Q3 aligned to another objective of Q3.
    objective: i64,
}

async fn start(extra: &[&str]) -> Cycle {
    let mut args = vec!["--today", TODAY];
    args.extend(extra);
    let demo = Demo::start(&args);
    let q3 = demo
        .scalar("SELECT id FROM periods WHERE name = '2026 Q3'")
        .await;
    let q4 = demo
        .scalar("SELECT id FROM periods WHERE name = '2026 Q4'")
        .await;
    let objective = demo
        .scalar(&format!(
            "SELECT o.id FROM objectives o JOIN alignments a ON a.child_id = o.id AND a.valid_to IS NULL \
             JOIN objectives p ON p.id = a.parent_objective_id \
             WHERE o.period_id = {q3} AND p.period_id = {q3} AND o.owner_unit_id IS NOT NULL \
             AND EXISTS (SELECT 1 FROM memberships m WHERE m.unit_id = o.owner_unit_id AND m.role = 'lead') \
             AND EXISTS (SELECT 1 FROM memberships m WHERE m.unit_id = o.owner_unit_id AND m.role = 'member') \
             AND EXISTS (SELECT 1 FROM key_results k WHERE k.objective_id = o.id AND k.progress < 1) \
             ORDER BY o.id LIMIT 1"
        ))
        .await;
    let team = demo
        .scalar(&format!(
            "SELECT owner_unit_id FROM objectives WHERE id = {objective}"
        ))
        .await;
    let email = |role: &str| {
        format!(
            "SELECT p.email FROM people p JOIN memberships m ON m.person_id = p.id \
             WHERE m.unit_id = {team} AND m.role = '{role}' ORDER BY p.id LIMIT 1"
        )
    };
    let lead = sign_in(demo.url(), &demo.text(&email("lead")).await, PASSWORD).await;
    let member = sign_in(demo.url(), &demo.text(&email("member")).await, PASSWORD).await;
    let admin = demo.server.session().await;
    Cycle {
        demo,
        admin,
        lead,
        member,
        q3,
        q4,
        team,
        objective,
    }
}

impl Cycle {
    async fn count(&self, sql: &str) -> i64 {
        self.demo.scalar(sql).await
    }

    /// Posts a plain form; the status and where it redirects.
    async fn form(&self, cookie: &str, path: &str, body: &[(&str, &str)]) -> (u16, String) {
        let response = no_redirects()
            .post(format!("{}{path}", self.demo.url()))
            .header("cookie", cookie)
            .form(body)
            .send()
            .await
            .unwrap();
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (response.status().as_u16(), location)
    }

    /// A page's HTML, without the markers between its text pieces.
    async fn page(&self, cookie: &str, path: &str) -> String {
        page_with(&format!("{}{path}", self.demo.url()), cookie)
            .await
            .replace("<!-- -->", "")
            .replace("<!>", "")
    }

    async fn version(&self, table: &str, id: i64) -> String {
        self.count(&format!("SELECT version FROM {table} WHERE id = {id}"))
            .await
            .to_string()
    }
}

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
async fn a_quarter_is_graded_on_the_unit_sheet_carried_closed_and_summarised() {
    let c = start(&[]).await;
    // Into grading: check-ins close, and the page says why.
    let (status, _) = post_form(
        c.demo.url(),
        &c.admin,
        "advance_period",
        format!(
            "period={}&version={}",
            c.q3,
            c.version("periods", c.q3).await
        ),
    )
    .await;
    assert_eq!(status, 200);
    let kr = c
        .count(&format!(
            "SELECT id FROM key_results WHERE objective_id = {} AND kind = 'metric' ORDER BY id LIMIT 1",
            c.objective
        ))
        .await;
    let check_ins = c.count("SELECT count(*) FROM check_ins").await;
    if kr > 0 {
        let (status, body) = post_form(
            c.demo.url(),
            &c.lead,
            "check_in",
            format!("key_result={kr}&value=5&confidence=5"),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("CheckInWhileGrading"), "{body}");
    }
    assert_eq!(c.count("SELECT count(*) FROM check_ins").await, check_ins);
    let page = c
        .page(&c.lead, &format!("/objectives/{}", c.objective))
        .await;
    assert!(
        page.contains("id=\"check-ins-closed\"") && !page.contains("check-in-form"),
        "{page}"
    );

    // The unit's sheet: the lead grades, a member reads.
    let sheet = format!("/units/{}/grade", c.team);
    let lead_page = c.page(&c.lead, &sheet).await;
    assert!(
        lead_page.contains("unit-sheet") && lead_page.contains("key results graded"),
        "{lead_page}"
    );
    let member_page = c.page(&c.member, &sheet).await;
    assert!(!member_page.contains("unit-sheet"), "a member reads only");
    let objectives: Vec<i64> = ids(&c, &format!(
        "SELECT id FROM objectives WHERE owner_unit_id = {} AND period_id = {} AND state <> 'abandoned' ORDER BY position, id",
        c.team, c.q3
    ))
    .await;
    assert!(!objectives.is_empty());
    let mut sheets = Vec::new();
    for o in &objectives {
        let lines: Vec<Value> = ids(
            &c,
            &format!("SELECT id FROM key_results WHERE objective_id = {o} ORDER BY position, id"),
        )
        .await
        .into_iter()
        .map(|k| json!({ "key_result": k, "grade": "", "reason": "graded on the sheet" }))
        .collect();
        sheets.push(json!({ "objective": o, "version": c.version("objectives", *o).await.parse::<i64>().unwrap(), "lines": lines, "retrospective": "" }));
    }
    // Every line at 0,6 (the Dutch way), with a reason for any override.
    for sheet in &mut sheets {
        for line in sheet["lines"].as_array_mut().unwrap() {
            line["grade"] = json!("0,6");
        }
    }
    let mut bad = sheets.clone();
    bad[0]["lines"][0]["grade"] = json!("1,5");
    let graded = format!(
        "SELECT count(*) FROM key_results k JOIN objectives o ON o.id = k.objective_id \
         WHERE o.owner_unit_id = {} AND o.period_id = {} AND o.state <> 'abandoned' AND k.grade IS NOT NULL",
        c.team, c.q3
    );
    let graded_before = c.count(&graded).await;
    let (status, body) = post_json(
        c.demo.url(),
        &c.member,
        "save_unit_grades",
        &json!({ "unit": c.team, "sheets": sheets }),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = post_json(
        c.demo.url(),
        &c.lead,
        "save_unit_grades",
        &json!({ "unit": c.team, "sheets": bad }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("objectives.0.grades.0.grade") && body.contains("OutOfRange"),
        "{body}"
    );
    assert_eq!(c.count(&graded).await, graded_before, "nothing stored");
    let (status, body) = post_json(
        c.demo.url(),
        &c.lead,
        "save_unit_grades",
        &json!({ "unit": c.team, "sheets": sheets }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        c.count(&format!(
            "SELECT count(*) FROM key_results k JOIN objectives o ON o.id = k.objective_id \
             WHERE o.owner_unit_id = {} AND o.period_id = {} AND o.state <> 'abandoned' AND k.grade IS NULL",
            c.team, c.q3
        ))
        .await,
        0,
        "the whole sheet is graded"
    );
    // The same sheet on the old versions is a conflict, and changes nothing.
    let audit = c.count("SELECT count(*) FROM audit_events").await;
    let (status, _) = post_json(
        c.demo.url(),
        &c.lead,
        "save_unit_grades",
        &json!({ "unit": c.team, "sheets": sheets }),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(c.count("SELECT count(*) FROM audit_events").await, audit);
    let dutch = no_redirects()
        .get(format!("{}/units/{}?period={}", c.demo.url(), c.team, c.q3))
        .header("cookie", &c.member)
        .header("accept-language", "nl")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        dutch.contains("grade-badge") && dutch.contains("<strong>0,6</strong>"),
        "grades with a decimal comma: {dutch}"
    );

    carry_forward(&c).await;
    close_and_reopen(&c).await;
}

async fn ids(c: &Cycle, sql: &str) -> Vec<i64> {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&c.demo.db).await.unwrap();
    sqlx::query_scalar(sql).fetch_all(&mut conn).await.unwrap()
}

async fn carry_forward(c: &Cycle) {
    let carry = |cookie: String, objective: i64| async move {
        post_form(
            c.demo.url(),
            &cookie,
            "carry_forward",
            format!("objective={objective}&period={}", c.q4),
        )
        .await
    };
    let parent_of = |id: i64| {
        format!(
            "SELECT parent_objective_id FROM alignments WHERE child_id = {id} AND valid_to IS NULL"
        )
    };
    // An objective whose parent goes on (a 2026 objective): the copy keeps it.
    let continuing = c
        .count(&format!(
            "SELECT o.id FROM objectives o JOIN alignments a ON a.child_id = o.id AND a.valid_to IS NULL \
             JOIN objectives p ON p.id = a.parent_objective_id JOIN periods pp ON pp.id = p.period_id \
             WHERE o.period_id = {} AND pp.kind = 'year' ORDER BY o.id LIMIT 1",
            c.q3
        ))
        .await;
    let (status, body) = carry(c.admin.clone(), continuing).await;
    assert_eq!(status, 200, "{body}");
    let copy: i64 = body.trim().parse().unwrap();
    assert_eq!(
        c.count(&parent_of(copy)).await,
        c.count(&parent_of(continuing)).await
    );

    // A parent in the same quarter: the child's copy aligns to the parent's copy.
    let parent = c.count(&parent_of(c.objective)).await;
    let (status, body) = carry(c.admin.clone(), parent).await;
    assert_eq!(status, 200, "{body}");
    let parent_copy: i64 = body.trim().parse().unwrap();
    let (status, body) = carry(c.lead.clone(), c.objective).await;
    assert_eq!(status, 200, "{body}");
    let copy: i64 = body.trim().parse().unwrap();
    assert_eq!(
        c.count(&format!(
            "SELECT carried_from FROM objectives WHERE id = {copy}"
        ))
        .await,
        c.objective
    );
    assert_eq!(c.count(&parent_of(copy)).await, parent_copy);
    // Twice: refused, naming the copy; nothing made.
    let objectives = c.count("SELECT count(*) FROM objectives").await;
    let (status, body) = carry(c.lead.clone(), c.objective).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("AlreadyCarried") && body.contains(&copy.to_string()),
        "{body}"
    );
    assert_eq!(c.count("SELECT count(*) FROM objectives").await, objectives);
    // Links both ways.
    let page = c
        .page(&c.member, &format!("/objectives/{}", c.objective))
        .await;
    assert!(
        page.contains("carried-to") && page.contains(&format!("/objectives/{copy}\"")),
        "{page}"
    );
    let page = c.page(&c.member, &format!("/objectives/{copy}")).await;
    assert!(
        page.contains("carried-from") && page.contains(&format!("/objectives/{}\"", c.objective)),
        "{page}"
    );

    // Cancel right after carrying offers to undo it: not for a member, then done.
    let edit = c.page(&c.lead, &format!("/objectives/{copy}/edit")).await;
    assert!(
        edit.contains("undo-carry-form") && edit.contains("Undo carrying forward"),
        "{edit}"
    );
    let undo = format!("/objectives/{copy}/undo-carry");
    c.form(&c.member, &undo, &[]).await;
    assert_eq!(
        c.count(&format!(
            "SELECT count(*) FROM objectives WHERE id = {copy}"
        ))
        .await,
        1
    );
    let (status, location) = c.form(&c.lead, &undo, &[]).await;
    assert_eq!(
        (status, location),
        (303, format!("/objectives/{}/grade", c.objective))
    );
    assert_eq!(
        c.count(&format!(
            "SELECT count(*) FROM objectives WHERE id = {copy}"
        ))
        .await,
        0
    );
    assert_eq!(
        c.count("SELECT count(*) FROM audit_events WHERE action = 'objective.carry_undo'")
            .await,
        1
    );
    // Carried again; once checked in on, it stays.
    let (status, body) = carry(c.lead.clone(), c.objective).await;
    assert_eq!(status, 200, "{body}");
    let again: i64 = body.trim().parse().unwrap();
    let kr = c
        .count(&format!(
            "SELECT min(id) FROM key_results WHERE objective_id = {again} AND kind = 'metric'"
        ))
        .await;
    if kr > 0 {
        let (status, body) = post_form(
            c.demo.url(),
            &c.lead,
            "check_in",
            format!("key_result={kr}&value=1&confidence=7"),
        )
        .await;
        assert_eq!(status, 200, "a planned quarter takes check-ins: {body}");
        c.form(&c.lead, &format!("/objectives/{again}/undo-carry"), &[])
            .await;
        assert_eq!(
            c.count(&format!(
                "SELECT count(*) FROM objectives WHERE id = {again}"
            ))
            .await,
            1
        );
        let edit = c.page(&c.lead, &format!("/objectives/{again}/edit")).await;
        assert!(edit.contains("changed or checked in on"), "{edit}");
    }
}

async fn close_and_reopen(c: &Cycle) {
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
