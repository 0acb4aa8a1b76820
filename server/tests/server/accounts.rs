//! Accounts over HTTP: who gets in, the session cookie, renewal and sign-out,
//! sign-in links, rate limits, password changes and the same-origin check.

use crate::support::{BIN, Server, no_redirects, run, session_cookie, sign_in, site_root};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use sqlx::Connection;

const DEMO_PASSWORD: &str = "cairn-demo";

/// A server on a demo organisation (SQLite), with its database URL.
fn demo_server() -> (Server, String, tempfile::TempDir, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let demo = run(&["demo"], data.path());
    assert!(demo.status.success(), "{}", demo.stderr);
    assert!(demo.stdout.contains(DEMO_PASSWORD), "{}", demo.stdout);
    let (site, root) = site_root();
    let mut command = std::process::Command::new(BIN);
    command
        .args(["serve", "--bind", "127.0.0.1:0"])
        .arg("--site-root")
        .arg(&root)
        .arg("--data-dir")
        .arg(data.path());
    let server = Server::spawn(&mut command);
    let url = format!("sqlite://{}", data.path().join("cairn.db").display());
    (server, url, data, site)
}

async fn scalar(url: &str, sql: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
}

async fn text(url: &str, sql: &str) -> String {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
}

/// The status of a page visit with a cookie: 200 signed in, 303 to sign in.
async fn visit(base: &str, cookie: &str) -> StatusCode {
    no_redirects()
        .get(format!("{base}/account"))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn nobody_reads_anything_without_signing_in() {
    let (_site, root) = site_root();
    let server = Server::start(&root);
    let client = no_redirects();
    let page = client
        .get(format!("{}/tree?q=x", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(page.headers()[LOCATION], "/sign-in?next=%2Ftree%3Fq%3Dx");
    let api = client
        .post(format!("{}/api/overview", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(api.text().await.unwrap(), "\"Unauthenticated\"");
    let events = client
        .get(format!("{}/events", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), StatusCode::UNAUTHORIZED);
    for open in ["/sign-in", "/healthz", "/favicon.svg"] {
        let response = client
            .get(format!("{}{open}", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{open}");
    }
    // A forged or unknown session cookie is nobody.
    assert_eq!(
        visit(&server.url, "cairn_session=AAAAAAAAAAAAAAAAAAAAAA").await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_session_cookie_is_http_only_same_site_and_renewed_at_sign_in() {
    let (server, url, _data, _site) = demo_server();
    let email = text(&url, "SELECT email FROM people ORDER BY id LIMIT 1").await;
    let response = no_redirects()
        .post(format!("{}/sign-in", server.url))
        .form(&[
            ("email", email.as_str()),
            ("password", DEMO_PASSWORD),
            ("next", "/tree"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/tree");
    let set = response.headers()[SET_COOKIE].to_str().unwrap().to_string();
    assert!(set.starts_with("cairn_session="), "{set}");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(set.contains(flag), "{flag} in {set}");
    }
    assert!(!set.contains("Secure"), "served over http: {set}");
    let first = session_cookie(&response);
    assert_eq!(visit(&server.url, &first).await, StatusCode::OK);

    // Signing in again from the same browser gets a new session id; the old one
    // (which someone may have planted) is worthless from then on.
    let again = no_redirects()
        .post(format!("{}/sign-in", server.url))
        .header(COOKIE, &first)
        .form(&[("email", email.as_str()), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    let second = session_cookie(&again);
    assert_ne!(first, second);
    assert_eq!(visit(&server.url, &first).await, StatusCode::SEE_OTHER);
    assert_eq!(visit(&server.url, &second).await, StatusCode::OK);

    // Only a hash of the id is stored.
    let raw = second.trim_start_matches("cairn_session=");
    let stored = scalar(
        &url,
        &format!("SELECT count(*) FROM sessions WHERE id = '{raw}'"),
    )
    .await;
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn cookies_are_secure_behind_https() {
    let (_site, root) = site_root();
    let data = tempfile::tempdir().unwrap();
    let mut command = std::process::Command::new(BIN);
    command
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--public-url",
            "https://okr.example.com",
        ])
        .arg("--site-root")
        .arg(&root)
        .arg("--data-dir")
        .arg(data.path());
    let server = Server::spawn(&mut command);
    assert!(
        server
            .output()
            .contains("https://okr.example.com/sign-in/link/"),
        "{}",
        server.output()
    );
    let response = no_redirects()
        .post(format!("{}/sign-in/link", server.url))
        .form(&[("token", server.admin_link_token())])
        .send()
        .await
        .unwrap();
    let set = response.headers()[SET_COOKIE].to_str().unwrap();
    assert!(set.contains("Secure"), "{set}");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let (_site, root) = site_root();
    let server = Server::start(&root);
    let cookie = server.session().await;
    assert_eq!(visit(&server.url, &cookie).await, StatusCode::OK);
    let out = no_redirects()
        .post(format!("{}/sign-out", server.url))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    // The same cookie, sent again as a copy would be, no longer works.
    assert_eq!(visit(&server.url, &cookie).await, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_sign_in_link_works_once() {
    let (_site, root) = site_root();
    let server = Server::start(&root);
    let token = server.admin_link_token();
    let use_it = || async {
        no_redirects()
            .post(format!("{}/sign-in/link", server.url))
            .form(&[("token", token.as_str())])
            .send()
            .await
            .unwrap()
    };
    let first = use_it().await;
    assert_eq!(first.headers()[LOCATION], "/account?welcome=1");
    let second = use_it().await;
    assert_eq!(second.headers()[LOCATION], "/sign-in?notice=link");
    assert!(second.headers().get(SET_COOKIE).is_none());
}

#[tokio::test]
async fn admin_create_makes_an_admin_with_a_link() {
    let data = tempfile::tempdir().unwrap();
    let made = run(
        &[
            "admin",
            "create",
            "--email",
            "Ops@Example.org",
            "--name",
            "Olga Ops",
        ],
        data.path(),
    );
    assert!(made.status.success(), "{}", made.stderr);
    assert!(made.stdout.contains("/sign-in/link/"), "{}", made.stdout);
    let bad = run(
        &["admin", "create", "--email", "not-an-address"],
        data.path(),
    );
    assert_eq!(bad.status.code(), Some(2), "{}", bad.stderr);
    let url = format!("sqlite://{}", data.path().join("cairn.db").display());
    assert_eq!(
        scalar(
            &url,
            "SELECT count(*) FROM accounts a JOIN people p ON p.id = a.person_id \
             WHERE a.is_admin = 1 AND p.name = 'Olga Ops'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn wrong_passwords_are_rate_limited_per_account_and_said_alike() {
    let (server, url, _data, _site) = demo_server();
    let emails: Vec<String> = {
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        sqlx::query_scalar("SELECT email FROM people ORDER BY id LIMIT 2")
            .fetch_all(&mut conn)
            .await
            .unwrap()
    };
    let attempt = |email: String, password: &'static str| {
        let base = server.url.clone();
        async move {
            let response = no_redirects()
                .post(format!("{base}/sign-in"))
                .form(&[("email", email.as_str()), ("password", password)])
                .send()
                .await
                .unwrap();
            response.headers()[LOCATION].to_str().unwrap().to_string()
        }
    };
    let unknown = attempt("nobody@example.org".into(), "whatever-it-is").await;
    let wrong = attempt(emails[0].clone(), "not-the-password").await;
    assert!(unknown.starts_with("/sign-in?notice=wrong"), "{unknown}");
    assert!(wrong.starts_with("/sign-in?notice=wrong"), "{wrong}");
    for _ in 0..4 {
        attempt(emails[0].clone(), "not-the-password").await;
    }
    // Five failures: even the right password waits now, with a clear message.
    let limited = attempt(emails[0].clone(), DEMO_PASSWORD).await;
    assert!(
        limited.starts_with("/sign-in?notice=too_many&wait=15"),
        "{limited}"
    );
    let page = reqwest::get(format!("{}{limited}", server.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Try again in 15 minutes"), "{page}");
    // Another account from the same address is not held up by it.
    assert_eq!(attempt(emails[1].clone(), DEMO_PASSWORD).await, "/");
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let (server, url, _data, _site) = demo_server();
    let email = text(&url, "SELECT email FROM people ORDER BY id LIMIT 1").await;
    let here = sign_in(&server.url, &email, DEMO_PASSWORD).await;
    let elsewhere = sign_in(&server.url, &email, DEMO_PASSWORD).await;
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        let (base, cookie) = (server.url.clone(), here.clone());
        async move {
            no_redirects()
                .post(format!("{base}/account/password"))
                .header(COOKIE, cookie)
                .form(&[("current", current), ("new", new), ("confirm", confirm)])
                .send()
                .await
                .unwrap()
        }
    };
    let hash_before = text(
        &url,
        "SELECT password_hash FROM accounts ORDER BY person_id LIMIT 1",
    )
    .await;
    // Each refusal comes back to the account page, which says why, once.
    let account_page = |cookie: String| {
        let base = server.url.clone();
        async move {
            no_redirects()
                .get(format!("{base}/account"))
                .header(COOKIE, cookie)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    for (current, new, confirm, says) in [
        (
            "wrong-password",
            "a new long password",
            "a new long password",
            "That is not your current password.",
        ),
        (DEMO_PASSWORD, "short", "short", "This is too short."),
        (DEMO_PASSWORD, "", "", "Please fill this in."),
        (
            DEMO_PASSWORD,
            "a new long password",
            "another long password",
            "The two passwords do not match.",
        ),
    ] {
        let response = change(current, new, confirm).await;
        assert_eq!(response.headers()[LOCATION], "/account#password");
        let page = account_page(here.clone()).await;
        assert!(page.contains(says), "{says}: {page}");
        assert!(
            !account_page(here.clone()).await.contains(says),
            "said once"
        );
    }
    let huge: &'static str = Box::leak("x".repeat(10 * 1024 * 1024).into_boxed_str());
    let response = change(DEMO_PASSWORD, huge, huge).await;
    assert!(
        response.status().is_client_error() || response.headers()[LOCATION] == "/account#password"
    );
    assert_eq!(
        text(
            &url,
            "SELECT password_hash FROM accounts ORDER BY person_id LIMIT 1"
        )
        .await,
        hash_before,
        "nothing stored"
    );

    let done = change(DEMO_PASSWORD, "a new long password", "a new long password").await;
    assert_eq!(done.headers()[LOCATION], "/account#password");
    let renewed = session_cookie(&done);
    assert_eq!(visit(&server.url, &renewed).await, StatusCode::OK);
    assert_eq!(
        visit(&server.url, &elsewhere).await,
        StatusCode::SEE_OTHER,
        "signed out elsewhere"
    );
    assert_eq!(
        visit(&server.url, &here).await,
        StatusCode::SEE_OTHER,
        "this session's old id is gone"
    );
    sign_in(&server.url, &email, "a new long password").await;
    let old = no_redirects()
        .post(format!("{}/sign-in", server.url))
        .form(&[("email", email.as_str()), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(
        old.headers()[LOCATION]
            .to_str()
            .unwrap()
            .contains("notice=wrong")
    );
}

#[tokio::test]
async fn changes_from_other_sites_are_refused() {
    let (server, url, _data, _site) = demo_server();
    let cookie = server.session().await;
    let key_result = scalar(
        &url,
        "SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id \
         JOIN periods p ON p.id = o.period_id WHERE k.kind = 'metric' AND p.state = 'active' \
         ORDER BY k.id LIMIT 1",
    )
    .await;
    let before = scalar(&url, "SELECT count(*) FROM check_ins").await;
    let body = format!("key_result={key_result}&value=5&confidence=5");
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = reqwest::Client::new()
            .post(format!("{}/api/check_in", server.url))
            .header(COOKIE, &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .header(name, value)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{name}");
        assert_eq!(response.text().await.unwrap(), "\"CrossOrigin\"");
    }
    // Signing someone out from another site is refused too.
    let out = no_redirects()
        .post(format!("{}/sign-out", server.url))
        .header(COOKIE, &cookie)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::FORBIDDEN);
    assert_eq!(visit(&server.url, &cookie).await, StatusCode::OK);
    // The same request from Cairn's own page goes through.
    let own = reqwest::Client::new()
        .post(format!("{}/api/check_in", server.url))
        .header(COOKIE, &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", &server.url)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::OK, "{:?}", own.text().await);
    assert_eq!(
        scalar(&url, "SELECT count(*) FROM check_ins").await,
        before + 1
    );
}
