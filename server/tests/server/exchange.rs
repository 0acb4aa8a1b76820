//! The exchange document over HTTP: an admin downloads the whole installation
//! and it imports into a new one; others are refused; the JSON Schema is public.

use crate::support::{Demo, run, sign_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_downloads_the_installation_and_it_imports_elsewhere() {
    let demo = Demo::start(&[]);
    let admin = demo.server.session().await;
    let client = reqwest::Client::new();
    let response = client
        .get(format!("{}/admin/export", demo.url()))
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
            .get(format!("{}/admin/export", demo.url()))
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
