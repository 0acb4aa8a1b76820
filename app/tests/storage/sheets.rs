//! A spreadsheet's OKRs stored: names matched to the installation, what does not
//! match listed for the admin, and everything stored at once or not at all.

use app::storage::Db;
use app::storage::sheets::{Choices, SheetRefusal, matches, store};
use cairn::numbers::NumberStyle;
use cairn::sheet::{Mapping, Plan, Sheet, guess_all, plan};

use crate::support::*;

crate::on_both!(
    a_sheet_is_stored_whole_with_its_current_values_and_alignments,
    unmatched_names_are_listed_and_can_be_chosen,
    one_bad_row_stores_nothing,
);

const HEADERS: [&str; 9] = [
    "Doelstelling",
    "Kernresultaat",
    "Eigenaar",
    "Team",
    "Periode",
    "Startwaarde",
    "Streefwaarde",
    "Huidige waarde",
    "Bovenliggend doel",
];

fn sheet_of(rows: &[[&str; 9]]) -> Plan {
    let sheet = Sheet {
        headers: HEADERS.map(String::from).to_vec(),
        rows: rows.iter().map(|r| r.map(String::from).to_vec()).collect(),
    };
    let mapping = Mapping(guess_all(&sheet.headers));
    let planned = plan(&sheet, &mapping, NumberStyle::Comma);
    assert_eq!(planned.problems, vec![]);
    planned
}

/// Every record of `kind` the installation holds, as the exchange document has it.
async fn records(db: &Db, kind: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    app::storage::exchange::export(db, &mut out, &app::storage::exchange::Quiet)
        .await
        .unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["type"] == kind)
        .collect()
}

async fn a_sheet_is_stored_whole_with_its_current_values_and_alignments(db: Db) {
    let w = world(&db).await;
    let planned = sheet_of(&[
        [
            "Data is open",
            "Datasets gepubliceerd",
            "anna@example.nl",
            "Team Data",
            "2026 Q2",
            "0",
            "40",
            "10",
            "Gemeentebrede groei",
        ],
        [
            "",
            "Downloads per maand",
            "Bram Jansen",
            "Team Data",
            "2026 Q2",
            "1.200,5",
            "2.000,5",
            "",
            "",
        ],
        [
            "Gemeentebrede groei",
            "Inwoners tevreden",
            "",
            "Gemeente Oosterhout",
            "2026",
            "6,5",
            "8",
            "7",
            "",
        ],
    ]);
    let found = matches(&db, &planned).await.unwrap();
    assert!(found.unmatched().is_empty(), "{:?}", found.unmatched());
    let stored = store(&db, Some(w.anna), &planned, &Choices::default())
        .await
        .unwrap();
    assert_eq!(
        (
            stored.objectives.len(),
            stored.key_results,
            stored.check_ins
        ),
        (2, 3, 2)
    );
    let objectives = records(&db, "objective").await;
    assert_eq!(objectives.len(), 2);
    let check_ins = records(&db, "check_in").await;
    assert_eq!(check_ins.len(), 2);
    assert!(
        check_ins
            .iter()
            .all(|c| c["source"] == "import" && c["confidence"] == 7)
    );
    // The current value moved the key result and the objective: 10 of 0..40 is
    // 25 %; with the other key result at 0 %, the objective is at 12.5 %.
    let first = stored.objectives[0].0;
    assert_eq!(objectives[0]["id"], first);
    assert_eq!(objectives[0]["progress"], 0.125);
    assert_eq!(objectives[1]["period_id"], w.year.0);
    assert_eq!(objectives[1]["owner_unit_id"], w.org.0);
    // A key result's owner by name, its numbers in Dutch.
    let key_results = records(&db, "key_result").await;
    assert_eq!(key_results[1]["owner_person_id"], w.bram.0);
    assert_eq!(key_results[1]["start_value"], 1200.5);
    // The first objective under the later row's.
    let alignments = records(&db, "alignment").await;
    assert_eq!(alignments.len(), 1);
    assert_eq!(alignments[0]["child_id"], first);
    assert_eq!(alignments[0]["parent_objective_id"], stored.objectives[1].0);
}

async fn unmatched_names_are_listed_and_can_be_chosen(db: Db) {
    let w = world(&db).await;
    let planned = sheet_of(&[[
        "Minder papier",
        "Formulieren online",
        "carla@elders.nl",
        "Team Papier",
        "Q9",
        "0",
        "10",
        "",
        "Bestaat niet",
    ]]);
    let refused = store(&db, None, &planned, &Choices::default())
        .await
        .unwrap_err();
    let SheetRefusal::Unmatched(unmatched) = refused else {
        panic!("{refused}")
    };
    assert_eq!(unmatched.owners, ["carla@elders.nl"]);
    assert_eq!(unmatched.units, ["Team Papier"]);
    assert_eq!(unmatched.periods, ["Q9"]);
    assert_eq!(unmatched.parents, ["Bestaat niet"]);
    assert_eq!(count(&db, "objectives").await, 0);

    // The admin chooses; the parent column is left out.
    let planned = sheet_of(&[[
        "Minder papier",
        "Formulieren online",
        "carla@elders.nl",
        "Team Papier",
        "Q9",
        "0",
        "10",
        "",
        "",
    ]]);
    let mut choices = Choices::default();
    choices.owners.insert("carla@elders.nl".into(), w.bram);
    choices.units.insert("Team Papier".into(), w.team);
    choices.periods.insert("Q9".into(), w.quarter);
    let stored = store(&db, None, &planned, &choices).await.unwrap();
    assert_eq!(stored.objectives.len(), 1);
    let objectives = records(&db, "objective").await;
    assert_eq!(objectives[0]["owner_unit_id"], w.team.0);
    assert_eq!(objectives[0]["period_id"], w.quarter.0);
    assert_eq!(
        records(&db, "key_result").await[0]["owner_person_id"],
        w.bram.0
    );
}

async fn one_bad_row_stores_nothing(db: Db) {
    let _w = world(&db).await;
    let planned = sheet_of(&[
        [
            "Goed doel",
            "Goed resultaat",
            "anna@example.nl",
            "Team Data",
            "2026 Q2",
            "0",
            "10",
            "5",
            "",
        ],
        [
            "Te groot",
            "Onmogelijk veel",
            "anna@example.nl",
            "Team Data",
            "2026 Q2",
            "0",
            "5.000.000.000.000.000",
            "",
            "",
        ],
    ]);
    let refused = store(&db, None, &planned, &Choices::default())
        .await
        .unwrap_err();
    assert!(
        matches!(refused, SheetRefusal::Value { row: 3, .. }),
        "{refused}"
    );
    assert_eq!(count(&db, "objectives").await, 0);
    assert_eq!(count(&db, "check_ins").await, 0);
}
