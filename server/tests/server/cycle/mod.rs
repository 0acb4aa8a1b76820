//! A quarter's cycle over HTTP, on a fixed day (15 August 2026: Q3 runs, Q4 is
//! planned, 2027 does not exist): periods made by hand and in one step, check-ins
//! closed while grading, a unit's grading sheet, carrying forward and undoing it,
//! closing with a look at what is ungraded, reopening, and the summary as CSV.

use serde_json::{Value, json};

use crate::support::roles::{PASSWORD, post_form, post_json};
use crate::support::{Demo, no_redirects, page_with, sign_in};

mod carry;
mod close;
mod periods;

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
        (
            response.status().as_u16(),
            crate::support::location(&response),
        )
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

    carry::carry_forward(&c).await;
    close::close_and_reopen(&c).await;
}

async fn ids(c: &Cycle, sql: &str) -> Vec<i64> {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&c.demo.db).await.unwrap();
    sqlx::query_scalar(sql).fetch_all(&mut conn).await.unwrap()
}
