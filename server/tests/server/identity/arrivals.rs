//! Who arrives: new people in the mapped units, known people linked by email.

use serde_json::json;

use super::*;
use crate::support::identity::{self, Provider, account, browser};
use crate::support::no_redirects;

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
    let page = page_text(&format!("{base}/sign-in")).await;
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
