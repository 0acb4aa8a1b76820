//! Cairn as an attacker or a Monday morning would try it: dropped connections in
//! the middle of writes, page renders all at once, sign-in attempts in parallel,
//! return addresses that lead elsewhere, and the headers browsers act on.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_SECURITY_POLICY, COOKIE, LOCATION};

use crate::support::{Demo, no_redirects, raw_form_post, send_and_reset, sign_in};

const PASSWORD: &str = "cairn-demo";

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_check_in_whose_client_vanishes_never_jams_other_writes() {
    let mut demo = Demo::start(&[]);
    let admin = demo.server.session().await;
    let (key_result, objective) = demo.running_metric().await;
    let email = demo
        .text("SELECT email FROM people ORDER BY id LIMIT 1 OFFSET 3")
        .await;
    let member = sign_in(demo.url(), &email, PASSWORD).await;
    for round in 0..40 {
        let body = format!("key_result={key_result}&value={round}&confidence=7&note=gone");
        send_and_reset(
            demo.url(),
            &raw_form_post(demo.url(), "/api/check_in", &admin, &body),
        );
    }
    // At once, with no pause: other writes go through.
    let comment = no_redirects()
        .post(format!("{}/objectives/{objective}/comments", demo.url()))
        .header(COOKIE, &admin)
        .form(&[("body", "still writing")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        comment.status(),
        StatusCode::SEE_OTHER,
        "{:?}",
        comment.text().await
    );
    let again = sign_in(demo.url(), &email, PASSWORD).await;
    // Signing out holds: the cookie is worthless now, and after a restart.
    let out = no_redirects()
        .post(format!("{}/sign-out", demo.url()))
        .header(COOKIE, &member)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let account = |cookie: String, base: String| async move {
        no_redirects()
            .get(format!("{base}/account"))
            .header(COOKIE, cookie)
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(
        account(member.clone(), demo.url().to_string()).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        account(again.clone(), demo.url().to_string()).await,
        StatusCode::OK
    );
    // Every check-in that was stored is whole: its audit row and event with it.
    let check_ins = demo
        .scalar("SELECT count(*) FROM check_ins WHERE note = 'gone'")
        .await;
    let audited = demo
        .scalar(
            "SELECT count(*) FROM audit_events a JOIN check_ins c \
             ON c.id = CAST(json_extract(a.after, '$.check_in') AS INTEGER) WHERE c.note = 'gone'",
        )
        .await;
    assert_eq!(check_ins, audited);
    demo.restart();
    assert_eq!(
        account(member, demo.url().to_string()).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(account(again, demo.url().to_string()).await, StatusCode::OK);
}

#[tokio::test]
async fn many_pages_rendered_at_once_all_arrive_whole() {
    let demo = Demo::start(&[]);
    let admin = demo.server.session().await;
    let unit = demo.scalar("SELECT max(id) FROM org_units").await;
    let person = demo.scalar("SELECT max(id) FROM people").await;
    let (_, objective) = demo.running_metric().await;
    let paths = [
        "/".to_string(),
        "/sign-in".to_string(),
        format!("/units/{unit}"),
        format!("/people/{person}"),
        format!("/objectives/{objective}"),
        "/my".to_string(),
    ];
    let client = reqwest::Client::new();
    for round in 0..4 {
        let requests = (0..64).map(|i| {
            let path = paths[i % paths.len()].clone();
            let request = client
                .get(format!("{}{path}", demo.url()))
                .header(COOKIE, &admin)
                .header("accept-language", if i % 2 == 0 { "en" } else { "nl" });
            async move {
                match request.send().await {
                    Ok(response) => {
                        let status = response.status();
                        match response.text().await {
                            Ok(body) => (
                                path,
                                status.as_u16(),
                                body.contains("</footer>") && body.contains("</body></html>"),
                            ),
                            Err(_) => (path, status.as_u16(), false),
                        }
                    }
                    Err(_) => (path, 0, false),
                }
            }
        });
        let answers = futures::future::join_all(requests).await;
        let broken: Vec<_> = answers
            .iter()
            .filter(|(_, status, whole)| *status != 200 || !whole)
            .collect();
        assert!(broken.is_empty(), "round {round}: {broken:?}");
    }
    let log = demo.server.output();
    assert!(!log.contains("panicked"), "{log}");
}

#[tokio::test]
async fn parallel_wrong_passwords_are_counted_before_any_is_checked() {
    let demo = Demo::start(&["--trusted-proxies", "127.0.0.1"]);
    let email = demo
        .text("SELECT email FROM people ORDER BY id LIMIT 1 OFFSET 5")
        .await;
    let attempt = |password: &'static str, from: &'static str| {
        let request = no_redirects()
            .post(format!("{}/sign-in", demo.url()))
            .header("x-forwarded-for", from)
            .form(&[("email", email.as_str()), ("password", password)]);
        async move { location(&request.send().await.unwrap()) }
    };
    let answers =
        futures::future::join_all((0..25).map(|_| attempt("not-the-password", "198.51.100.7")))
            .await;
    let wrong = answers
        .iter()
        .filter(|l| l.contains("notice=wrong"))
        .count();
    let waiting = answers
        .iter()
        .filter(|l| l.contains("notice=too_many"))
        .count();
    assert_eq!((wrong, waiting), (5, 20), "{answers:?}");
    // The right password from there waits too; from the owner's own address it works.
    assert!(
        attempt(PASSWORD, "198.51.100.7")
            .await
            .contains("notice=too_many")
    );
    assert_eq!(attempt(PASSWORD, "203.0.113.20").await, "/");
    // The email never travels in the address.
    assert!(
        answers
            .iter()
            .all(|l| !l.contains(&email) && !l.contains("email="))
    );
}

#[tokio::test]
async fn a_client_cannot_pick_its_address_without_a_trusted_proxy() {
    let demo = Demo::start(&[]);
    let email = demo
        .text("SELECT email FROM people ORDER BY id LIMIT 1 OFFSET 6")
        .await;
    for i in 0..6 {
        let response = no_redirects()
            .post(format!("{}/sign-in", demo.url()))
            .header("x-forwarded-for", format!("192.0.2.{i}"))
            .form(&[("email", email.as_str()), ("password", "wrong-wrong")])
            .send()
            .await
            .unwrap();
        let expected = if i < 5 {
            "notice=wrong"
        } else {
            "notice=too_many"
        };
        assert!(location(&response).contains(expected), "attempt {i}");
    }
}

#[tokio::test]
async fn wrong_current_passwords_are_limited_too() {
    let demo = Demo::start(&[]);
    let email = demo
        .text("SELECT email FROM people ORDER BY id LIMIT 1 OFFSET 7")
        .await;
    let me = sign_in(demo.url(), &email, PASSWORD).await;
    let mut last = String::new();
    for _ in 0..6 {
        let response = no_redirects()
            .post(format!("{}/account/password", demo.url()))
            .header(COOKIE, &me)
            .form(&[
                ("current", "guess-guess"),
                ("new", "a new password here"),
                ("confirm", "a new password here"),
            ])
            .send()
            .await
            .unwrap();
        last = location(&response);
    }
    assert_eq!(last, "/account#password");
    let page = reqwest::Client::new()
        .get(format!("{}{last}", demo.url()))
        .header(COOKIE, &me)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Try again in 15 minutes"), "{page}");
}

#[tokio::test]
async fn return_addresses_never_lead_off_site() {
    let demo = Demo::start(&[]);
    let admin = demo.server.session().await;
    let language = |to: &'static str| {
        let url = format!("{}/language/en?to={to}", demo.url());
        async move {
            let response = no_redirects().get(url).send().await.unwrap();
            (response.status().as_u16(), location(&response))
        }
    };
    assert_eq!(
        language("%2Funits%2F3").await,
        (303, "/units/3".to_string())
    );
    for off_site in [
        "//evil.example/",
        "https://evil.example/",
        "/%5Cevil.example",
        "%5C%5Cevil.example",
        "/%5C/evil.example/",
    ] {
        assert_eq!(
            language(off_site).await,
            (303, "/".to_string()),
            "{off_site}"
        );
    }
    for control in ["/%09/evil.example/", "/a%0d%0aSet-Cookie:%20x=1", "/%0a"] {
        assert_eq!(language(control).await.0, 400, "{control}");
    }
    let email = demo
        .text("SELECT email FROM people ORDER BY id LIMIT 1")
        .await;
    let sign_in_next = |next: &'static str| {
        let request = no_redirects()
            .post(format!("{}/sign-in", demo.url()))
            .form(&[
                ("email", email.as_str()),
                ("password", PASSWORD),
                ("next", next),
            ]);
        async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), location(&response))
        }
    };
    assert_eq!(
        sign_in_next("/tree?q=x").await,
        (303, "/tree?q=x".to_string())
    );
    assert_eq!(sign_in_next("/\t/evil.example/").await.0, 400);
    assert_eq!(sign_in_next("/x\r\nLocation: //evil").await.0, 400);
    assert_eq!(sign_in_next("//evil.example").await, (303, "/".to_string()));
    // An admin form's way back, with a newline: refused, nothing half done.
    let before = demo.scalar("SELECT count(*) FROM people").await;
    let response = no_redirects()
        .post(format!("{}/admin/people", demo.url()))
        .header(COOKIE, &admin)
        .form(&[
            ("name", "Nina Nieuw"),
            ("email", "nina.nieuw@example.org"),
            ("q", "x\r\nSet-Cookie: a=b"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(demo.scalar("SELECT count(*) FROM people").await, before);
}

#[tokio::test]
async fn pages_carry_a_policy_with_their_own_nonce() {
    let demo = Demo::start(&[]);
    let admin = demo.server.session().await;
    let response = reqwest::Client::new()
        .get(format!("{}/", demo.url()))
        .header(COOKIE, &admin)
        .send()
        .await
        .unwrap();
    let headers = response.headers().clone();
    let policy = headers[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    let html = response.text().await.unwrap();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no nonce in {policy}"));
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{html}");
    let scripts = policy
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(!scripts.contains("unsafe-inline"), "{policy}");
    for directive in [
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(policy.contains(directive), "{policy}");
    }
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(headers.get("strict-transport-security").is_none());
    // Another render, another nonce.
    let second = reqwest::Client::new()
        .get(format!("{}/sign-in", demo.url()))
        .send()
        .await
        .unwrap();
    let other = second.headers()[CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(!other.contains(nonce), "{other}");
    // Answers that are not pages allow nothing at all.
    let health = reqwest::get(format!("{}/healthz", demo.url()))
        .await
        .unwrap();
    assert!(
        health.headers()[CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'")
    );
}

#[tokio::test]
async fn https_installations_tell_browsers_to_stay_on_https() {
    let demo = Demo::start(&["--public-url", "https://okr.example.org"]);
    let response = reqwest::get(format!("{}/sign-in", demo.url()))
        .await
        .unwrap();
    let hsts = response.headers()["strict-transport-security"]
        .to_str()
        .unwrap();
    assert!(hsts.starts_with("max-age="), "{hsts}");
}

#[tokio::test]
async fn bad_input_gets_the_right_answer() {
    let demo = Demo::start(&[]);
    let admin = demo.server.session().await;
    let client = reqwest::Client::new();
    let tree_api = client
        .post(format!("{}/api/tree", demo.url()))
        .header(COOKIE, &admin)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("as_of=garbage")
        .send()
        .await
        .unwrap();
    assert_eq!(tree_api.status(), StatusCode::BAD_REQUEST);
    let page = client
        .get(format!("{}/tree?as_of=garbage", demo.url()))
        .header(COOKIE, &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    let text = page.text().await.unwrap();
    assert!(
        text.contains("2026-10-01"),
        "the page says what a date looks like"
    );
    let huge = client
        .post(format!("{}/api/check_in", demo.url()))
        .header(COOKIE, &admin)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; 17 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let log = demo.server.output();
    assert!(!log.contains("ERROR"), "{log}");
}

#[tokio::test]
async fn a_new_sign_in_link_is_shown_once_and_never_in_an_address() {
    let demo = Demo::start(&[]);
    let admin = demo.server.session().await;
    let added = no_redirects()
        .post(format!("{}/admin/people", demo.url()))
        .header(COOKIE, &admin)
        .form(&[("name", "Lotte Link"), ("email", "lotte.link@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let back = location(&added);
    assert!(
        !back.contains("link=") && !back.contains("sign-in/link"),
        "{back}"
    );
    let page = |path: String| {
        let request = reqwest::Client::new()
            .get(format!("{}{path}", demo.url()))
            .header(COOKIE, &admin);
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let first = page(back.clone()).await;
    assert!(
        first.contains("/sign-in/link/"),
        "the link is on the page once"
    );
    assert!(first.contains("lotte.link@example.org"));
    let second = page(back).await;
    assert!(!second.contains("/sign-in/link/"), "and only once");
}
