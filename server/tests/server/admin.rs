//! Administration over HTTP: people, units, memberships and the CSV import; only
//! admins, every refusal clear, nothing half-done.

use crate::support::no_redirects;
use crate::support::roles::*;
use serde_json::Value;

async fn form(base: &str, cookie: &str, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let response = no_redirects()
        .post(format!("{base}{path}"))
        .header("cookie", cookie)
        .form(fields)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        crate::support::location(&response),
    )
}

/// Sends an admin form and reads the page it comes back to: what happened is said
/// there, once.
async fn sent(base: &str, cookie: &str, path: &str, fields: &[(&str, &str)]) -> (String, String) {
    let (status, location) = form(base, cookie, path, fields).await;
    assert_eq!(status, 303, "{path}: {location}");
    let page = no_redirects()
        .get(format!("{base}{location}"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (location, page)
}

async fn page_status(base: &str, cookie: &str) -> u16 {
    no_redirects()
        .get(format!("{base}/account"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn admins_manage_people_and_units_and_nobody_else_does() {
    let s = setup().await;
    let base = s.server.url.clone();
    let admin = s.actors[4].1.clone();
    let people = scalar(&s.url, "SELECT count(*) FROM people").await;
    // Nobody else: anonymous is sent to sign in, a lead is refused.
    let (status, location) = form(
        &base,
        "",
        "/admin/people",
        &[("name", "Eve"), ("email", "eve@example.org")],
    )
    .await;
    assert_eq!((status, location.starts_with("/sign-in")), (303, true));
    let (status, _) = form(
        &base,
        &s.actors[3].1,
        "/admin/people",
        &[("name", "Eve"), ("email", "eve@example.org")],
    )
    .await;
    assert_eq!(status, 403);
    let (status, answer) = post_form(&base, &s.actors[3].1, "admin_people", String::new()).await;
    assert_eq!(status, 403, "{answer}");
    assert_eq!(scalar(&s.url, "SELECT count(*) FROM people").await, people);

    // Bad input: a clear sentence back beside the form, what was typed kept,
    // nothing stored, nothing in the address.
    let huge = "x".repeat(10 * 1024 * 1024);
    for (fields, says) in [
        (
            vec![("name", ""), ("email", "eve@example.org")],
            "Please fill this in.",
        ),
        (
            vec![("name", huge.as_str()), ("email", "eve@example.org")],
            "This is too long: at most 120 characters.",
        ),
        (
            vec![("name", "Eve"), ("email", "not an address")],
            "That is not an email address.",
        ),
    ] {
        let (location, page) = sent(&base, &admin, "/admin/people", &fields).await;
        assert!(!location.contains("error"), "{location}");
        assert!(
            page.contains(&format!("Nothing was changed. {says}")),
            "{says}"
        );
        assert!(
            page.contains("value=\"eve@example.org\"") || page.contains("value=\"not an address\""),
            "typed kept"
        );
    }
    let taken = text(&s.url, "SELECT email FROM people ORDER BY id LIMIT 1").await;
    let (_, page) = sent(
        &base,
        &admin,
        "/admin/people",
        &[("name", "Twin"), ("email", taken.as_str())],
    )
    .await;
    assert!(page.contains("Nothing was changed. Someone else already has that email address."));
    assert!(page.contains("value=\"Twin\""), "what was typed is kept");
    assert_eq!(scalar(&s.url, "SELECT count(*) FROM people").await, people);

    // A new person in the team, handed a one-time link that signs them in.
    let team = s.team.to_string();
    let (_, location) = form(
        &base,
        &admin,
        "/admin/people",
        &[
            ("name", "Eva Nieuw"),
            ("email", "eva@example.org"),
            ("unit", team.as_str()),
            ("role", "member"),
        ],
    )
    .await;
    assert!(
        !location.contains("link="),
        "no token in the address: {location}"
    );
    // The page the form returns to shows the link, once.
    let page = no_redirects()
        .get(format!("{base}{location}"))
        .header("cookie", &admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token: String = page
        .split("/sign-in/link/")
        .nth(1)
        .expect("the new link is on the page")
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    let response = no_redirects()
        .post(format!("{base}/sign-in/link"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    let eva = crate::support::session_cookie(&response);
    assert_eq!(page_status(&base, &eva).await, 200);
    let eva_id = scalar(
        &s.url,
        "SELECT id FROM people WHERE email = 'eva@example.org'",
    )
    .await;
    assert_eq!(
        scalar(
            &s.url,
            &format!(
                "SELECT count(*) FROM memberships WHERE person_id = {eva_id} AND unit_id = {}",
                s.team
            )
        )
        .await,
        1
    );

    // Deactivating ends their sessions at once; a second change made on the same
    // version is refused, nothing changed.
    let version = scalar(
        &s.url,
        &format!("SELECT version FROM people WHERE id = {eva_id}"),
    )
    .await
    .to_string();
    let (_, page) = sent(
        &base,
        &admin,
        &format!("/admin/people/{eva_id}"),
        &[("action", "deactivate"), ("version", version.as_str())],
    )
    .await;
    assert!(page.contains("Saved."));
    assert_eq!(page_status(&base, &eva).await, 303);
    let (_, page) = sent(
        &base,
        &admin,
        &format!("/admin/people/{eva_id}"),
        &[("action", "reactivate"), ("version", version.as_str())],
    )
    .await;
    assert!(
        page.contains("Someone else changed this meanwhile"),
        "a stale form"
    );
    assert_eq!(
        scalar(
            &s.url,
            &format!("SELECT active FROM people WHERE id = {eva_id}")
        )
        .await,
        0
    );

    // Units: a team moves to another department; a loop is refused.
    let department = scalar(
        &s.url,
        &format!("SELECT parent_id FROM org_units WHERE id = {}", s.team),
    )
    .await;
    let other_department = scalar(
        &s.url,
        &format!("SELECT id FROM org_units WHERE kind = 'department' AND id <> {department} ORDER BY id LIMIT 1"),
    )
    .await;
    let team_name = text(
        &s.url,
        &format!("SELECT name FROM org_units WHERE id = {}", s.team),
    )
    .await;
    let other = other_department.to_string();
    let unit_version = |id: i64| {
        let url = s.url.clone();
        async move {
            scalar(
                &url,
                &format!("SELECT version FROM org_units WHERE id = {id}"),
            )
            .await
            .to_string()
        }
    };
    let version = unit_version(s.team).await;
    let (_, page) = sent(
        &base,
        &admin,
        &format!("/admin/units/{}", s.team),
        &[
            ("action", "edit"),
            ("name", team_name.as_str()),
            ("parent", other.as_str()),
            ("version", version.as_str()),
        ],
    )
    .await;
    assert!(page.contains("Saved."));
    assert_eq!(
        scalar(
            &s.url,
            &format!("SELECT parent_id FROM org_units WHERE id = {}", s.team)
        )
        .await,
        other_department
    );
    let department_name = text(
        &s.url,
        &format!("SELECT name FROM org_units WHERE id = {other_department}"),
    )
    .await;
    let team_id = s.team.to_string();
    let version = unit_version(other_department).await;
    let (_, page) = sent(
        &base,
        &admin,
        &format!("/admin/units/{other_department}"),
        &[
            ("action", "edit"),
            ("name", department_name.as_str()),
            ("parent", team_id.as_str()),
            ("version", version.as_str()),
        ],
    )
    .await;
    assert!(
        page.contains("Nothing was changed. A unit cannot move under itself or a unit below it.")
    );
    let (status, _) = form(
        &base,
        &s.actors[3].1,
        &format!("/admin/units/{}", s.team),
        &[("action", "deactivate")],
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_csv_import_stores_everything_or_nothing_and_says_which_rows() {
    let s = setup().await;
    let base = s.server.url.clone();
    let admin = s.actors[4].1.clone();
    let department = text(
        &s.url,
        "SELECT name FROM org_units WHERE kind = 'department' ORDER BY id LIMIT 1",
    )
    .await;
    let before = (
        scalar(&s.url, "SELECT count(*) FROM org_units").await,
        scalar(&s.url, "SELECT count(*) FROM people").await,
    );
    let units = format!(
        "name,kind,parent\nTeam Kaas,team,{department}\nTeam Brood,team,Nowhere\nTeam Melk,squad,{department}\n"
    );
    let people = "name,email,unit,role\nKees,kees@example.org,Team Kaas,lead\nKees Twee,kees@example.org,Team Kaas,member\nLot,not-an-email,Team Kaas,member\nMo,mo@example.org,Team Kaas,boss\n";
    let (status, answer) = post_form(
        &base,
        &admin,
        "import_csv",
        format!("units={}&people={}", urlencode(&units), urlencode(people)),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let problems: Value = serde_json::from_str(&answer).unwrap();
    let listed: Vec<(String, u64, Value)> = problems["Err"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap().into(),
                p["row"].as_u64().unwrap(),
                p["refusal"].clone(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            ("Units".into(), 4, serde_json::json!("UnknownKind")),
            (
                "People".into(),
                4,
                serde_json::json!({ "Email": "InvalidEmail" })
            ),
            ("People".into(), 5, serde_json::json!("UnknownRole")),
        ]
    );
    // Rows that parse but refer to nothing, or clash, are reported from the database.
    let units = format!("name,kind,parent\nTeam Kaas,team,{department}\nTeam Brood,team,Nowhere\n");
    let people = "name,email,unit,role\nKees,kees@example.org,Team Kaas,lead\nKees Twee,kees@example.org,Team Kaas,member\n";
    let (_, answer) = post_form(
        &base,
        &admin,
        "import_csv",
        format!("units={}&people={}", urlencode(&units), urlencode(people)),
    )
    .await;
    assert!(
        answer.contains("\"UnknownParent\"") && answer.contains("\"EmailTaken\""),
        "{answer}"
    );
    assert_eq!(
        (
            scalar(&s.url, "SELECT count(*) FROM org_units").await,
            scalar(&s.url, "SELECT count(*) FROM people").await
        ),
        before,
        "nothing half-imported"
    );
    // Fixed, it all goes in.
    let units =
        format!("name,kind,parent\nTeam Kaas,team,{department}\nTeam Brood,team,Team Kaas\n");
    let people = "name,email,unit,role\nKees,kees@example.org,Team Kaas,lead\nLot,lot@example.org,Team Brood,\n";
    let (_, answer) = post_form(
        &base,
        &admin,
        "import_csv",
        format!("units={}&people={}", urlencode(&units), urlencode(people)),
    )
    .await;
    assert_eq!(answer, "{\"Ok\":[2,2]}");
    assert_eq!(
        scalar(&s.url, "SELECT count(*) FROM org_units").await,
        before.0 + 2
    );
    assert_eq!(scalar(&s.url, "SELECT count(*) FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.email = 'lot@example.org'").await, 1);
    // Only admins import.
    let (status, _) = post_form(&base, &s.actors[3].1, "import_csv", "units=&people=".into()).await;
    assert_eq!(status, 403);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
