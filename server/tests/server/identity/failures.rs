//! Every way signing in through a provider can fail: one sentence, nothing stored.

use serde_json::json;

use super::*;
use crate::support::identity::{self, AtProvider, Provider, account, browser};
use crate::support::{Demo, no_redirects};

#[tokio::test]
async fn every_failure_is_one_clear_refusal_and_stores_nothing() {
    let provider = Provider::start(json!({}));
    let demo = demo_with(&provider, &["--oidc-allowed-domains", DOMAIN]);
    let base = demo.server.url.clone();
    let good = account("ok@waterland.example", true, "Ok", &[]);
    let deactivated = demo
        .text("SELECT email FROM people WHERE active = 1 ORDER BY id LIMIT 1 OFFSET 7")
        .await;
    let accounts = json!({
        "ok": good,
        "unverified": account("u@waterland.example", false, "U", &[]),
        "no-email": { "name": "Nameless", "email_verified": true },
        "elsewhere": account("someone@elsewhere.example", true, "E", &[]),
        "gone": account(&deactivated, true, "Gone", &[]),
    });
    provider.control(json!({ "accounts": accounts }));
    sqlx::query(&format!(
        "UPDATE people SET active = 0 WHERE email = '{deactivated}'"
    ))
    .execute(&sqlx::AnyPool::connect(&demo.db).await.unwrap())
    .await
    .unwrap();
    let before = footprint(&demo).await;
    let why = |login: &'static str| {
        let base = base.clone();
        async move { refusal(&identity::sign_in(&browser(), &base, login).await).to_string() }
    };
    assert_eq!(why("unverified").await, "unverified");
    assert_eq!(why("no-email").await, "no_email");
    assert_eq!(why("elsewhere").await, "domain");
    assert_eq!(why("gone").await, "deactivated");

    // The person cancels at the provider.
    let b = browser();
    let callback = identity::to_callback(&b, &base, AtProvider::Cancel).await;
    assert!(callback.contains("error=access_denied"), "{callback}");
    assert_eq!(
        refusal(&identity::finish(&b, &callback).await),
        "provider_error"
    );

    // A state that is not this browser's.
    let b = browser();
    let callback = identity::to_callback(&b, &base, AtProvider::SignIn("ok")).await;
    let forged = callback.replace("state=", "state=forged");
    assert_eq!(refusal(&identity::finish(&b, &forged).await), "state");
    // The answer cannot be used once the flow is gone either.
    assert_eq!(
        refusal(&identity::finish(&b, &callback).await),
        "not_started"
    );

    // A replayed answer: used once, then refused.
    let b = browser();
    let callback = identity::to_callback(&b, &base, AtProvider::SignIn("ok")).await;
    assert!(!identity::finish(&b, &callback).await.contains("/sign-in"));
    assert_eq!(
        refusal(&identity::finish(&b, &callback).await),
        "not_started"
    );
    // The same code in another browser that started a sign-in of its own.
    let other = browser();
    let own = identity::to_callback(&other, &base, AtProvider::SignIn("ok")).await;
    let state = own
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let code = callback
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let replay = format!("{base}/sign-in/oidc/test/callback?code={code}&state={state}");
    assert_eq!(refusal(&identity::finish(&other, &replay).await), "code");
    let signed_up = footprint(&demo).await;
    assert_eq!(signed_up.0, before.0 + 1, "only `ok` arrived");

    // ID tokens signed by the provider's own key with a wrong claim.
    for (tamper, expected) in [
        (json!({ "iss": "https://evil.example" }), "issuer"),
        (json!({ "aud": "another-client" }), "audience"),
        (json!({ "exp_in": -600 }), "expired"),
    ] {
        provider.control(json!({ "accounts": accounts, "tamper": tamper }));
        assert_eq!(why("ok").await, expected, "{tamper}");
    }
    provider.control(json!({ "accounts": accounts }));
    let after = footprint(&demo).await;
    assert_eq!(
        (after.0, after.1),
        (signed_up.0, signed_up.1),
        "nothing stored"
    );

    // The page says it in one sentence.
    let page = page_text(&format!("{base}/sign-in?notice=sso&why=audience&via=test")).await;
    assert!(
        page.contains("Test IdP sent a token meant for another application"),
        "{page}"
    );
}

#[tokio::test]
async fn an_unreachable_provider_does_not_stop_cairn_and_its_button_says_so() {
    // A provider that is not there: a port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let issuer = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let demo = Demo::start(&[
        "--oidc-issuer",
        &issuer,
        "--oidc-client-id",
        "cairn",
        "--oidc-label",
        "Corp",
    ]);
    demo.server
        .wait_for_line("identity provider cannot be reached");
    let base = &demo.server.url;
    let page = page_text(&format!("{base}/sign-in")).await;
    assert!(
        page.contains("Corp cannot be reached at the moment."),
        "{page}"
    );
    assert!(page.contains(r#"name="password""#), "passwords still work");
    let answer = no_redirects()
        .get(format!("{base}/sign-in/oidc/sso"))
        .send()
        .await
        .unwrap();
    let to = answer.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(refusal(&to), "unavailable");
    assert!(to.contains("via=sso"));
    let unknown = no_redirects()
        .get(format!("{base}/sign-in/oidc/nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        refusal(unknown.headers()["location"].to_str().unwrap()),
        "unknown_provider"
    );
}

#[tokio::test]
async fn with_passwords_off_only_the_provider_and_links_sign_in() {
    let provider = Provider::start(json!({}));
    let demo = demo_with(&provider, &["--password-sign-in", "off"]);
    let base = demo.server.url.clone();
    let page = page_text(&format!("{base}/sign-in")).await;
    assert!(
        !page.contains(r#"name="password""#),
        "no password form: {page}"
    );
    assert!(page.contains("Sign in with Test IdP"));
    let email = demo
        .text("SELECT email FROM people ORDER BY id LIMIT 1")
        .await;
    let answer = no_redirects()
        .post(format!("{base}/sign-in"))
        .form(&[("email", email.as_str()), ("password", "whatever-it-is")])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303);
    let to = answer.headers()["location"].to_str().unwrap();
    assert!(to.starts_with("/sign-in?notice=password_off"), "{to}");
    assert!(
        answer
            .headers()
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap().contains("cairn_session"))
    );

    // The break-glass link still lets an admin in.
    let link = crate::support::run(
        &["admin", "create", "--email", "glass@waterland.example"],
        demo.data.path(),
    );
    assert!(link.status.success(), "{}", link.stderr);
    let token: String = link
        .stdout
        .split("/sign-in/link/")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    let used = no_redirects()
        .post(format!("{base}/sign-in/link"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(used.headers()["location"], "/account?welcome=1");
    let glass = crate::support::session_cookie(&used);
    let account = crate::support::page_with(&format!("{base}/account"), &glass).await;
    assert!(account.contains("Sign out"), "{account}");
    assert!(
        !account.contains(r#"action="/account/password""#),
        "no password to set: {account}"
    );

    // Off without any provider would lock everyone out: refused at start.
    let refused = crate::support::run(&["serve", "--password-sign-in", "off"], demo.data.path());
    assert!(!refused.status.success());
    assert!(
        refused.stderr.contains("needs an identity provider"),
        "{}",
        refused.stderr
    );
}
