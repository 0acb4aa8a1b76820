//! The exchange document: generated installations go out and come back identical,
//! on each database and from one to the other; a bad document is refused with a
//! reason and stores nothing.

mod generate;
mod slice;

use app::storage::exchange::{ExchangeError, Quiet, Summary, export, import};
use app::storage::key_results::check_ins::record_check_in;
use app::storage::{Backend, Db};
use cairn::model::Owner;

use crate::on_both;
use crate::support::*;
use crate::{check_in, new_kr};

on_both!(
    generated_installations_come_back_identical,
    a_bad_document_is_refused_and_nothing_is_stored,
);

/// A fresh database of the same kind as `db`, and what keeps it alive.
async fn fresh(db: &Db) -> (Db, Option<tempfile::TempDir>) {
    match db.backend() {
        Backend::Sqlite => {
            let (db, dir) = sqlite().await;
            (db, Some(dir))
        }
        Backend::Postgres => (postgres().await, None),
    }
}

async fn import_text(db: &Db, text: &str) -> Result<Summary, ExchangeError> {
    import(db, text.as_bytes(), &Quiet).await
}

async fn export_text(db: &Db) -> String {
    let mut out = Vec::new();
    export(db, &mut out, &Quiet).await.unwrap();
    String::from_utf8(out).unwrap()
}

/// Where the generated installations start: CAIRN_EXCHANGE_SEED to repeat a run.
fn seeds(n: u64) -> Vec<u64> {
    let base = std::env::var("CAIRN_EXCHANGE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| chrono::Utc::now().timestamp_micros() as u64);
    (0..n).map(|i| base.wrapping_add(i)).collect()
}

/// The first line where two documents differ, for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {}:\n  in:  {x}\n  out: {y}", i + 1))
        .unwrap_or_else(|| format!("{} lines in, {} out", a.lines().count(), b.lines().count()))
}

async fn generated_installations_come_back_identical(db: Db) {
    for seed in seeds(6) {
        let doc = generate::document(seed).text();
        let (target, _keep) = fresh(&db).await;
        let summary = import_text(&target, &doc)
            .await
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(summary.total() as usize, doc.lines().count() - 2);
        let out = export_text(&target).await;
        assert!(out == doc, "seed {seed}: {}", first_difference(&doc, &out));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_move_from_sqlite_to_postgresql_and_back() {
    // An installation made by ordinary use, with its audit trail...
    let (source, _dir) = sqlite().await;
    let w = world(&source).await;
    let objective =
        make_objective(&source, w.quarter, Owner::Unit(w.team), "Klanten zijn fan").await;
    let kr = create_key_result(
        &source,
        Some(w.anna),
        new_kr(objective.id, "NPS 12.000,5 → 😀", 1.0),
    )
    .await
    .unwrap();
    record_check_in(&source, check_in(kr.id, 42.5, 7))
        .await
        .unwrap();
    let first = export_text(&source).await;
    assert!(first.contains("\"type\":\"audit_event\""));
    // ...and generated ones, through PostgreSQL and back into SQLite.
    let mut documents = vec![first];
    documents.extend(seeds(3).into_iter().map(|s| generate::document(s).text()));
    for doc in documents {
        let pg = postgres().await;
        import_text(&pg, &doc).await.unwrap();
        let through_pg = export_text(&pg).await;
        assert!(through_pg == doc, "{}", first_difference(&doc, &through_pg));
        let (back, _back_dir) = sqlite().await;
        import_text(&back, &through_pg).await.unwrap();
        let home = export_text(&back).await;
        assert!(home == doc, "{}", first_difference(&doc, &home));
    }
}

const HEADER: &str = r#"{"created_at":1,"format":"cairn-exchange","name":"Acme","version":1}"#;

/// A small document, hand-written, that bad documents are made from.
fn good() -> Vec<String> {
    [
        HEADER,
        r#"{"type":"unit","id":1,"parent_id":null,"name":"Acme","kind":"organisation","active":true,"version":1,"created_at":5}"#,
        r#"{"type":"unit","id":2,"parent_id":1,"name":"Team","kind":"team","active":true,"version":1,"created_at":5}"#,
        r#"{"type":"person","id":1,"name":"Anna","email":"anna@acme.nl","active":true,"version":1,"created_at":5}"#,
        r#"{"type":"period","id":1,"kind":"quarter","name":"2027 Q1","starts_on":"2027-01-01","ends_on":"2027-03-31","parent_id":null,"state":"active","version":1}"#,
        r#"{"type":"objective","id":1,"period_id":1,"owner_unit_id":1,"title":"Groei","commitment":"committed","state":"active","weight":1,"position":0,"progress":0.5,"version":1,"created_at":5,"updated_at":5}"#,
        r#"{"type":"objective","id":2,"period_id":1,"owner_unit_id":2,"title":"Teamgroei","commitment":"committed","state":"active","weight":1,"position":0,"progress":0,"version":1,"created_at":5,"updated_at":5}"#,
        r#"{"type":"key_result","id":1,"objective_id":1,"title":"Omzet","kind":"binary","weight":1,"position":0,"progress":0,"version":1,"created_at":5,"updated_at":5}"#,
        r#"{"type":"alignment","id":1,"child_id":2,"parent_objective_id":1,"is_primary":true,"valid_from":5}"#,
        r#"{"type":"check_in","id":1,"key_result_id":1,"at":6,"value":1,"confidence":7,"source":"ui"}"#,
        r#"{"type":"end","records":9}"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn with(mut lines: Vec<String>, at: usize, line: &str) -> String {
    lines[at] = line.to_string();
    lines.join("\n") + "\n"
}

async fn a_bad_document_is_refused_and_nothing_is_stored(db: Db) {
    let lines = good();
    let whole = lines.join("\n") + "\n";
    let last = lines.len() - 1;
    let cases: Vec<(String, &str)> = vec![
        (
            with(
                lines.clone(),
                0,
                &HEADER.replace("\"version\":1", "\"version\":2"),
            ),
            "this document is version 2 of the exchange format; this release of Cairn reads version 1",
        ),
        (
            lines[..last].join("\n") + "\n",
            "the document ends after line 10 without its closing record: the file is truncated",
        ),
        (
            whole[..whole.len() - 30].to_string(),
            "the document ends after line 9 without its closing record: the file is truncated",
        ),
        (
            with(lines.clone(), 6, &lines[5]),
            "line 7: objective 1 is in the document twice",
        ),
        (
            with(
                lines.clone(),
                9,
                &lines[9].replace("\"key_result_id\":1", "\"key_result_id\":77"),
            ),
            "line 10: check_in key_result_id is 77, but the document holds no key_result 77",
        ),
        (
            with(
                lines.clone(),
                1,
                &lines[1].replace("\"parent_id\":null", "\"parent_id\":2"),
            ),
            "the units' parents form a cycle: 1 → 2 → 1",
        ),
        (
            with(lines.clone(), last, r#"{"type":"end","records":12}"#),
            "the closing record counts 12 records, but the document holds 9",
        ),
        (
            whole.clone() + &lines[3] + "\n",
            "line 12: there is more after the closing record",
        ),
        (
            with(
                lines.clone(),
                9,
                &lines[9].replace("\"confidence\":7", "\"confidence\":11"),
            ),
            "line 10: check_in confidence: ",
        ),
        (
            // Owned by a unit and a person at once: only the database's rule says no.
            with(
                lines.clone(),
                5,
                &lines[5].replace(
                    "\"owner_unit_id\":1",
                    "\"owner_unit_id\":1,\"owner_person_id\":1",
                ),
            ),
            "the objective records from line 6 on were refused by the database",
        ),
        (
            with(lines.clone(), 3, &lines[3].replace("Anna", "An\\u0000na")),
            "line 4: person name may not hold the character NUL",
        ),
        (
            with(
                lines.clone(),
                3,
                &lines[3].replace("\"active\":true", "\"active\":true,\"password_hash\":\"x\""),
            ),
            "line 4: person has no field \"password_hash\"",
        ),
        (
            with(lines.clone(), 3, &lines[3].replace("\"Anna\"", "\" Anna\"")),
            "line 4: person name: it would be stored as «Anna»; write it so",
        ),
        (
            with(
                lines.clone(),
                7,
                &lines[7].replace(
                    "\"kind\":\"binary\"",
                    "\"kind\":\"binary\",\"current_value\":1e300",
                ),
            ),
            "line 8: key_result current_value: must be between",
        ),
    ];
    for (doc, expected) in cases {
        let refused = import_text(&db, &doc).await.expect_err(expected);
        assert!(
            refused.to_string().starts_with(expected),
            "expected «{expected}», got «{refused}»"
        );
        for table in [
            "org_units",
            "people",
            "periods",
            "objectives",
            "key_results",
            "check_ins",
            "alignments",
        ] {
            assert_eq!(
                db.count_rows(table).await.unwrap(),
                0,
                "{table} after «{expected}»"
            );
        }
    }

    // A cycle through the cascade: 1 under a key result of 2's, 2 under 1.
    let mut cyclic = lines.clone();
    cyclic.insert(
        9,
        r#"{"type":"alignment","id":2,"child_id":1,"parent_key_result_id":2,"is_primary":true,"valid_from":5}"#.into(),
    );
    cyclic.insert(
        8,
        r#"{"type":"key_result","id":2,"objective_id":2,"title":"Teamomzet","kind":"binary","weight":1,"position":0,"progress":0,"version":1,"created_at":5,"updated_at":5}"#.into(),
    );
    cyclic[last + 2] = r#"{"type":"end","records":11}"#.into();
    let refused = import_text(&db, &(cyclic.join("\n") + "\n"))
        .await
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "the objectives' alignments form a cycle: 1 → 2 → 1"
    );
    assert_eq!(db.count_rows("objectives").await.unwrap(), 0);

    // The good one goes in, once: a second import finds the installation in use.
    import_text(&db, &whole).await.unwrap();
    assert_eq!(db.count_rows("check_ins").await.unwrap(), 1);
    let again = import_text(&db, &whole).await.unwrap_err();
    assert!(matches!(again, ExchangeError::NotEmpty { .. }), "{again}");
    assert_eq!(db.count_rows("check_ins").await.unwrap(), 1);
}
