//! Signing in with an OpenID provider: a real one (tools/oidc/provider.mjs) on a
//! loopback port, and the real executable on the demo organisation.

use serde_json::json;

use crate::support::identity::{self, AtProvider, Provider, account, browser};
use crate::support::{Demo, no_redirects};

const DOMAIN: &str = "waterland.example";

/// The demo with provider `test`, and these flags besides.
fn demo_with(provider: &Provider, extra: &[&str]) -> Demo {
    let mut flags = provider.flags();
    flags.extend(extra.iter().map(|s| s.to_string()));
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    Demo::start(&flags)
}

/// What the database holds about people and their ways in.
async fn footprint(demo: &Demo) -> (i64, i64, i64) {
    (
        demo.scalar("SELECT count(*) FROM people").await,
        demo.scalar("SELECT count(*) FROM identities").await,
        demo.scalar("SELECT count(*) FROM sessions WHERE person_id IS NOT NULL")
            .await,
    )
}

/// The `why` of a refusal the sign-in page is sent to.
fn refusal(location: &str) -> &str {
    assert!(
        location.contains("/sign-in?notice=sso&why="),
        "not a refusal: {location}"
    );
    let why = location.split("why=").nth(1).unwrap();
    why.split('&').next().unwrap()
}

async fn person_of(demo: &Demo, email: &str) -> i64 {
    demo.scalar(&format!("SELECT id FROM people WHERE email = '{email}'"))
        .await
}

async fn role_in(demo: &Demo, person: i64, unit: &str) -> String {
    demo.text(&format!(
        "SELECT coalesce(max(m.role), 'none') FROM org_units u LEFT JOIN memberships m \
         ON m.unit_id = u.id AND m.person_id = {person} WHERE u.name = '{unit}'"
    ))
    .await
}

#[tokio::test]
async fn a_new_person_arrives_in_the_mapped_unit_and_follows_their_groups() {
    let provider = Provider::start(json!({
        "nina": account("nina.new@waterland.example", true, "Nina Nieuw", &["platform", "okr-admins"]),
    }));
    let demo = demo_with(
        &provider,
        &[
            "--oidc-allowed-domains",
            DOMAIN,
            "--oidc-group-map",
            "platform=Platform;platform-leads=Platform:lead;brand=Brand;okr-admins=admin;ghost=Nowhere",
        ],
    );
    let base = demo.server.url.clone();
    let before = footprint(&demo).await;

    // The sign-in page offers the provider, with its label.
    let page = reqwest::get(format!("{base}/sign-in"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Sign in with Test IdP"), "{page}");
    assert!(page.contains(r#"href="/sign-in/oidc/test""#), "{page}");

    let nina = browser();
    let landed = identity::sign_in(&nina, &base, "nina").await;
    assert!(landed.ends_with('/'), "home after signing in: {landed}");
    let home = nina.get(&base).send().await.unwrap();
    assert_eq!(home.status(), 200);
    assert!(home.text().await.unwrap().contains("Nina Nieuw"));

    let after = footprint(&demo).await;
    assert_eq!(after.0, before.0 + 1, "one new person");
    assert_eq!(after.1, before.1 + 1, "their subject stored");
    let person = person_of(&demo, "nina.new@waterland.example").await;
    assert_eq!(role_in(&demo, person, "Platform").await, "member");
    assert_eq!(role_in(&demo, person, "Brand").await, "none");
    assert_eq!(
        demo.scalar(&format!(
            "SELECT is_admin FROM accounts WHERE person_id = {person}"
        ))
        .await,
        1
    );
    assert_eq!(
        demo.text(&format!(
            "SELECT subject FROM identities WHERE person_id = {person}"
        ))
        .await,
        "nina"
    );

    // Their groups change at the provider, and their email too: the next sign-in
    // finds the same person by subject, moves them and takes admin away.
    provider.control(json!({ "accounts": {
        "nina": account("nina.renamed@waterland.example", true, "Nina Nieuw", &["brand", "platform-leads"]),
    }}));
    let again = browser();
    identity::sign_in(&again, &base, "nina").await;
    assert_eq!(footprint(&demo).await.0, after.0, "nobody new");
    assert_eq!(role_in(&demo, person, "Platform").await, "lead");
    assert_eq!(role_in(&demo, person, "Brand").await, "member");
    assert_eq!(
        demo.scalar(&format!(
            "SELECT is_admin FROM accounts WHERE person_id = {person}"
        ))
        .await,
        0
    );
    // The first browser's session lost admin at its next request too.
    let admin_page = nina.get(format!("{base}/admin")).send().await.unwrap();
    assert_ne!(admin_page.status(), 200, "no admin pages any more");

    // Every change the map made is in the audit trail, attributed to nobody.
    let audited = demo
        .scalar(&format!(
            "SELECT count(*) FROM audit_events WHERE entity = 'people' AND entity_id = {person} \
             AND actor_id IS NULL AND action IN ('membership.set', 'membership.remove', \
             'account.grant', 'account.identity_link')"
        ))
        .await;
    // link, grant admin, Platform member; then grant (no admin), Platform lead, Brand member.
    assert_eq!(audited, 6);

    // Admins see the set-up: the URLs to register, the map, the rule that names
    // no unit, and how many signed in through it.
    let admin = demo.server.session().await;
    let overview = no_redirects()
        .get(format!("{base}/admin/sign-in"))
        .header("cookie", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(overview.status(), 200);
    let overview = overview.text().await.unwrap();
    for needle in [
        "The provider is reachable.",
        &format!("{base}/sign-in/oidc/test/callback"),
        &format!("{base}/sign-in/signed-out"),
        "<code>platform-leads</code>",
        "no single active unit has this name",
        "<dd>1</dd>",
    ] {
        assert!(overview.contains(needle), "{needle} in:\n{overview}");
    }
    assert_eq!(
        overview.matches("no single active unit").count(),
        1,
        "only Nowhere is unknown"
    );
    // Not for anyone else.
    let refused = nina
        .post(format!("{base}/api/admin_sign_in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn a_known_person_is_linked_by_verified_email_not_duplicated() {
    let provider = Provider::start(json!({}));
    let demo = demo_with(&provider, &[]);
    let email = demo
        .text("SELECT email FROM people WHERE active = 1 ORDER BY id LIMIT 1 OFFSET 5")
        .await;
    provider.control(json!({ "accounts": { "k-1": account(&email, true, "Someone", &[]) } }));
    let before = footprint(&demo).await;
    let landed = identity::sign_in(&browser(), &demo.server.url, "k-1").await;
    assert!(!landed.contains("/sign-in"), "{landed}");
    let after = footprint(&demo).await;
    assert_eq!(after.0, before.0, "linked, not created");
    assert_eq!(after.1, before.1 + 1);
    let person = person_of(&demo, &email).await;
    assert_eq!(
        demo.scalar("SELECT person_id FROM identities WHERE subject = 'k-1'")
            .await,
        person
    );

    // Another account at the provider with the same email later is not let in.
    provider.control(json!({ "accounts": { "k-2": account(&email, true, "Impostor", &[]) } }));
    let refused = identity::sign_in(&browser(), &demo.server.url, "k-2").await;
    assert_eq!(refusal(&refused), "linked_elsewhere");

    // Nobody of that email here, and no domain may sign up by itself.
    provider.control(json!({ "accounts": {
        "x": account("stranger@waterland.example", true, "Stranger", &[])
    }}));
    let refused = identity::sign_in(&browser(), &demo.server.url, "x").await;
    assert_eq!(refusal(&refused), "not_invited");
    assert_eq!(footprint(&demo).await.0, before.0);
}

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
    let page = reqwest::get(format!("{base}/sign-in?notice=sso&why=audience&via=test"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
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
    let page = reqwest::get(format!("{base}/sign-in"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
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
    let page = reqwest::get(format!("{base}/sign-in"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
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

    // Off without any provider would lock everyone out: refused at start.
    let refused = crate::support::run(&["serve", "--password-sign-in", "off"], demo.data.path());
    assert!(!refused.status.success());
    assert!(
        refused.stderr.contains("needs an identity provider"),
        "{}",
        refused.stderr
    );
}

#[tokio::test]
async fn signing_out_ends_the_session_here_and_at_the_provider() {
    let provider = Provider::start(json!({
        "ada": account("ada.sso@waterland.example", true, "Ada", &[]),
    }));
    let demo = demo_with(&provider, &["--oidc-allowed-domains", DOMAIN]);
    let base = demo.server.url.clone();
    let ada = browser();
    identity::sign_in(&ada, &base, "ada").await;
    let out = ada
        .post(format!("{base}/sign-out"))
        .header("origin", &base)
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
