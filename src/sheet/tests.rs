//! The two example sheets in `docs/examples`, read as an admin would import them.

use super::*;
use crate::grading::Commitment;
use crate::numbers::NumberStyle;

/// A CSV file's rows: good enough for the examples (quotes around a field that
/// holds the separator; no line breaks inside fields).
fn rows(text: &str, separator: char) -> Sheet {
    let split = |line: &str| {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                c if c == separator && !quoted => fields.push(std::mem::take(&mut field)),
                c => field.push(c),
            }
        }
        fields.push(field);
        fields
    };
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    Sheet {
        headers: lines.next().map(split).unwrap_or_default(),
        rows: lines.map(split).collect(),
    }
}

#[test]
fn the_dutch_team_sheet_becomes_three_objectives_with_their_key_results() {
    let sheet = rows(include_str!("../../docs/examples/okr-team-nl.csv"), ';');
    let mapping = Mapping(guess_all(&sheet.headers));
    assert!(mapping.0.iter().all(Option::is_some), "{mapping:?}");
    let plan = plan(&sheet, &mapping, NumberStyle::Comma);
    assert_eq!(plan.problems, vec![]);
    let titles: Vec<&str> = plan.objectives.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Klanten zijn fan van onze service",
            "Zorg voor een gezonde werkdruk",
            "Meer omzet uit bestaande klanten"
        ]
    );
    assert_eq!(plan.key_result_count(), 7);
    let service = &plan.objectives[0];
    assert_eq!(service.unit.as_deref(), Some("Klantenservice"));
    assert_eq!(service.period.as_deref(), Some("2027 Q1"));
    assert_eq!(service.key_results[0].weight.get(), 2.0);
    assert_eq!(
        service.key_results[0].due.map(|d| d.to_string()),
        Some("2027-03-31".into())
    );
    // Durations in seconds, percentages with their unit, decimal commas.
    let wait = &service.key_results[1];
    assert_eq!(
        (wait.start, wait.target, wait.current),
        (Some(270.0), Some(120.0), Some(225.0))
    );
    assert_eq!(wait.unit.as_ref().map(|u| u.as_str()), Some("s"));
    assert_eq!(
        service.key_results[2].unit.as_ref().map(|u| u.as_str()),
        Some("%")
    );
    let workload = &plan.objectives[1];
    assert_eq!(workload.commitment, Commitment::Aspirational);
    assert_eq!(workload.key_results[0].start, Some(6.5));
    let revenue = &plan.objectives[2];
    assert_eq!(revenue.key_results[0].target, Some(2_000_000.0));
    assert_eq!(
        revenue.key_results[0].unit.as_ref().map(|u| u.as_str()),
        Some("EUR")
    );
    // No numbers: done or not.
    assert_eq!(revenue.key_results[1].target, None);
}

#[test]
fn the_viva_goals_layout_lists_objectives_and_key_results_in_one_column() {
    let sheet = rows(
        include_str!("../../docs/examples/viva-goals-explorer-export.csv"),
        ',',
    );
    let mapping = Mapping(guess_all(&sheet.headers));
    assert_eq!(mapping.find(Column::Title), Some(0));
    assert_eq!(mapping.find(Column::RowType), Some(1));
    assert_eq!(mapping.find(Column::Period), Some(5));
    let plan = plan(&sheet, &mapping, NumberStyle::Point);
    assert_eq!(plan.problems, vec![]);
    assert_eq!(plan.objectives.len(), 2);
    assert_eq!(
        plan.objectives[1].parent.as_deref(),
        Some("Grow recurring revenue")
    );
    let arr = &plan.objectives[0].key_results[0];
    assert_eq!(
        (arr.start, arr.target),
        (Some(12_000_000.0), Some(15_000_000.0))
    );
    assert_eq!(arr.unit.as_ref().map(|u| u.as_str()), Some("USD"));
    // The project is work, not a result: left out.
    assert_eq!(plan.objectives[0].key_results.len(), 2);
    assert_eq!(plan.objectives[1].key_results[1].target, Some(2_700.0));
}

#[test]
fn every_problem_is_named_by_row_and_column() {
    let sheet = Sheet {
        headers: [
            "Doel",
            "Kernresultaat",
            "Streefwaarde",
            "Weging",
            "Soort doel",
            "Einddatum",
        ]
        .map(String::from)
        .to_vec(),
        rows: vec![
            ["", "Zonder doel", "10", "", "", ""]
                .map(String::from)
                .to_vec(),
            ["Groei", "Omzet", "1.500", "0", "misschien", "31-02-2027"]
                .map(String::from)
                .to_vec(),
            ["Groei", "Marge", "veel", "", "", ""]
                .map(String::from)
                .to_vec(),
        ],
    };
    let mapping = Mapping(guess_all(&sheet.headers));
    let plan = plan(&sheet, &mapping, NumberStyle::Comma);
    let found: Vec<(usize, Option<Column>)> =
        plan.problems.iter().map(|p| (p.row, p.column)).collect();
    assert_eq!(
        found,
        vec![
            (2, Some(Column::KeyResult)),
            (3, Some(Column::Commitment)),
            (3, Some(Column::Target)),
            (3, Some(Column::Weight)),
            (3, Some(Column::Due)),
            (4, Some(Column::Target)),
        ]
    );
    assert!(matches!(
        plan.problems[0].problem,
        Problem::KeyResultWithoutObjective
    ));
    assert!(
        plan.problems[2].problem.to_string().contains("could mean"),
        "{}",
        plan.problems[2].problem
    );

    let none = plan_without_titles();
    assert_eq!(none.problems[0].problem, Problem::NoObjectiveColumn);
}

fn plan_without_titles() -> Plan {
    let sheet = Sheet {
        headers: vec!["Eigenaar".into()],
        rows: vec![vec!["anna@voorbeeld.nl".into()]],
    };
    plan(
        &sheet,
        &Mapping(guess_all(&sheet.headers)),
        NumberStyle::Comma,
    )
}

mod arbitrary {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_sheet_is_planned_without_panic(
            headers in proptest::collection::vec("(Doel|Kernresultaat|Title|Type|Parent|Streefwaarde|Startwaarde|Weging|Einddatum|Vertrouwen|\\PC{0,8})", 0..8),
            rows in proptest::collection::vec(proptest::collection::vec("(\\PC{0,12}|Objective|Key Result|12,5|1:05:00|45%|31-03-2027)", 0..9), 0..12),
            dutch in any::<bool>(),
        ) {
            let sheet = Sheet { headers, rows };
            let mapping = Mapping(guess_all(&sheet.headers));
            let style = if dutch { NumberStyle::Comma } else { NumberStyle::Point };
            let plan = plan(&sheet, &mapping, style);
            for problem in &plan.problems {
                prop_assert!(problem.row >= 1 && problem.row <= sheet.rows.len() + 1);
            }
        }
    }
}
