//! The spreadsheet importer in the browser's way, over HTTP: the upload (refused
//! files say why and store nothing), the mapping read back, names matched or
//! made, a bad new person refused whole, then everything stored at once.

use crate::support::roles::*;
use crate::support::{location, no_redirects, page_in};

const PAGE: &str = "/admin/sheets";

async fn upload(
    base: &str,
    cookie: &str,
    name: &str,
    bytes: Vec<u8>,
    language: &str,
) -> (u16, String) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new()
        .text("language", language.to_string())
        .part("file", part);
    let response = no_redirects()
        .post(format!("{base}{PAGE}"))
        .header("cookie", cookie)
        .header("origin", base)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), location(&response))
}

async fn draft(base: &str, cookie: &str, fields: &[(&str, &str)]) -> String {
    let response = no_redirects()
        .post(format!("{base}{PAGE}/draft"))
        .header("cookie", cookie)
        .header("origin", base)
        .form(fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    page(base, cookie, PAGE).await
}

async fn page(base: &str, cookie: &str, path: &str) -> String {
    page_in(&format!("{base}{path}"), cookie, "en").await
}

#[tokio::test]
async fn a_sheet_is_mapped_matched_previewed_and_stored_whole_through_the_page() {
    let s = setup().await;
    let base = s.server.url.clone();
    let admin = s.actors[4].1.clone();
    let lead = s.actors[3].1.clone();
    let count = |table: &'static str| {
        let url = s.url.clone();
        async move { scalar(&url, &format!("SELECT count(*) FROM {table}")).await }
    };
    let before = (
        count("objectives").await,
        count("people").await,
        count("org_units").await,
    );

    // Only admins.
    let (status, _) = upload(&base, &lead, "okr.csv", b"Objective\nA\n".to_vec(), "en").await;
    assert_eq!(status, 403);
    assert!(!page(&base, &lead, PAGE).await.contains("sheet-file"));

    // Files that cannot be read faithfully say why, and nothing is kept.
    let windows = b"Objective;Key result\nGro\xeble;Caf\xe9\n".to_vec();
    for (name, bytes, says) in [
        ("okr.csv", Vec::new(), "The file is empty."),
        ("okr.csv", windows, "Line 2 is not UTF-8 text"),
        (
            "okr.csv",
            vec![b'a'; 11 * 1024 * 1024],
            "The file is larger than 10 MB",
        ),
    ] {
        let (status, location) = upload(&base, &admin, name, bytes, "en").await;
        assert_eq!((status, location.as_str()), (303, PAGE));
        let shown = page(&base, &admin, PAGE).await;
        assert!(shown.contains(says), "{says}");
        assert!(shown.contains("id=\"sheet-file\""), "the upload form again");
    }
    // Larger than any request the server reads (a 100 MB export picked by
    // mistake): the page says so too.
    for mb in [17, 100] {
        let (status, location) =
            upload(&base, &admin, "big.csv", vec![b'a'; mb * 1024 * 1024], "en").await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/admin/sheets?refused=too-large"),
            "{mb} MB"
        );
        assert!(
            page(&base, &admin, &location)
                .await
                .contains("The file is larger than 10 MB")
        );
    }

    // A sheet naming a unit, people and a period the installation does not hold.
    let period = text(
        &s.url,
        &format!("SELECT name FROM periods WHERE id = {}", s.period),
    )
    .await;
    let sheet = "Doelstelling;Kernresultaat;Eigenaar;Team;Periode;Startwaarde;Streefwaarde;Huidige waarde;Notities\n\
         Snellere antwoorden;Antwoordtijd;fenna.bakker@voorbeeld.nl;Kwaliteitsteam;Q1 volgend jaar;12,5;4;9;eerste\n\
         ;Klanten tevreden;gijs.mulder@voorbeeld.nl;Kwaliteitsteam;Q1 volgend jaar;62%;80%;;\n";
    let (status, _) = upload(&base, &admin, "team.csv", sheet.as_bytes().to_vec(), "nl").await;
    assert_eq!(status, 303);
    let shown = page(&base, &admin, PAGE).await;
    assert!(shown.contains("team.csv: 2 rows read."), "{shown}");
    // The columns as guessed, the one unknown left out, the values beside them.
    assert!(
        shown.contains("<option value=\"objective\" selected"),
        "guessed"
    );
    assert!(shown.contains("12,5 · 62%"), "samples");
    assert!(shown.contains("Owner: fenna.bakker@voorbeeld.nl"));
    assert!(shown.contains("Unit: Kwaliteitsteam"));
    assert!(shown.contains("Period: Q1 volgend jaar"));
    assert!(shown.contains("value=\"Fenna Bakker\""), "a name suggested");
    assert!(shown.contains("id=\"sheet-import\" disabled"), "not yet");
    // The tree: numbers in the reader's language.
    assert!(shown.contains("Snellere antwoorden"));
    assert!(shown.contains("12.5 → 4 (9)"), "{shown}");

    // A column read twice is a problem of the mapping, listed, and blocks import.
    let twice = draft(
        &base,
        &admin,
        &[
            ("action", "look"),
            ("column-0", "objective"),
            ("column-1", "objective"),
            ("language", "nl"),
        ],
    )
    .await;
    assert!(twice.contains("More than one column is read as this."));
    assert!(twice.contains("id=\"sheet-import\" disabled"));

    let root = scalar(
        &s.url,
        "SELECT id FROM org_units WHERE parent_id IS NULL ORDER BY id LIMIT 1",
    )
    .await;
    let under = format!("under:{root}");
    let period_pick = format!("id:{}", s.period);
    let mut fields = vec![
        ("action", "import"),
        ("column-0", "objective"),
        ("column-1", "key_result"),
        ("column-2", "owner"),
        ("column-3", "unit"),
        ("column-4", "period"),
        ("column-5", "start"),
        ("column-6", "target"),
        ("column-7", "current"),
        ("column-8", ""),
        ("language", "nl"),
        ("owner-0-text", "fenna.bakker@voorbeeld.nl"),
        ("owner-0", "new"),
        ("owner-0-name", "Fenna Bakker"),
        ("owner-0-email", "not an address"),
        ("owner-1-text", "gijs.mulder@voorbeeld.nl"),
        ("owner-1", "new"),
        ("owner-1-name", "Gijs Mulder"),
        ("owner-1-email", "gijs.mulder@voorbeeld.nl"),
        ("unit-0-text", "Kwaliteitsteam"),
        ("unit-0", under.as_str()),
        ("period-0-text", "Q1 volgend jaar"),
        ("period-0", period_pick.as_str()),
    ];
    // A new person with a bad address: refused whole, the choices kept.
    let refused = draft(&base, &admin, &fields).await;
    assert!(
        refused.contains(
            "The new person for “fenna.bakker@voorbeeld.nl”: That is not an email address."
        ),
        "{refused}"
    );
    assert_eq!(
        (
            count("objectives").await,
            count("people").await,
            count("org_units").await
        ),
        before
    );
    assert!(
        refused.contains("value=\"Gijs Mulder\""),
        "what was chosen is kept"
    );

    fields[14] = ("owner-0-email", "fenna.bakker@voorbeeld.nl");
    let stored = draft(&base, &admin, &fields).await;
    assert!(
        stored.contains("Imported 1 objectives, 2 key results and 1 current values."),
        "{stored}"
    );
    assert!(
        stored.contains("id=\"sheet-file\""),
        "the draft is done with"
    );
    assert_eq!(
        (
            count("objectives").await,
            count("people").await,
            count("org_units").await
        ),
        (before.0 + 1, before.1 + 2, before.2 + 1)
    );
    let unit = text(
        &s.url,
        &format!("SELECT kind FROM org_units WHERE name = 'Kwaliteitsteam' AND parent_id = {root}"),
    )
    .await;
    assert_eq!(unit, "department", "under the organisation: a department");
    let placed = scalar(
        &s.url,
        &format!(
            "SELECT count(*) FROM objectives o JOIN org_units u ON u.id = o.owner_unit_id \
             WHERE o.title = 'Snellere antwoorden' AND u.name = 'Kwaliteitsteam' AND o.period_id = {}",
            s.period
        ),
    )
    .await;
    assert_eq!(placed, 1, "in {period}");
    // The people made for it are members of the unit whose key results they own.
    let joined = text(
        &s.url,
        "SELECT p.name || ':' || m.role FROM memberships m JOIN people p ON p.id = m.person_id \
         JOIN org_units u ON u.id = m.unit_id WHERE u.name = 'Kwaliteitsteam' ORDER BY p.name",
    )
    .await;
    let members = scalar(
        &s.url,
        "SELECT count(*) FROM memberships m JOIN org_units u ON u.id = m.unit_id \
         WHERE u.name = 'Kwaliteitsteam'",
    )
    .await;
    assert_eq!((joined.as_str(), members), ("Fenna Bakker:member", 2));
}
