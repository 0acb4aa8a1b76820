//! `cairn import-sheet`: a Dutch sheet naming the installation's people, units and
//! period goes in whole; the example sheet, whose names match nothing here, is
//! refused with those names and stores nothing.

use sqlx::Connection;

use crate::support::run;

async fn text(url: &str, sql: &str) -> String {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
}

#[tokio::test]
async fn a_sheet_goes_in_whole_or_names_what_matches_nothing() {
    let data = tempfile::tempdir().unwrap();
    assert!(run(&["demo"], data.path()).status.success());
    let db = format!("sqlite://{}", data.path().join("cairn.db").display());
    let objectives =
        || async { crate::support::scalar(&db, "SELECT count(*) FROM objectives").await };
    let before = objectives().await;

    // The example names people and a period this installation does not have.
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/examples/okr-team-nl.csv"
    );
    let refused = run(&["import-sheet", example], data.path());
    assert_eq!(refused.status.code(), Some(1), "{}", refused.stderr);
    assert!(
        refused
            .stdout
            .contains("Doelstelling                 objective"),
        "{}",
        refused.stdout
    );
    assert!(
        refused
            .stdout
            .contains("No owners in Cairn called: anna.devries@voorbeeld.nl"),
        "{}",
        refused.stdout
    );
    assert!(
        refused.stderr.contains("nothing was stored"),
        "{}",
        refused.stderr
    );
    assert_eq!(objectives().await, before);

    // The same kind of sheet, with this installation's names.
    let email = text(&db, "SELECT email FROM people ORDER BY id LIMIT 1").await;
    let unit = text(
        &db,
        "SELECT name FROM org_units WHERE kind = 'team' ORDER BY id LIMIT 1",
    )
    .await;
    let period = text(
        &db,
        "SELECT name FROM periods WHERE state = 'active' AND kind = 'quarter' ORDER BY id LIMIT 1",
    )
    .await;
    let sheet = data.path().join("team.csv");
    std::fs::write(
        &sheet,
        format!(
            "Doelstelling;Kernresultaat;Eigenaar;Team;Periode;Startwaarde;Streefwaarde;Huidige waarde\n\
             Snellere antwoorden;Antwoordtijd in minuten;{email};{unit};{period};12,5;4;9\n\
             ;Klanten tevreden;{email};{unit};{period};62%;80%;\n"
        ),
    )
    .unwrap();
    let dry = run(
        &["import-sheet", "--dry-run", &sheet.to_string_lossy()],
        data.path(),
    );
    assert!(dry.status.success(), "{}{}", dry.stdout, dry.stderr);
    assert!(
        dry.stdout
            .contains("    - Antwoordtijd in minuten: 12.5 → 4"),
        "{}",
        dry.stdout
    );
    assert_eq!(objectives().await, before);

    let stored = run(&["import-sheet", &sheet.to_string_lossy()], data.path());
    assert!(
        stored.status.success(),
        "{}{}",
        stored.stdout,
        stored.stderr
    );
    assert!(
        stored
            .stdout
            .contains("Imported 1 objectives, 2 key results and 1 current values."),
        "{}",
        stored.stdout
    );
    assert_eq!(objectives().await, before + 1);
    let checked = run(&["check"], data.path());
    assert!(checked.stdout.contains("All is well"), "{}", checked.stdout);
}
