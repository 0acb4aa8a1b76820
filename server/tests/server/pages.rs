//! The running server over HTTP: pages in both languages, the API, static files,
//! health and graceful shutdown.

use crate::support::{Server, site_root};
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_ENCODING, ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_ENCODING, COOKIE, LOCATION, SET_COOKIE,
};
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
    assert_eq!(
        body["schema_version"],
        crate::support::sqlite_migrations() as i64
    );
    assert_eq!(body["database"], "SQLite");
    let since = body["since"].as_str().unwrap();
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
async fn bundle_files_are_served_precompressed_and_revalidated() {
    let (_site, root) = site_root();
    let server = Server::start(&root);
    let url = format!("{}/pkg/cairn.css", server.url);

    let plain = client().get(&url).send().await.unwrap();
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(plain.headers()[CACHE_CONTROL], "no-cache");
    assert_eq!(plain.headers()["content-type"], "text/css");
    let etag = plain.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(plain.text().await.unwrap(), "body { color: black }\n");
    let again = client()
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());

    let br = client()
        .get(&url)
        .header(ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.headers()[CONTENT_ENCODING], "br");
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli bytes stand-in");

    let missing = client()
        .get(format!("{}/pkg/nothing.js", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let icon = client()
        .get(format!("{}/favicon.svg", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(icon.status(), StatusCode::OK);
}

async fn sign_in_page(server: &Server) -> String {
    let response = client()
        .get(format!("{}/sign-in", server.url))
        .send()
        .await
        .unwrap();
    response.text().await.unwrap()
}

/// The stylesheet a page names: under the bundle's content hash.
fn stylesheet_of(page: &str) -> String {
    let at = page.find("rel=\"stylesheet\"").expect("a stylesheet");
    let href = &page[at..];
    let href = &href[href.find("href=\"").unwrap() + 6..];
    href[..href.find('"').unwrap()].to_string()
}

#[tokio::test]
async fn pages_name_the_bundle_by_its_content_and_it_is_cached_for_good() {
    let (_site, root) = site_root();
    let server = Server::start(&root);
    let page = sign_in_page(&server).await;
    let stylesheet = stylesheet_of(&page);
    let hash = stylesheet
        .strip_prefix("/pkg/")
        .and_then(|rest| rest.strip_suffix("/cairn.css"))
        .unwrap_or_else(|| panic!("{stylesheet}"));
    assert_eq!(hash.len(), 16, "{stylesheet}");
    assert!(page.contains(&format!("/pkg/{hash}/cairn.js")), "{page}");

    let kept = client()
        .get(format!("{}{stylesheet}", server.url))
        .header(ACCEPT_ENCODING, "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.status(), StatusCode::OK);
    assert_eq!(
        kept.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(kept.headers()[CONTENT_ENCODING], "br");
    assert_eq!(
        kept.bytes().await.unwrap().as_ref(),
        b"brotli bytes stand-in"
    );

    // Another bundle's name (a page from another release) is not this bundle.
    let other = client()
        .get(format!("{}/pkg/0123456789abcdef/cairn.css", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.headers()[CACHE_CONTROL], "no-store");

    // A changed bundle gets a new name.
    std::fs::write(root.join("pkg/cairn.css"), "body { color: navy }\n").unwrap();
    let restarted = Server::start(&root);
    assert_ne!(stylesheet_of(&sign_in_page(&restarted).await), stylesheet);
}

#[tokio::test]
async fn pages_are_compressed_for_browsers_that_accept_it() {
    let (_site, root) = site_root();
    let server = Server::start(&root);
    let response = client()
        .get(format!("{}/", server.url))
        .header(COOKIE, server.session().await)
        .header(ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[CONTENT_ENCODING], "br");
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
    page["objective"]["status"].clone()
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
                child["status"],
                own_status(demo.url(), &cookie, id).await,
                "objective {id} under {parent}"
            );
            compared += 1;
        }
        if let Some(id) = page["parent"]["id"].as_i64() {
            assert_eq!(
                page["parent"]["status"],
                own_status(demo.url(), &cookie, id).await
            );
        }
    }
    assert!(compared > 0);
}

/// The islands a page renders, by component name (`data-component="CascadeTree_123"`).
fn islands_on(page: &str) -> Vec<String> {
    page.split("<leptos-island data-component=\"")
        .skip(1)
        .filter_map(|rest| rest.split(['_', '"']).next())
        .map(str::to_string)
        .collect()
}

/// The bundle a page loads: the one `/pkg/<name>.js` it names.
fn bundle_of(page: &str) -> app::bundles::Bundle {
    use app::bundles::Bundle;
    let named: Vec<Bundle> = Bundle::ALL
        .into_iter()
        .filter(|bundle| {
            let name = match bundle.suffix() {
                Some(suffix) => format!("/cairn-{suffix}.js\""),
                None => "/cairn.js\"".to_string(),
            };
            page.contains(&name)
        })
        .collect();
    assert_eq!(named.len(), 1, "a page loads one bundle: {named:?}");
    named[0]
}

#[tokio::test]
async fn every_page_loads_a_bundle_that_ships_its_islands() {
    let demo = crate::support::Demo::start(&[]);
    let cookie = demo.server.session().await;
    let objective = demo
        .scalar(
            "SELECT o.id FROM objectives o JOIN periods p ON p.id = o.period_id \
             WHERE p.state = 'active' AND p.kind = 'quarter' ORDER BY o.id LIMIT 1",
        )
        .await;
    let person = demo.scalar("SELECT min(id) FROM people").await;
    let unit = demo.scalar("SELECT min(id) FROM org_units").await;
    let period = demo.scalar("SELECT min(id) FROM periods").await;
    let pages = [
        "/".to_string(),
        "/my".into(),
        "/tree".into(),
        "/search?q=a".into(),
        "/periods".into(),
        format!("/periods/{period}/summary"),
        format!("/plan/{unit}"),
        format!("/units/{unit}"),
        format!("/people/{person}"),
        "/objectives/new".into(),
        format!("/objectives/{objective}"),
        format!("/objectives/{objective}/edit"),
        format!("/objectives/{objective}/grade"),
        "/account".into(),
        "/audit".into(),
        "/admin/people".into(),
        "/admin/units".into(),
        "/admin/import".into(),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for path in pages {
        let response = client()
            .get(format!("{}{path}", demo.url()))
            .header(COOKIE, &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let page = response.text().await.unwrap();
        let bundle = bundle_of(&page);
        assert_eq!(
            bundle,
            app::bundles::Bundle::for_path(path.split('?').next().unwrap())
        );
        for island in islands_on(&page) {
            let ships_in = app::bundles::island_bundle(&island)
                .unwrap_or_else(|| panic!("{path}: the island {island} is in no bundle"));
            assert!(
                bundle.ships(ships_in),
                "{path} loads the {bundle:?} bundle, which lacks {island} ({ships_in:?})"
            );
            seen.insert(island);
        }
    }
    // Every declared island was on some page, so each was checked.
    let declared: std::collections::BTreeSet<String> = app::bundles::ISLANDS
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    assert_eq!(seen, declared);
}
