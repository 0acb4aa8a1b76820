//! The conversation on an objective over HTTP: who may comment, refusals, and
//! Markdown made safe with mentions linked.

use crate::support::roles::*;

#[tokio::test]
async fn everyone_signed_in_joins_the_conversation_and_markdown_is_made_safe() {
    let s = setup().await;
    let post = |cookie: String, body: &'static str| {
        let url = format!("{}/objectives/{}/comments", s.server.url, s.objective);
        async move {
            let response = crate::support::no_redirects()
                .post(url)
                .header("cookie", cookie)
                .form(&[("body", body)])
                .send()
                .await
                .unwrap();
            (
                response.status().as_u16(),
                crate::support::location(&response),
            )
        }
    };
    let before = scalar(&s.url, "SELECT count(*) FROM comments").await;
    // Nobody signed in: off to sign in, nothing stored.
    let (status, location) = post(String::new(), "hello").await;
    assert_eq!((status, location.starts_with("/sign-in")), (303, true));
    // Empty and whitespace-only comments are refused with a reason, on the page
    // the form came from; a refused long text comes back as typed.
    let (_, location) = post(s.actors[1].1.clone(), "   ").await;
    assert!(location.ends_with("#comment-form"), "{location}");
    let page = |cookie: String| {
        let url = format!("{}/objectives/{}", s.server.url, s.objective);
        async move {
            reqwest::Client::new()
                .get(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let refused = page(s.actors[1].1.clone()).await;
    assert!(
        refused.contains("Not saved. Please fill this in."),
        "the reason is said"
    );
    let long: &'static str = Box::leak("word ".repeat(2_001).into_boxed_str());
    post(s.actors[1].1.clone(), long).await;
    let refused = page(s.actors[1].1.clone()).await;
    assert!(
        refused.contains("Not saved. This is too long: at most 10,000 characters. Nothing was cut"),
        "the reason and the limit are said"
    );
    assert!(refused.contains("word word word"), "what was typed is kept");
    assert!(
        !page(s.actors[1].1.clone())
            .await
            .contains("Not saved. This is too long"),
        "once"
    );
    assert_eq!(
        scalar(&s.url, "SELECT count(*) FROM comments").await,
        before
    );

    // Anyone signed in may comment, the member and someone from elsewhere alike.
    let member_email = text(&s.url, &format!(
        "SELECT p.email FROM people p JOIN memberships m ON m.person_id = p.id WHERE m.unit_id = {} AND m.role = 'lead' LIMIT 1",
        s.team
    ))
    .await;
    let handle = member_email.split('@').next().unwrap().to_string();
    let body: &'static str = Box::leak(
        format!("**Nice** work @{handle} <script>alert(1)</script> [x](javascript:alert(1))")
            .into_boxed_str(),
    );
    for cookie in s.actors[1..].iter().map(|(_, c)| c.clone()) {
        let (status, location) = post(cookie, body).await;
        assert_eq!(status, 303);
        assert!(location.contains("#comment-"), "{location}");
    }
    assert_eq!(
        scalar(&s.url, "SELECT count(*) FROM comments").await,
        before + 4
    );
    let page = reqwest::Client::new()
        .get(format!("{}/objectives/{}", s.server.url, s.objective))
        .header("cookie", &s.actors[3].1)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<strong>Nice</strong>"), "markdown rendered");
    assert!(!page.contains("<script>alert(1)"), "no script");
    assert!(!page.contains("javascript:alert"), "no script links");
    let lead_id = scalar(
        &s.url,
        &format!("SELECT id FROM people WHERE email = '{member_email}'"),
    )
    .await;
    assert!(
        page.contains(&format!(
            "href=\"/people/{lead_id}\" rel=\"noopener noreferrer\">@"
        )),
        "the mention links to the person"
    );
}
