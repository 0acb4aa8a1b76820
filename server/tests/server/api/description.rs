//! The API's description: valid OpenAPI 3.1 by a maintained validator, every
//! documented route answers, and the reference page documents every route.

use serde_json::Value;

use super::{Api, make_token};
use crate::support::roles::setup;

#[tokio::test]
async fn the_description_is_valid_and_matches_the_routes() {
    let s = setup().await;
    let base = s.server.url.clone();
    // Open to all: no token needed to read how to use the API.
    let description: Value = reqwest::get(format!("{base}/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        description["openapi"].as_str().map(|v| &v[..3]),
        Some("3.1")
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, description.to_string()).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/openapi/validate.mjs");
    let checked = std::process::Command::new("node")
        .arg(script)
        .arg(&file)
        .output()
        .expect("node runs the validator (./x test installs tools/openapi)");
    let said = String::from_utf8_lossy(&checked.stdout).to_string()
        + &String::from_utf8_lossy(&checked.stderr);
    assert!(
        checked.status.success(),
        "the description is not valid: {said}"
    );

    // Every documented route exists: with ids filled in, each answers as a
    // route (anything but "no such route" or "method not allowed").
    let token = make_token(
        &base,
        &s.actors[4].1,
        "/account/tokens",
        "all",
        &["read", "write", "admin"],
        "",
    )
    .await;
    let api = Api::new(&base, &token);
    let docs = reqwest::get(format!("{base}/api/v1/docs")).await.unwrap();
    // Its own style applies by its hash; nothing else may load or run.
    let policy = docs.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        policy.starts_with("default-src 'none'; style-src 'sha256-"),
        "{policy}"
    );
    let page = docs.text().await.unwrap();
    let paths = description["paths"].as_object().unwrap();
    assert!(paths.len() >= 14, "{}", paths.len());
    for (path, item) in paths {
        let concrete = path
            .replace("/objectives/{id}", &format!("/objectives/{}", s.objective))
            .replace(
                "/key-results/{id}",
                &format!("/key-results/{}", s.key_result),
            )
            .replace("/units/{id}", &format!("/units/{}", s.team))
            .replace("/periods/{id}", &format!("/periods/{}", s.period))
            .replace("/people/{id}", "/people/1");
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(operation) = item.get(method) else {
                continue;
            };
            assert!(
                operation["responses"]
                    .as_object()
                    .is_some_and(|r| !r.is_empty())
            );
            let body = (method != "get").then(|| "{}".to_string());
            let answer = api.send(&method.to_uppercase(), &concrete, &[], body).await;
            assert!(answer.status < 500, "{method} {concrete}: {}", answer.text);
            if answer.status == 404 || answer.status == 405 {
                assert!(
                    !answer.text.contains("no such route") && answer.status != 405,
                    "{method} {path} is documented but not routed: {}",
                    answer.text
                );
            }
            // The reference page documents it, with its method.
            assert!(
                page.contains(&format!("<code>{path}</code>")),
                "{path} not on the page"
            );
        }
    }
    // The page lists every kind of problem and needs nothing from elsewhere.
    for kind in [
        "unauthenticated",
        "insufficient-scope",
        "precondition-failed",
        "too-many-requests",
    ] {
        assert!(page.contains(&format!("id=\"problem-{kind}\"")), "{kind}");
    }
    assert!(
        !page.contains("src=\"http") && !page.contains("href=\"http"),
        "the page loads something from elsewhere"
    );
}

#[tokio::test]
async fn a_token_that_sends_too_much_is_told_to_wait() {
    let s = crate::support::Demo::start(&["--api-requests-per-minute", "20"]);
    let base = s.server.url.clone();
    let admin = s.server.session().await;
    let api = Api::new(
        &base,
        &make_token(&base, &admin, "/account/tokens", "busy", &["read"], "").await,
    );
    let other = Api::new(
        &base,
        &make_token(&base, &admin, "/account/tokens", "calm", &["read"], "").await,
    );
    let mut refused = None;
    for _ in 0..40 {
        let answer = api.get("/api/v1/me").await;
        if answer.status == 429 {
            refused = Some(answer);
            break;
        }
        assert_eq!(answer.status, 200, "{}", answer.text);
    }
    let refused = refused.expect("20 a minute, in bursts of 2: refused within 40 requests");
    assert_eq!(refused.problem(), "too-many-requests");
    let wait: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Per token: another token goes on.
    assert_eq!(other.get("/api/v1/me").await.status, 200);
}
