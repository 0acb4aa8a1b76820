//! Who may do what through the API: the UI's table of rights repeated with
//! tokens, each within its scopes; revoked and expired tokens refused at once;
//! service tokens; the audit trail names the token.

use serde_json::json;

use super::{Api, make_token};
use crate::support::roles::{footprint, scalar, setup};

#[tokio::test]
async fn tokens_do_what_their_person_may_within_their_scopes() {
    let s = setup().await;
    let base = s.server.url.clone();
    let o = s.objective;
    let kr = s.key_result;

    // Without a token, with a made-up one: 401 with the scheme to use.
    let nobody = Api::new(&base, "");
    let answer = nobody.get("/api/v1/objectives").await;
    assert_eq!(
        (answer.status, answer.problem().as_str()),
        (401, "unauthenticated")
    );
    assert_eq!(answer.headers["www-authenticate"], "Bearer realm=\"cairn\"");
    let forged = Api::new(&base, "cairn_not-a-token-anyone-made");
    assert_eq!(forged.get("/api/v1/me").await.status, 401);

    // Each role makes a token for checking in and one for writing, on their
    // account page; the member's first one only reads.
    let mut check_in = Vec::new();
    let mut write = Vec::new();
    for (role, cookie) in s.actors.iter().skip(1) {
        let c = make_token(
            &base,
            cookie,
            "/account/tokens",
            &format!("{role} check-in"),
            &["read", "check-in"],
            "30",
        )
        .await;
        let w = make_token(
            &base,
            cookie,
            "/account/tokens",
            &format!("{role} write"),
            &["read", "write"],
            "",
        )
        .await;
        check_in.push((*role, Api::new(&base, &c)));
        write.push((*role, Api::new(&base, &w)));
    }
    let reader = Api::new(
        &base,
        &make_token(
            &base,
            &s.actors[2].1,
            "/account/tokens",
            "member reads",
            &["read"],
            "",
        )
        .await,
    );
    let me = reader.get("/api/v1/me").await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["token"]["scopes"], json!(["read"]));
    assert_eq!(me.body["token"]["service"], json!(false));
    assert!(reader.get(&format!("/api/v1/objectives/{o}")).await.status == 200);

    // A read token reads but does not check in; nothing is stored.
    let before = footprint(&s.url).await;
    let refused = reader
        .post(
            &format!("/api/v1/key-results/{kr}/check-ins"),
            json!({"value": 21, "confidence": 7}),
        )
        .await;
    assert_eq!(
        (refused.status, refused.problem().as_str()),
        (403, "insufficient-scope")
    );
    assert_eq!(footprint(&s.url).await, before);

    // Where the objective aligns now: the lead moves it to the top, the admin back.
    let parent_objective = scalar(&s.url, &format!(
        "SELECT coalesce(max(parent_objective_id), 0) FROM alignments WHERE child_id = {o} AND valid_to IS NULL")).await;
    let home = if parent_objective > 0 {
        json!({"kind": "objective", "id": parent_objective})
    } else {
        json!({"kind": "key_result", "id": scalar(&s.url, &format!(
            "SELECT max(parent_key_result_id) FROM alignments WHERE child_id = {o} AND valid_to IS NULL")).await})
    };
    //                         other member lead admin (as on the UI's table)
    let table: [(&str, [u16; 4]); 6] = [
        ("check in", [403, 201, 201, 201]),
        ("change the objective", [403, 403, 200, 200]),
        ("create for the team", [403, 403, 201, 201]),
        ("align the objective", [403, 403, 200, 200]),
        ("comment", [201, 201, 201, 201]),
        // Not in grading: who may grade is told so by the rule, the others are refused.
        ("grade the objective", [403, 403, 422, 422]),
    ];
    for (what, expected) in table {
        for (i, want) in expected.into_iter().enumerate() {
            let (role, check_in) = &check_in[i];
            let (_, write) = &write[i];
            let before = footprint(&s.url).await;
            let version = scalar(
                &s.url,
                &format!("SELECT version FROM objectives WHERE id = {o}"),
            )
            .await;
            let tag = format!("\"{version}\"");
            let answer = match what {
                "check in" => {
                    check_in
                        .post(&format!("/api/v1/key-results/{kr}/check-ins"), json!({"value": 20 + i, "confidence": 6}))
                        .await
                }
                "change the objective" => {
                    write
                        .send("PATCH", &format!("/api/v1/objectives/{o}"), &[("if-match", &tag)],
                            Some(json!({"title": format!("Changed by the {role}")}).to_string()))
                        .await
                }
                "create for the team" => {
                    write
                        .post("/api/v1/objectives", json!({
                            "period_id": s.period, "owner": {"kind": "unit", "id": s.team},
                            "title": format!("Made by the {role}'s script"),
                            "key_results": [{"title": "Twelve demos", "kind": "metric", "start": 0, "target": 12}]
                        }))
                        .await
                }
                "comment" => {
                    write
                        .post(&format!("/api/v1/objectives/{o}/comments"), json!({"body": format!("Seen by the {role}")}))
                        .await
                }
                "grade the objective" => {
                    // Every key result at its suggested grade: a whole, valid sheet.
                    let sheet = write.get(&format!("/api/v1/objectives/{o}/grades")).await;
                    let lines: Vec<serde_json::Value> = sheet.body["lines"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|l| json!({"key_result_id": l["key_result_id"], "grade": l["suggested"]}))
                        .collect();
                    write
                        .send("PUT", &format!("/api/v1/objectives/{o}/grades"), &[("if-match", &tag)],
                            Some(json!({ "lines": lines }).to_string()))
                        .await
                }
                _ => {
                    write
                        .send("PUT", &format!("/api/v1/objectives/{o}/parent"), &[("if-match", &tag)],
                            Some(json!({"parent": if *role == "admin" { home.clone() } else { json!(null) }}).to_string()))
                        .await
                }
            };
            assert_eq!(answer.status, want, "{what} as {role}: {}", answer.text);
            if want >= 400 {
                let kind = if want == 422 { "rule" } else { "forbidden" };
                assert_eq!(answer.problem(), kind, "{what} as {role}");
                assert_eq!(
                    footprint(&s.url).await,
                    before,
                    "{what} as {role} stored something"
                );
            } else {
                assert!(
                    footprint(&s.url).await.0 > before.0,
                    "{what} as {role} left no audit row"
                );
            }
        }
    }
    // The check-in scope does not write objectives.
    let tag = format!(
        "\"{}\"",
        scalar(
            &s.url,
            &format!("SELECT version FROM objectives WHERE id = {o}")
        )
        .await
    );
    let answer = check_in[2]
        .1
        .send(
            "PATCH",
            &format!("/api/v1/objectives/{o}"),
            &[("if-match", &tag)],
            Some(json!({"title": "No"}).to_string()),
        )
        .await;
    assert_eq!(
        (answer.status, answer.problem().as_str()),
        (403, "insufficient-scope")
    );

    // Every change through a token is in the audit trail under its name; the
    // trail is for admin tokens of admins only.
    let lead_admin_scope = Api::new(
        &base,
        &make_token(
            &base,
            &s.actors[3].1,
            "/account/tokens",
            "lead audit",
            &["admin"],
            "",
        )
        .await,
    );
    let answer = lead_admin_scope.get("/api/v1/audit").await;
    assert_eq!(
        (answer.status, answer.problem().as_str()),
        (403, "forbidden")
    );
    let auditor = Api::new(
        &base,
        &make_token(
            &base,
            &s.actors[4].1,
            "/account/tokens",
            "admin audit",
            &["admin"],
            "",
        )
        .await,
    );
    let trail = auditor
        .get("/api/v1/audit?action=check_in.create&limit=10")
        .await;
    assert_eq!(trail.status, 200, "{}", trail.text);
    let vias: Vec<&str> = trail.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["via"].as_str())
        .collect();
    for role in ["member", "lead", "admin"] {
        assert!(
            vias.contains(&format!("{role} check-in").as_str()),
            "{vias:?}"
        );
    }
    assert_eq!(
        auditor.get("/api/v1/objectives").await.problem(),
        "insufficient-scope"
    );

    // Revoked on the account page: refused on the very next request.
    let lead = &check_in[2].1;
    assert_eq!(lead.get("/api/v1/me").await.status, 200);
    let id = scalar(
        &s.url,
        "SELECT id FROM api_tokens WHERE name = 'lead check-in'",
    )
    .await;
    let revoked = crate::support::no_redirects()
        .post(format!("{base}/account/tokens/{id}/revoke"))
        .header("cookie", &s.actors[3].1)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 303);
    assert_eq!(lead.get("/api/v1/me").await.status, 401);
    // Someone else's token is not theirs to revoke.
    let other_id = scalar(
        &s.url,
        "SELECT id FROM api_tokens WHERE name = 'member write'",
    )
    .await;
    let _ = crate::support::no_redirects()
        .post(format!("{base}/account/tokens/{other_id}/revoke"))
        .header("cookie", &s.actors[3].1)
        .send()
        .await
        .unwrap();
    assert_eq!(write[1].1.get("/api/v1/me").await.status, 200);

    // Expired: refused as soon as its time is up.
    let member = &check_in[1].1;
    assert_eq!(member.get("/api/v1/me").await.status, 200);
    crate::support::database::execute(
        &s.url,
        "UPDATE api_tokens SET expires_at = 1 WHERE name = 'member check-in'",
    )
    .await;
    assert_eq!(member.get("/api/v1/me").await.status, 401);

    // A service token (admins only) works with an admin's rights, within its
    // scopes, and is nobody: it checks in without an author.
    let lead_tries = crate::support::no_redirects()
        .post(format!("{base}/admin/tokens"))
        .header("cookie", &s.actors[3].1)
        .form(&[("name", "sneaky"), ("scopes", "write")])
        .send()
        .await
        .unwrap();
    assert_eq!(lead_tries.status(), 303);
    assert_eq!(
        scalar(
            &s.url,
            "SELECT count(*) FROM api_tokens WHERE name = 'sneaky'"
        )
        .await,
        0
    );
    let service = Api::new(
        &base,
        &make_token(
            &base,
            &s.actors[4].1,
            "/admin/tokens",
            "BI export",
            &["read", "check-in"],
            "",
        )
        .await,
    );
    let me = service.get("/api/v1/me").await;
    assert_eq!(
        (
            me.body["token"]["service"].as_bool(),
            me.body["person"].is_null()
        ),
        (Some(true), true)
    );
    let made = service
        .post(
            &format!("/api/v1/key-results/{kr}/check-ins"),
            json!({"value": 33, "confidence": 8}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert!(made.body["author_id"].is_null());
    assert_eq!(made.body["source"], "api");
}

/// A check-in's author corrects or deletes it through the API while it is the
/// newest; anyone else, or bad input, is refused with a typed problem and nothing
/// is stored.
#[tokio::test]
async fn a_check_in_is_corrected_and_deleted_by_its_author_only() {
    let s = setup().await;
    let base = s.server.url.clone();
    let kr = s.key_result;
    let mut tokens = Vec::new();
    for (i, name) in [(2, "member"), (3, "lead")] {
        let secret = make_token(
            &base,
            &s.actors[i].1,
            "/account/tokens",
            &format!("{name} checks in"),
            &["read", "check-in"],
            "",
        )
        .await;
        tokens.push(Api::new(&base, &secret));
    }
    let (member, lead) = (&tokens[0], &tokens[1]);
    let made = member
        .post(
            &format!("/api/v1/key-results/{kr}/check-ins"),
            json!({"value": 500, "confidence": 6}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let id = made.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/check-ins/{id}");
    let put = |api: &Api, body: serde_json::Value| {
        let (api, path) = (api.clone(), path.clone());
        async move { api.send("PUT", &path, &[], Some(body.to_string())).await }
    };

    let before = footprint(&s.url).await;
    // What is refused and why: the rule's or the problem's code, or the field at fault.
    for (api, body, problem, said, which) in [
        // The lead may check in here, but this check-in is the member's.
        (
            lead,
            json!({"value": 50, "confidence": 6}),
            "rule",
            "code",
            "not-your-check-in",
        ),
        (
            member,
            json!({"value": 50, "confidence": 11}),
            "invalid",
            "field",
            "confidence",
        ),
        (
            member,
            json!({"done": true, "confidence": 6}),
            "invalid",
            "field",
            "done",
        ),
        (
            member,
            json!({"value": "fifty", "confidence": 6}),
            "invalid",
            "code",
            "shape",
        ),
    ] {
        let refused = put(api, body.clone()).await;
        assert_eq!(
            (
                refused.status,
                refused.problem().as_str(),
                refused.body[said].as_str()
            ),
            (422, problem, Some(which)),
            "{body}: {}",
            refused.text
        );
    }
    let refused = lead.send("DELETE", &path, &[], None).await;
    assert_eq!(
        refused.body["code"],
        json!("not-your-check-in"),
        "{}",
        refused.text
    );
    assert_eq!(footprint(&s.url).await, before, "nothing stored");

    // The member meant 50.
    let fixed = put(
        member,
        json!({"value": 50, "confidence": 8, "note": "50, not 500"}),
    )
    .await;
    assert_eq!(fixed.status, 200, "{}", fixed.text);
    assert_eq!(fixed.body["id"], json!(id));
    assert_eq!(fixed.body["value"], json!(50.0));
    assert_eq!(fixed.body["note"], json!("50, not 500"));
    let reading = member.get(&format!("/api/v1/key-results/{kr}")).await;
    assert_eq!(reading.body["confidence"], json!(8), "{}", reading.text);
    let via = scalar(
        &s.url,
        "SELECT count(*) FROM audit_events WHERE action = 'check_in.correct' AND via = 'member checks in'",
    )
    .await;
    assert_eq!(via, 1, "the trail names the token");

    // A newer check-in by the lead: the member's is no longer the newest.
    let newer = lead
        .post(
            &format!("/api/v1/key-results/{kr}/check-ins"),
            json!({"value": 55, "confidence": 7}),
        )
        .await;
    assert_eq!(newer.status, 201);
    let refused = member.send("DELETE", &path, &[], None).await;
    assert_eq!(
        refused.body["code"],
        json!("not-newest-check-in"),
        "{}",
        refused.text
    );
    let newer_path = format!("/api/v1/check-ins/{}", newer.body["id"]);
    assert_eq!(
        lead.send("DELETE", &newer_path, &[], None).await.status,
        204
    );
    let gone = member.send("DELETE", &path, &[], None).await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    let again = member.send("DELETE", &path, &[], None).await;
    assert_eq!((again.status, again.problem().as_str()), (404, "not-found"));
}
