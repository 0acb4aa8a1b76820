//! Closing a quarter over HTTP: moving it on, grading, carrying forward, admin
//! corrections and the audit page, each called in every role.

use crate::support::roles::*;
use serde_json::{Value, json};

use sqlx::Connection;

#[tokio::test]
async fn closing_a_quarter_answers_each_role_as_it_should() {
    let s = setup().await;
    let admin = s.actors[4].1.clone();
    let period_version = |url: String, id: i64| async move {
        scalar(
            &url,
            &format!("SELECT version FROM periods WHERE id = {id}"),
        )
        .await
    };
    // Only admins move a period on.
    for ((actor, cookie), want) in s.actors.iter().zip([401, 403, 403, 403, 200]) {
        let v = period_version(s.url.clone(), s.period).await;
        let (status, body) = post_form(
            &s.server.url,
            cookie,
            "advance_period",
            format!("period={}&version={v}", s.period),
        )
        .await;
        assert_eq!(status, want, "advance_period as {actor}: {body}");
    }
    assert_eq!(
        text(
            &s.url,
            &format!("SELECT state FROM periods WHERE id = {}", s.period)
        )
        .await,
        "grading"
    );

    // Grades: the lead and the admin, not the member or anyone else.
    let lines = |url: String, objective: i64| async move {
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        let rows: Vec<(i64, f64)> = sqlx::query_as(&format!(
            "SELECT id, progress FROM key_results WHERE objective_id = {objective} ORDER BY id"
        ))
        .fetch_all(&mut conn)
        .await
        .unwrap();
        rows.into_iter()
            .map(|(id, p)| json!({ "key_result": id, "grade": format!("{:.1}", (p * 10.0).round() / 10.0), "reason": "" }))
            .collect::<Vec<_>>()
    };
    for ((actor, cookie), want) in s.actors.iter().zip([401, 403, 403, 200, 200]) {
        let v = scalar(
            &s.url,
            &format!("SELECT version FROM objectives WHERE id = {}", s.objective),
        )
        .await;
        let body = json!({ "objective": s.objective, "version": v, "lines": lines(s.url.clone(), s.objective).await, "retrospective": format!("by {actor}") });
        let before = footprint(&s.url).await;
        let (status, answer) = post_json(&s.server.url, cookie, "save_grades", &body).await;
        assert_eq!(status, want, "save_grades as {actor}: {answer}");
        if want != 200 {
            assert_eq!(
                footprint(&s.url).await,
                before,
                "save_grades as {actor} stored nothing"
            );
        }
    }
    // An override without a reason, and a grade out of range, are refused.
    let v = scalar(
        &s.url,
        &format!("SELECT version FROM objectives WHERE id = {}", s.objective),
    )
    .await;
    let mut bad = lines(s.url.clone(), s.objective).await;
    let far = if bad[0]["grade"] == "1.0" {
        "0.0"
    } else {
        "1.0"
    };
    bad[0]["grade"] = json!(far);
    let (status, answer) = post_json(
        &s.server.url,
        &admin,
        "save_grades",
        &json!({ "objective": s.objective, "version": v, "lines": bad, "retrospective": "" }),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    assert!(answer.contains("\"ReasonNeeded\""), "{answer}");
    bad[0]["grade"] = json!("11");
    let (status, answer) = post_json(
        &s.server.url,
        &admin,
        "save_grades",
        &json!({ "objective": s.objective, "version": v, "lines": bad, "retrospective": "" }),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    assert!(answer.contains("\"OutOfRange\""), "{answer}");

    // Carrying forward: the lead may, the member may not.
    let next = scalar(
        &s.url,
        "SELECT coalesce(min(id), 0) FROM periods WHERE kind = 'quarter' AND state = 'planning'",
    )
    .await;
    if next > 0 {
        for ((actor, cookie), want) in s.actors.iter().zip([401, 403, 403, 200, 200]) {
            let (status, answer) = post_form(
                &s.server.url,
                cookie,
                "carry_forward",
                format!("objective={}&period={next}", s.objective),
            )
            .await;
            assert_eq!(status, want, "carry_forward as {actor}: {answer}");
        }
    }

    // Closed: the lead can no longer grade; an admin's correction is recorded as one.
    let v = period_version(s.url.clone(), s.period).await;
    let (status, _) = post_form(
        &s.server.url,
        &admin,
        "advance_period",
        format!("period={}&version={v}", s.period),
    )
    .await;
    assert_eq!(status, 200);
    let body = |v: i64, lines: Vec<Value>| json!({ "objective": s.objective, "version": v, "lines": lines, "retrospective": "corrected" });
    let v = scalar(
        &s.url,
        &format!("SELECT version FROM objectives WHERE id = {}", s.objective),
    )
    .await;
    let (status, answer) = post_json(
        &s.server.url,
        &s.actors[3].1,
        "save_grades",
        &body(v, lines(s.url.clone(), s.objective).await),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    assert!(answer.contains("ClosedPeriod"), "{answer}");
    let (status, answer) = post_json(
        &s.server.url,
        &admin,
        "save_grades",
        &body(v, lines(s.url.clone(), s.objective).await),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        scalar(
            &s.url,
            "SELECT count(*) FROM audit_events WHERE action = 'objective.grade_correction'"
        )
        .await,
        1
    );
    // And a closed period takes no check-ins, edits or moves, from anyone.
    let (status, _) = post_form(
        &s.server.url,
        &admin,
        "check_in",
        format!("key_result={}&value=5&confidence=5", s.key_result),
    )
    .await;
    assert_eq!(status, 422);

    // The audit page is the admins'.
    for ((actor, cookie), want) in s.actors.iter().zip([401, 403, 403, 403, 200]) {
        let (status, answer) = post_form(
            &s.server.url,
            cookie,
            "read_audit",
            "entity=objectives".to_string(),
        )
        .await;
        assert_eq!(status, want, "read_audit as {actor}: {answer}");
        if want == 200 {
            assert!(answer.contains("objective.grade_correction"), "{answer}");
        }
    }
}
