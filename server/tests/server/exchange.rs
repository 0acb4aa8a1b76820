//! The exchange document over HTTP: an admin downloads the whole installation,
//! or one unit and period, and it imports into a new one; others are refused;
//! the JSON Schema is public.

use crate::support::{Demo, location, no_redirects, page_in, run, sign_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_downloads_the_installation_and_it_imports_elsewhere() {
    let demo = Demo::start(&[]);
    let admin = demo.server.session().await;
    let client = reqwest::Client::new();
    let response = client
        .get(format!("{}/admin/export/download", demo.url()))
        .header("cookie", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"cairn-"),
        "{disposition}"
    );
    let body = response.text().await.unwrap();
    assert!(
        body.starts_with("{\"created_at\":"),
        "{}",
        &body[..80.min(body.len())]
    );
    assert!(body.trim_end().ends_with('}') && body.contains("\"type\":\"end\""));
    assert!(!body.contains("password_hash") && !body.contains("$argon2"));

    // It goes into a new installation whole.
    let elsewhere = tempfile::tempdir().unwrap();
    let file = elsewhere.path().join("download.jsonl");
    std::fs::write(&file, &body).unwrap();
    let imported = run(&["import", &file.to_string_lossy()], elsewhere.path());
    assert!(imported.status.success(), "{}", imported.stderr);
    assert!(imported.stderr.contains("Imported"), "{}", imported.stderr);
    let checked = run(&["check"], elsewhere.path());
    assert!(checked.stdout.contains("All is well"), "{}", checked.stdout);

    // Not for someone who is not an admin, nor for nobody.
    let email = demo
        .text("SELECT p.email FROM people p JOIN accounts a ON a.person_id = p.id WHERE a.is_admin = 0 ORDER BY p.id LIMIT 1")
        .await;
    let member = sign_in(demo.url(), &email, "cairn-demo").await;
    for cookie in [member.as_str(), ""] {
        let refused = client
            .get(format!("{}/admin/export/download", demo.url()))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        // A member is forbidden; nobody is sent to sign in.
        let status = refused.status().as_u16();
        let at = refused.url().path().to_string();
        assert!(
            status == 403 || at.starts_with("/sign-in"),
            "{status} at {at}"
        );
        assert!(!refused.text().await.unwrap().contains("\"type\":\"unit\""));
    }

    // The schema is public, and is the one the repository keeps.
    let schema = client
        .get(format!("{}/exchange/v1.schema.json", demo.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(schema.status(), 200);
    assert_eq!(schema.headers()["content-type"], "application/schema+json");
    let text = schema.text().await.unwrap();
    let kept = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/exchange-v1.schema.json"
    ))
    .unwrap();
    assert_eq!(text, kept);
}

/// The downloaded slice's header without its `slice`: what the whole export of
/// an installation holding only the slice begins with.
fn without_slice(document: &str) -> String {
    let (header, rest) = document.split_once('\n').unwrap();
    let mut header: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(header).unwrap();
    assert!(header.remove("slice").is_some(), "{header:?}");
    format!("{}\n{rest}", serde_json::Value::Object(header))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_downloads_one_unit_and_period_and_it_stands_on_its_own() {
    let demo = Demo::start(&[]);
    let admin = demo.server.session().await;
    // A team with objectives, and their period.
    let chosen = demo
        .text(
            "SELECT o.owner_unit_id || ' ' || o.period_id || ' ' || u.name FROM objectives o \
             JOIN org_units u ON u.id = o.owner_unit_id WHERE u.kind = 'team' ORDER BY o.id LIMIT 1",
        )
        .await;
    let mut parts = chosen.splitn(3, ' ');
    let (unit, period, team) = (
        parts.next().unwrap().to_string(),
        parts.next().unwrap().to_string(),
        parts.next().unwrap().to_string(),
    );

    // The page offers every unit and period, in the reader's language.
    let page = page_in(&format!("{}/admin/export", demo.url()), &admin, "nl").await;
    assert!(page.contains("Eén eenheid en periode"), "{page}");
    assert!(
        page.contains(&format!("<option value=\"{unit}\"")),
        "{page}"
    );
    assert!(
        page.contains(&format!("<option value=\"{period}\"")),
        "{page}"
    );
    assert!(page.contains("href=\"/admin/export/download\""));
    let english = page_in(&format!("{}/admin/export", demo.url()), &admin, "en").await;
    assert!(english.contains("One unit and period"));

    let client = no_redirects();
    let download = |query: String| {
        let client = client.clone();
        let admin = admin.clone();
        let url = format!("{}/admin/export/download?{query}", demo.url());
        async move {
            client
                .get(url)
                .header("cookie", admin)
                .send()
                .await
                .unwrap()
        }
    };
    let response = download(format!("unit={unit}&period={period}")).await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    let slug = team.to_lowercase().replace(' ', "-");
    assert!(
        disposition.contains(&format!("filename=\"cairn-{slug}-")),
        "{disposition}"
    );
    let body = response.text().await.unwrap();
    let header: serde_json::Value = serde_json::from_str(body.lines().next().unwrap()).unwrap();
    assert_eq!(header["slice"]["unit_id"].to_string(), unit);
    assert_eq!(header["slice"]["period_id"].to_string(), period);
    assert!(body.contains("\"type\":\"check_in\"") && body.contains("\"type\":\"audit_event\""));

    // Smaller than the whole, and the same as the console writes.
    let whole = download(String::new()).await.text().await.unwrap();
    // A browser asks for it compressed: it arrives whole that way too.
    let compressed = client
        .get(format!("{}/admin/export/download", demo.url()))
        .header("cookie", &admin)
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "br");
    let bytes = compressed
        .bytes()
        .await
        .expect("the compressed document ends well");
    assert!(
        bytes.len() * 4 < whole.len(),
        "{} of {}",
        bytes.len(),
        whole.len()
    );
    assert!(body.lines().count() * 2 < whole.lines().count());
    let elsewhere = tempfile::tempdir().unwrap();
    let file = elsewhere.path().join("slice.jsonl");
    let console = run(
        &[
            "export",
            "--unit",
            &unit,
            "--period",
            &period,
            "--to",
            &file.to_string_lossy(),
        ],
        demo.data.path(),
    );
    assert!(console.status.success(), "{}", console.stderr);
    assert!(
        std::fs::read_to_string(&file).unwrap() == body,
        "the console wrote another slice"
    );

    // It goes into a new installation on its own, is sound there, and comes out
    // the same.
    let imported = run(&["import", &file.to_string_lossy()], elsewhere.path());
    assert!(imported.status.success(), "{}", imported.stderr);
    let checked = run(&["check"], elsewhere.path());
    assert!(checked.stdout.contains("All is well"), "{}", checked.stdout);
    let out = elsewhere.path().join("again.jsonl");
    let again = run(
        &["export", "--to", &out.to_string_lossy()],
        elsewhere.path(),
    );
    assert!(again.status.success(), "{}", again.stderr);
    assert!(
        std::fs::read_to_string(&out).unwrap() == without_slice(&body),
        "the slice came back changed"
    );

    // A choice that is not there, or half a choice, comes back to the page,
    // which says why.
    for (query, refused) in [
        (format!("unit=999999&period={period}"), "unit"),
        (format!("unit={unit}&period=999999"), "period"),
        (format!("unit={unit}&period="), "incomplete"),
        (format!("unit=een&period={period}"), "incomplete"),
    ] {
        let response = download(query.clone()).await;
        assert_eq!(response.status(), 303, "{query}");
        assert_eq!(
            location(&response),
            format!("/admin/export?refused={refused}")
        );
    }
    let said = page_in(
        &format!("{}/admin/export?refused=unit", demo.url()),
        &admin,
        "nl",
    )
    .await;
    assert!(said.contains("Die eenheid bestaat niet (meer)."), "{said}");

    // Nobody but an admin sees the page or gets a slice.
    let email = demo
        .text("SELECT p.email FROM people p JOIN accounts a ON a.person_id = p.id WHERE a.is_admin = 0 ORDER BY p.id LIMIT 1")
        .await;
    let member = sign_in(demo.url(), &email, "cairn-demo").await;
    let refused = client
        .get(format!(
            "{}/admin/export/download?unit={unit}&period={period}",
            demo.url()
        ))
        .header("cookie", &member)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let page = page_in(&format!("{}/admin/export", demo.url()), &member, "en").await;
    assert!(!page.contains("export-unit"));
}
