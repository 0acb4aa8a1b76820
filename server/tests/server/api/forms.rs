//! The token forms on the account page and /admin/tokens, sent bad input.

use super::{Api, make_token};
use crate::support::roles::{scalar, setup};

/// The token forms refuse what is not a token: each refusal said beside the
/// form with what was typed kept, nothing stored; and a member cannot make
/// service tokens nor revoke someone else's.
#[tokio::test]
async fn token_forms_refuse_bad_input_and_store_nothing() {
    let s = setup().await;
    let base = s.server.url.clone();
    let member = &s.actors[2].1;
    let tokens = || scalar(&s.url, "SELECT count(*) FROM api_tokens");
    let huge = "n".repeat(5000);
    for (fields, field) in [
        (vec![("name", ""), ("scopes", "read")], "name"),
        (vec![("name", "   "), ("scopes", "read")], "name"),
        (vec![("name", huge.as_str()), ("scopes", "read")], "name"),
        (vec![("name", "bell\u{7}"), ("scopes", "read")], "name"),
        (vec![("name", "no scope")], "scopes"),
        (vec![("name", "odd scope"), ("scopes", "delete")], "scopes"),
        (
            vec![
                ("name", "forever and a day"),
                ("scopes", "read"),
                ("days", "367"),
            ],
            "days",
        ),
        (
            vec![("name", "never"), ("scopes", "read"), ("days", "0")],
            "days",
        ),
        (
            vec![("name", "negative"), ("scopes", "read"), ("days", "-5")],
            "days",
        ),
        (
            vec![("name", "a number?"), ("scopes", "read"), ("days", "NaN")],
            "days",
        ),
    ] {
        let answer = crate::support::no_redirects()
            .post(format!("{base}/account/tokens"))
            .header("cookie", member)
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303, "{fields:?}");
        let page = crate::support::page_with(&format!("{base}/account"), member).await;
        let section = page.split("id=\"tokens\"").nth(1).unwrap_or_default();
        assert!(
            section.contains("class=\"form-error\""),
            "{field}: no refusal shown for {fields:?}"
        );
        assert!(!section.contains("new-token-secret"));
        assert_eq!(tokens().await, 0, "{fields:?} stored a token");
        // What was typed comes back (the name, unless it was the fault's own huge text).
        let name = fields[0].1;
        if !name.is_empty() && name.len() < 100 && !name.contains('\u{7}') {
            assert!(
                section.contains(&format!("value=\"{name}\"")),
                "{name} not kept"
            );
        }
    }
    // A member's service token and someone else's revocation are refused.
    let answer = crate::support::no_redirects()
        .post(format!("{base}/admin/tokens"))
        .header("cookie", member)
        .form(&[("name", "sneaky"), ("scopes", "admin")])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303);
    assert_eq!(tokens().await, 0);
    let lead = make_token(
        &base,
        &s.actors[3].1,
        "/account/tokens",
        "the lead's",
        &["read"],
        "",
    )
    .await;
    let id = scalar(&s.url, "SELECT id FROM api_tokens").await;
    let _ = crate::support::no_redirects()
        .post(format!("{base}/account/tokens/{id}/revoke"))
        .header("cookie", member)
        .send()
        .await
        .unwrap();
    assert_eq!(Api::new(&base, &lead).get("/api/v1/me").await.status, 200);
    assert_eq!(
        scalar(
            &s.url,
            "SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL"
        )
        .await,
        1
    );
}
