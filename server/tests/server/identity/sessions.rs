//! Sessions that came through a provider: signing out there, checking again.

use serde_json::json;

use super::*;
use crate::support::identity::{self, Provider, account, browser};

#[tokio::test]
async fn signing_out_ends_the_session_here_and_at_the_provider() {
    let provider = Provider::start(json!({
        "ada": account("ada.sso@waterland.example", true, "Ada", &[]),
    }));
    let demo = demo_with(&provider, &["--oidc-allowed-domains", DOMAIN]);
    let base = demo.server.url.clone();
    let ada = browser();
    identity::sign_in(&ada, &base, "ada").await;
    // The account page signs out with a link of this session's own (a page load,
    // which can follow on to the provider); another token signs nobody out.
    let account = ada.get(format!("{base}/account")).send().await.unwrap();
    let account = account.text().await.unwrap();
    let link = account
        .split(r#"href="/sign-out?token="#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no sign-out link:\n{account}"))
        .to_string();
    let forged = ada
        .get(format!("{base}/sign-out?token=not-{link}"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.headers()["location"], "/account");
    let still = ada.get(format!("{base}/account")).send().await.unwrap();
    assert_eq!(still.status(), 200, "still signed in");
    let out = ada
        .get(format!("{base}/sign-out?token={link}"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    let to = out.headers()["location"].to_str().unwrap().to_string();
    assert!(
        to.starts_with(&format!("{}/session/end?", provider.issuer)),
        "{to}"
    );
    assert!(to.contains("id_token_hint="), "{to}");
    let back = format!("{base}/sign-in/signed-out");
    assert!(to.contains(&url_encoded(&back)), "{to}");
    // Signed out here already, whatever the provider does.
    let home = ada.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(home.status(), 303);
    // The provider's end-session page confirms, then sends the browser back.
    let seen = identity::sign_out_at(&ada, &to, Some(&back)).await;
    assert!(
        seen.last().is_some_and(|l| l.starts_with(&back)),
        "{seen:?}"
    );
}

fn url_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Follows redirects from `url` as a browser loading a page would; the
/// addresses passed through and the last answer's status.
async fn load_page(browser: &reqwest::Client, url: &str) -> (Vec<String>, u16) {
    let mut seen = vec![url.to_string()];
    let mut url = url.to_string();
    for _ in 0..12 {
        let answer = browser
            .get(&url)
            .header("accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .unwrap();
        let Some(next) = answer.headers().get("location") else {
            return (seen, answer.status().as_u16());
        };
        url = answer
            .url()
            .join(next.to_str().unwrap())
            .unwrap()
            .to_string();
        seen.push(url.clone());
    }
    panic!("too many redirects: {seen:?}");
}

#[tokio::test]
async fn a_session_is_checked_with_the_provider_again_and_follows_it() {
    let provider = Provider::start(json!({
        "olga": account("olga.ops@waterland.example", true, "Olga", &["okr-admins"]),
    }));
    let demo = demo_with(
        &provider,
        &[
            "--oidc-allowed-domains",
            DOMAIN,
            "--oidc-group-map",
            "okr-admins=admin",
            "--oidc-recheck-minutes",
            "0",
        ],
    );
    let base = demo.server.url.clone();
    let olga = browser();
    identity::sign_in(&olga, &base, "olga").await;
    let admin = format!("{base}/admin/people");
    // The page right after a check is not checked again.
    let (seen, status) = load_page(&olga, &admin).await;
    assert_eq!((seen.len(), status), (1, 200), "{seen:?}");
    let (seen, status) = load_page(&olga, &admin).await;
    assert_eq!(status, 200, "{seen:?}");
    assert!(
        seen.iter()
            .any(|u| u.contains("/sign-in/oidc/test?silent=1")),
        "checked again, without a prompt: {seen:?}"
    );
    assert_eq!(seen.last().unwrap(), &admin);

    // Out of the admin group at the provider: the next page load takes admin away.
    provider.control(json!({ "accounts": {
        "olga": account("olga.ops@waterland.example", true, "Olga", &[]),
    }}));
    let (seen, status) = load_page(&olga, &admin).await;
    assert_eq!(status, 403, "{seen:?}");
    // Fetches of the islands router and server functions are not sent away.
    let fetched = olga
        .get(&admin)
        .header("accept", "text/html")
        .header("islands-router", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.status(), 403);

    // Signed out at the provider (in another application): the session here ends
    // at the next check, with one sentence.
    identity::sign_out_at(&olga, &format!("{}/session/end", provider.issuer), None).await;
    let (seen, _) = load_page(&olga, &format!("{base}/my")).await;
    let refused = seen.iter().find(|u| u.contains("notice=sso")).unwrap();
    assert_eq!(refusal(refused), "session_ended");
    let (seen, _) = load_page(&olga, &format!("{base}/my")).await;
    assert!(
        seen.last().unwrap().contains("/sign-in?next="),
        "signed out: {seen:?}"
    );
}
