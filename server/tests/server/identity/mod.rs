//! Signing in with an OpenID provider: a real one (tools/oidc/provider.mjs) on a
//! loopback port, and the real executable on the demo organisation.

mod arrivals;
mod failures;
mod sessions;

use crate::support::Demo;
use crate::support::identity::Provider;

pub const DOMAIN: &str = "waterland.example";

/// The demo with provider `test`, and these flags besides.
pub fn demo_with(provider: &Provider, extra: &[&str]) -> Demo {
    let mut flags = provider.flags();
    flags.extend(extra.iter().map(|s| s.to_string()));
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    Demo::start(&flags)
}

/// What the database holds about people and their ways in.
pub async fn footprint(demo: &Demo) -> (i64, i64, i64) {
    (
        demo.scalar("SELECT count(*) FROM people").await,
        demo.scalar("SELECT count(*) FROM identities").await,
        demo.scalar("SELECT count(*) FROM sessions WHERE person_id IS NOT NULL")
            .await,
    )
}

/// A page's text, fetched without a session.
pub async fn page_text(url: &str) -> String {
    reqwest::get(url).await.unwrap().text().await.unwrap()
}

/// The `why` of a refusal the sign-in page is sent to.
pub fn refusal(location: &str) -> &str {
    assert!(
        location.contains("/sign-in?notice=sso&why="),
        "not a refusal: {location}"
    );
    let why = location.split("why=").nth(1).unwrap();
    why.split('&').next().unwrap()
}

pub async fn person_of(demo: &Demo, email: &str) -> i64 {
    demo.scalar(&format!("SELECT id FROM people WHERE email = '{email}'"))
        .await
}

pub async fn role_in(demo: &Demo, person: i64, unit: &str) -> String {
    demo.text(&format!(
        "SELECT coalesce(max(m.role), 'none') FROM org_units u LEFT JOIN memberships m \
         ON m.unit_id = u.id AND m.person_id = {person} WHERE u.name = '{unit}'"
    ))
    .await
}
