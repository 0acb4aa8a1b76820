//! What pages load: the bundle under its content hash, the files revalidated by
//! ETag, precompressed answers, and on every page the bundle that ships its islands.

use crate::support::{Server, site_root};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, COOKIE};

fn client() -> reqwest::Client {
    reqwest::Client::new()
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

const CLOSED_UNIT_OBJECTIVE: &str = "SELECT {} FROM objectives o JOIN periods p ON p.id = o.period_id \
     WHERE p.state = 'closed' AND p.kind = 'quarter' AND o.owner_unit_id IS NOT NULL ORDER BY o.id LIMIT 1";

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
    // A unit's grading sheet of a closed quarter, which an admin may correct.
    let (graded_unit, graded_period) = (
        demo.scalar(
            CLOSED_UNIT_OBJECTIVE
                .replace("{}", "o.owner_unit_id")
                .as_str(),
        )
        .await,
        demo.scalar(CLOSED_UNIT_OBJECTIVE.replace("{}", "o.period_id").as_str())
            .await,
    );
    let pages = [
        "/".to_string(),
        "/my".into(),
        "/tree".into(),
        "/search?q=a".into(),
        "/periods".into(),
        format!("/periods/{period}/summary"),
        format!("/plan/{unit}"),
        format!("/units/{unit}"),
        format!("/units/{graded_unit}/grade?period={graded_period}"),
        format!("/periods/{graded_period}/close"),
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
