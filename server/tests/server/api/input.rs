//! Bad input through the API: each answered with its problem (type, status,
//! the field at fault), none with a 500, and nothing stored.

use serde_json::json;

use super::{Api, make_token};
use crate::support::roles::{footprint, scalar, setup};

/// A request and what it must be answered with:
/// (method, path, headers, body, status, problem type, field).
type Case<'a> = (
    &'a str,
    String,
    Vec<(&'a str, &'a str)>,
    Option<String>,
    u16,
    &'a str,
    Option<&'a str>,
);

#[tokio::test]
async fn bad_input_gets_its_problem_and_stores_nothing() {
    let s = setup().await;
    let base = s.server.url.clone();
    let (o, kr) = (s.objective, s.key_result);
    let admin = Api::new(
        &base,
        &make_token(
            &base,
            &s.actors[4].1,
            "/account/tokens",
            "admin",
            &["read", "write"],
            "",
        )
        .await,
    );
    let tag = format!(
        "\"{}\"",
        scalar(
            &s.url,
            &format!("SELECT version FROM objectives WHERE id = {o}")
        )
        .await
    );
    let check_in = format!("/api/v1/key-results/{kr}/check-ins");
    let objective = format!("/api/v1/objectives/{o}");
    let huge = "x".repeat(2 * 1024 * 1024);
    let long_title = "é".repeat(300);
    let new_objective = |title: &str| {
        json!({"period_id": s.period, "owner": {"kind": "unit", "id": s.team}, "title": title,
               "key_results": [{"title": "One", "kind": "binary"}]})
        .to_string()
    };
    // (method, path, headers, body, status, problem type, field)
    let cases: Vec<Case> = vec![
        (
            "POST",
            check_in.clone(),
            vec![],
            Some("{\"value\": 3,".into()),
            400,
            "malformed",
            None,
        ),
        (
            "POST",
            check_in.clone(),
            vec![],
            Some("{\"value\": NaN, \"confidence\": 5}".into()),
            400,
            "malformed",
            None,
        ),
        (
            "POST",
            check_in.clone(),
            vec![],
            Some("{\"value\": 1e999, \"confidence\": 5}".into()),
            400,
            "malformed",
            None,
        ),
        (
            "POST",
            check_in.clone(),
            vec![],
            Some(json!({"value": "12.000,5", "confidence": 5}).to_string()),
            422,
            "invalid",
            None,
        ),
        (
            "POST",
            check_in.clone(),
            vec![],
            Some(json!({"value": 3, "confidence": 5, "colour": "red"}).to_string()),
            422,
            "invalid",
            None,
        ),
        (
            "POST",
            check_in.clone(),
            vec![],
            Some(json!({"confidence": 5}).to_string()),
            422,
            "invalid",
            Some("value"),
        ),
        (
            "POST",
            check_in.clone(),
            vec![],
            Some(json!({"value": 3, "confidence": 11}).to_string()),
            422,
            "invalid",
            Some("confidence"),
        ),
        (
            "POST",
            check_in.clone(),
            vec![],
            Some(json!({"value": 3, "confidence": -1}).to_string()),
            422,
            "invalid",
            Some("confidence"),
        ),
        (
            "POST",
            check_in.clone(),
            vec![],
            Some(json!({"value": 3, "done": true, "confidence": 5}).to_string()),
            422,
            "invalid",
            Some("done"),
        ),
        (
            "POST",
            check_in.clone(),
            vec![],
            Some(json!({"value": 3, "confidence": 5, "note": "bell\u{7}"}).to_string()),
            422,
            "invalid",
            Some("note"),
        ),
        (
            "POST",
            check_in.clone(),
            vec![],
            Some(json!({"value": 3, "confidence": 5, "note": huge}).to_string()),
            413,
            "payload-too-large",
            None,
        ),
        (
            "POST",
            check_in.clone(),
            vec![("idempotency-key", "")],
            Some(json!({"value": 3, "confidence": 5}).to_string()),
            400,
            "malformed",
            None,
        ),
        (
            "POST",
            "/api/v1/key-results/abc/check-ins".into(),
            vec![],
            Some(json!({"value": 3, "confidence": 5}).to_string()),
            400,
            "malformed",
            None,
        ),
        (
            "POST",
            "/api/v1/key-results/999999/check-ins".into(),
            vec![],
            Some(json!({"value": 3, "confidence": 5}).to_string()),
            404,
            "not-found",
            None,
        ),
        (
            "POST",
            "/api/v1/objectives".into(),
            vec![],
            Some(new_objective("   ")),
            422,
            "invalid",
            Some("title"),
        ),
        (
            "POST",
            "/api/v1/objectives".into(),
            vec![],
            Some(new_objective(&long_title)),
            422,
            "invalid",
            Some("title"),
        ),
        (
            "POST",
            "/api/v1/objectives".into(),
            vec![],
            Some(new_objective("tab\tin a title\u{0}")),
            422,
            "invalid",
            Some("title"),
        ),
        (
            "PATCH",
            objective.clone(),
            vec![("if-match", &tag)],
            Some(json!({"weight": -2}).to_string()),
            422,
            "invalid",
            Some("weight"),
        ),
        (
            "PATCH",
            objective.clone(),
            vec![("if-match", &tag)],
            Some(json!({"state": "sleeping"}).to_string()),
            422,
            "invalid",
            Some("state"),
        ),
        (
            "PATCH",
            objective.clone(),
            vec![("if-match", "\"999999\"")],
            Some(json!({"title": "Stale"}).to_string()),
            412,
            "precondition-failed",
            None,
        ),
        (
            "PUT",
            format!("{objective}/parent"),
            vec![("if-match", &tag)],
            Some(json!({"parent": {"kind": "objective", "id": o}}).to_string()),
            422,
            "rule",
            None,
        ),
        (
            "GET",
            "/api/v1/objectives?limit=0".into(),
            vec![],
            None,
            400,
            "malformed",
            None,
        ),
        (
            "GET",
            "/api/v1/objectives?cursor=not-ours".into(),
            vec![],
            None,
            400,
            "malformed",
            None,
        ),
        (
            "GET",
            "/api/v1/objectives?status=fine".into(),
            vec![],
            None,
            400,
            "malformed",
            None,
        ),
        (
            "GET",
            "/api/v1/objectives?updated_since=yesterday".into(),
            vec![],
            None,
            400,
            "malformed",
            None,
        ),
        (
            "GET",
            "/api/v1/objectives/999999".into(),
            vec![],
            None,
            404,
            "not-found",
            None,
        ),
        (
            "GET",
            "/api/v1/no-such-thing".into(),
            vec![],
            None,
            404,
            "not-found",
            None,
        ),
        (
            "DELETE",
            objective.clone(),
            vec![],
            None,
            405,
            "method-not-allowed",
            None,
        ),
    ];
    for (method, path, headers, body, status, kind, field) in cases {
        let before = footprint(&s.url).await;
        let answer = admin.send(method, &path, &headers, body.clone()).await;
        let shown = body.as_deref().map_or("", |b| &b[..b.len().min(80)]);
        assert_eq!(
            answer.status,
            status,
            "{method} {path} {shown}: {}",
            &answer.text[..answer.text.len().min(300)]
        );
        assert_eq!(answer.problem(), kind, "{method} {path} {shown}");
        if let Some(field) = field {
            assert_eq!(
                answer.body["field"], field,
                "{method} {path} {shown}: {}",
                answer.text
            );
            assert!(answer.body["code"].is_string(), "{}", answer.text);
        }
        assert_eq!(
            footprint(&s.url).await,
            before,
            "{method} {path} {shown} stored something"
        );
    }
    // Not JSON at all.
    let answer = reqwest::Client::new()
        .post(format!("{base}{check_in}"))
        .header("authorization", format!("Bearer {}", admin.token))
        .header("content-type", "text/plain")
        .body("value=3")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 415);

    // Unicode is welcome where text is.
    let made = admin
        .send(
            "POST",
            "/api/v1/objectives",
            &[],
            Some(new_objective("Klanten blij maken 🚀 (één keer)")),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.body["title"], "Klanten blij maken 🚀 (één keer)");
    assert!(
        made.headers["location"]
            .to_str()
            .unwrap()
            .ends_with(&made.body["id"].to_string())
    );
}
