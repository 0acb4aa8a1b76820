//! The running server over HTTP: pages in both languages, the API, readiness and
//! graceful shutdown.

use crate::support::{Server, site_root};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE, LOCATION, SET_COOKIE};
use serde_json::Value;

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

#[tokio::test]
async fn readiness_reports_the_database() {
    let (_site, root) = site_root();
    let server = Server::start(&root);
    let response = client()
        .get(format!("{}/readyz", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn the_front_page_is_rendered_in_the_language_asked_for() {
    let (_site, root) = site_root();
    let server = Server::start(&root);
    let session = server.session().await;
    let page = |lang: &'static str, cookie: Option<&'static str>| {
        let cookie = match cookie {
            Some(language) => format!("{session}; {language}"),
            None => session.clone(),
        };
        let request = client()
            .get(format!("{}/", server.url))
            .header(ACCEPT_LANGUAGE, lang)
            .header(COOKIE, cookie);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            // Reading a page never pins a language on the reader.
            assert!(response.headers().get(SET_COOKIE).is_none());
            // Hydration markers (`<!>`) sit between text nodes; read the text without them.
            response.text().await.unwrap().replace("<!>", "")
        }
    };

    let english = page("en-GB,en;q=0.9", None).await;
    assert!(english.contains("<html lang=\"en\""), "{english}");
    assert!(english.contains("Welcome to Cairn"));
    assert!(english.contains("/cairn.js\""), "the page loads the bundle");
    assert!(
        english.contains(">SQLite<"),
        "data read from the database is on the page"
    );

    let dutch = page("nl-NL,nl;q=0.9,en;q=0.5", None).await;
    assert!(dutch.contains("<html lang=\"nl\""));
    assert!(dutch.contains("Welkom bij Cairn"));

    // The remembered choice wins over the browser's languages.
    let chosen = page("nl-NL,nl;q=0.9", Some("cairn_lang=en")).await;
    assert!(chosen.contains("Welcome to Cairn"));

    // A language Cairn does not speak falls back to English.
    let other = page("fr-FR,fr;q=0.9", None).await;
    assert!(other.contains("<html lang=\"en\""));
}

#[tokio::test]
async fn the_language_link_remembers_the_choice_and_goes_back() {
    let (_site, root) = site_root();
    let server = Server::start(&root);
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let response = no_redirects
        .get(format!(
            "{}/language/nl?to=%2Fsome%2Fpage%3Fx%3D1",
            server.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/some/page?x=1");
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("cairn_lang=nl;"), "{cookie}");
    assert!(cookie.contains("Max-Age=31536000"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");

    // Never a redirect to another site.
    let away = no_redirects
        .get(format!("{}/language/en?to=%2F%2Fevil.example", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(away.headers()[LOCATION], "/");

    let unknown = no_redirects
        .get(format!("{}/language/xx", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(unknown.headers().get(SET_COOKIE).is_none());
}

#[tokio::test]
async fn the_overview_api_answers_with_typed_json() {
    let (_site, root) = site_root();
    let server = Server::start(&root);
    let response = client()
        .post(format!("{}/api/overview", server.url))
        .header(COOKIE, server.session().await)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["organisation"], "Cairn");
    let installation = &body["installation"];
    assert_eq!(
        installation["schema_version"],
        crate::support::sqlite_migrations() as i64
    );
    assert_eq!(installation["database"], "SQLite");
    let since = installation["since"].as_str().unwrap();
    assert!(since.starts_with("20"), "an RFC 3339 time: {since}");
}

#[tokio::test]
async fn unknown_addresses_get_a_404_page() {
    let (_site, root) = site_root();
    let server = Server::start(&root);
    let response = client()
        .get(format!("{}/no/such/page", server.url))
        .header(COOKIE, server.session().await)
        .header(ACCEPT_LANGUAGE, "en")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn sigterm_stops_the_server_gracefully() {
    let (_site, root) = site_root();
    let mut server = Server::start(&root);
    let status = server.terminate();
    assert!(
        status.success(),
        "exit status {status:?}\n{}",
        server.output()
    );
    assert!(server.output().contains("stopped"));
    assert!(!server.output().contains("panicked"));
}

/// An objective's status, as its own page shows it.
async fn own_status(base: &str, cookie: &str, id: i64) -> Value {
    let page: Value = client()
        .post(format!("{base}/api/objective_page"))
        .header(reqwest::header::COOKIE, cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("objective={id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let verdict = page["objective"]["verdict"].clone();
    assert!(verdict["status"].is_string(), "{page}");
    verdict
}

#[tokio::test]
async fn an_objective_has_one_status_wherever_it_is_listed() {
    let demo = crate::support::Demo::start(&[]);
    let cookie = demo.server.session().await;
    // Year objectives of the running year with quarter objectives aligned to them.
    let mut conn = {
        use sqlx::Connection;
        sqlx::AnyConnection::connect(&demo.db).await.unwrap()
    };
    let parents: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT a.parent_objective_id FROM alignments a \
         JOIN objectives c ON c.id = a.child_id JOIN periods cp ON cp.id = c.period_id \
         JOIN objectives p ON p.id = a.parent_objective_id JOIN periods pp ON pp.id = p.period_id \
         WHERE a.valid_to IS NULL AND cp.kind = 'quarter' AND cp.state = 'active' \
         AND pp.kind = 'year' ORDER BY 1 LIMIT 4",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(!parents.is_empty(), "the demo aligns quarters to the year");
    let mut compared = 0;
    for parent in parents {
        let page: Value = client()
            .post(format!("{}/api/objective_page", demo.url()))
            .header(reqwest::header::COOKIE, &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("objective={parent}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for child in page["children"].as_array().unwrap() {
            let id = child["id"].as_i64().unwrap();
            assert_eq!(
                child["verdict"],
                own_status(demo.url(), &cookie, id).await,
                "objective {id} under {parent}"
            );
            compared += 1;
        }
        if let Some(id) = page["parent"]["id"].as_i64() {
            assert_eq!(
                page["parent"]["verdict"],
                own_status(demo.url(), &cookie, id).await
            );
        }
    }
    assert!(compared > 0);
}
