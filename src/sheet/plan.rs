//! A sheet's rows, read by the admin's mapping into objectives with their key
//! results, and every problem, row by row. Nothing here looks anything up:
//! owners, units, periods and parents are matched against the installation later.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::amount::{self, Amount, AmountProblem};
use super::columns::{Column, Mapping, normal};
use crate::grading::Commitment;
use crate::numbers::NumberStyle;
use crate::values::{Confidence, LongText, Title, UnitLabel, ValueError, Weight};

/// A sheet as read from the file: its header row and the rows below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// An objective to be made, with the row it starts on (the header is row 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedObjective {
    pub row: usize,
    pub title: Title,
    pub description: Option<LongText>,
    pub owner: Option<String>,
    pub unit: Option<String>,
    pub period: Option<String>,
    pub parent: Option<String>,
    pub commitment: Commitment,
    pub key_results: Vec<PlannedKeyResult>,
}

/// A key result to be made. Without a target it is done-or-not (binary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedKeyResult {
    pub row: usize,
    pub title: Title,
    pub start: Option<f64>,
    pub target: Option<f64>,
    pub current: Option<f64>,
    pub unit: Option<UnitLabel>,
    pub weight: Weight,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    pub confidence: Option<Confidence>,
}

/// What is wrong, where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetProblem {
    /// The sheet's row (the header is row 1); 1 for problems of the mapping.
    pub row: usize,
    pub column: Option<Column>,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
pub enum Problem {
    #[error("no column holds the objectives' titles")]
    NoObjectiveColumn,
    #[error("more than one column is marked as this")]
    DoubleColumn,
    #[error("a key result comes before any objective")]
    KeyResultWithoutObjective,
    #[error("the title {0}")]
    Title(ValueError),
    #[error("the text {0}")]
    Text(ValueError),
    #[error("the number {0}")]
    Amount(AmountProblem),
    #[error("the weight {0}")]
    Weight(ValueError),
    #[error("the confidence {0}")]
    Confidence(ValueError),
    #[error("\"{0}\" is neither committed nor aspirational")]
    Commitment(String),
    #[error("\"{0}\" is not a day (2027-03-31 or 31-03-2027)")]
    Day(String),
    #[error("\"{0}\" is neither an objective nor a key result")]
    RowType(String),
}

/// What a sheet would become, and what stands in the way.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Plan {
    pub objectives: Vec<PlannedObjective>,
    pub problems: Vec<SheetProblem>,
}

impl Plan {
    pub fn key_result_count(&self) -> usize {
        self.objectives.iter().map(|o| o.key_results.len()).sum()
    }
}

/// What a row is, by its type cell or by which title columns it fills.
enum RowKind {
    Objective,
    KeyResult,
    Skip,
}

/// Reads every row of `sheet` by `mapping`, numbers in `style`.
pub fn plan(sheet: &Sheet, mapping: &Mapping, style: NumberStyle) -> Plan {
    let mut plan = Plan::default();
    for column in mapping.doubles() {
        plan.problems.push(SheetProblem {
            row: 1,
            column: Some(column),
            problem: Problem::DoubleColumn,
        });
    }
    let typed = mapping.find(Column::Title).is_some() && mapping.find(Column::RowType).is_some();
    if mapping.find(Column::Objective).is_none() && !typed {
        plan.problems.push(SheetProblem {
            row: 1,
            column: None,
            problem: Problem::NoObjectiveColumn,
        });
        return plan;
    }
    for (i, cells) in sheet.rows.iter().enumerate() {
        let row = Row {
            number: i + 2,
            cells,
            mapping,
            style,
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut problems = Vec::new();
        read_row(&row, typed, &mut plan.objectives, &mut problems);
        plan.problems.extend(problems);
    }
    plan
}

/// One row with what reading it needs.
struct Row<'a> {
    number: usize,
    cells: &'a [String],
    mapping: &'a Mapping,
    style: NumberStyle,
}

impl Row<'_> {
    /// The trimmed text in `column`, if the sheet has it and it is not blank.
    fn text(&self, column: Column) -> Option<&str> {
        let at = self.mapping.find(column)?;
        let text = self.cells.get(at)?.trim();
        (!text.is_empty()).then_some(text)
    }

    fn problem(&self, column: Column, problem: Problem) -> SheetProblem {
        SheetProblem {
            row: self.number,
            column: Some(column),
            problem,
        }
    }

    fn title(&self, column: Column, problems: &mut Vec<SheetProblem>) -> Option<Title> {
        let text = self.text(column)?;
        Title::parse(text)
            .map_err(|e| problems.push(self.problem(column, Problem::Title(e))))
            .ok()
    }

    fn amount(&self, column: Column, problems: &mut Vec<SheetProblem>) -> Option<Amount> {
        let text = self.text(column)?;
        amount::read(text, self.style)
            .map_err(|e| problems.push(self.problem(column, Problem::Amount(e))))
            .ok()
    }

    fn kind(&self, typed: bool, problems: &mut Vec<SheetProblem>) -> RowKind {
        if typed {
            let word = normal(self.text(Column::RowType).unwrap_or_default());
            return match word.as_str() {
                "objective" | "doel" | "doelstelling" => RowKind::Objective,
                "key result" | "kr" | "kernresultaat" | "resultaat" => RowKind::KeyResult,
                // Projects and initiatives are work, not results: left out.
                "project" | "initiative" | "initiatief" | "taak" | "task" => RowKind::Skip,
                _ => {
                    problems.push(self.problem(Column::RowType, Problem::RowType(word)));
                    RowKind::Skip
                }
            };
        }
        if self.text(Column::KeyResult).is_some() {
            RowKind::KeyResult
        } else {
            RowKind::Objective
        }
    }
}

fn read_row(
    row: &Row<'_>,
    typed: bool,
    objectives: &mut Vec<PlannedObjective>,
    problems: &mut Vec<SheetProblem>,
) {
    let kind = row.kind(typed, problems);
    let title_column = if typed {
        Column::Title
    } else {
        Column::Objective
    };
    // One row per key result: the objective's title on each, or only on its first.
    let starts_objective = match kind {
        RowKind::Skip => return,
        RowKind::Objective => true,
        RowKind::KeyResult if typed => false,
        RowKind::KeyResult => row
            .text(Column::Objective)
            .is_some_and(|t| objectives.last().is_none_or(|o| o.title.as_str() != t)),
    };
    if starts_objective {
        let objective = objective(row, title_column, problems);
        if let Some(objective) = objective {
            objectives.push(objective);
        } else if matches!(kind, RowKind::Objective) || row.text(title_column).is_some() {
            return;
        }
    }
    if !matches!(kind, RowKind::KeyResult) {
        return;
    }
    let kr_column = if typed {
        Column::Title
    } else {
        Column::KeyResult
    };
    let Some(key_result) = key_result(row, kr_column, problems) else {
        return;
    };
    // In a typed sheet a key result names its objective in the parent column.
    let under = if typed {
        row.text(Column::Parent)
            .and_then(|p| objectives.iter().rposition(|o| o.title.as_str() == p))
            .or(objectives.len().checked_sub(1))
    } else {
        objectives.len().checked_sub(1)
    };
    match under {
        Some(at) => objectives[at].key_results.push(key_result),
        None => problems.push(row.problem(kr_column, Problem::KeyResultWithoutObjective)),
    }
}

fn objective(
    row: &Row<'_>,
    column: Column,
    problems: &mut Vec<SheetProblem>,
) -> Option<PlannedObjective> {
    let title = row.title(column, problems)?;
    let description = row.text(Column::Description).and_then(|text| {
        LongText::parse(text)
            .map_err(|e| problems.push(row.problem(Column::Description, Problem::Text(e))))
            .ok()
    });
    let commitment = match row.text(Column::Commitment).map(normal).as_deref() {
        None | Some("committed" | "commit" | "toegezegd" | "vast" | "zeker") => {
            Commitment::Committed
        }
        Some("aspirational" | "stretch" | "ambitieus" | "aspirationeel" | "uitdagend") => {
            Commitment::Aspirational
        }
        Some(other) => {
            problems.push(row.problem(Column::Commitment, Problem::Commitment(other.to_string())));
            Commitment::Committed
        }
    };
    let owned = |column| row.text(column).map(str::to_string);
    // In a typed sheet the parent column of an objective row names what it aligns to.
    Some(PlannedObjective {
        row: row.number,
        title,
        description,
        owner: owned(Column::Owner),
        unit: owned(Column::Unit),
        period: owned(Column::Period),
        parent: owned(Column::Parent),
        commitment,
        key_results: Vec::new(),
    })
}

fn key_result(
    row: &Row<'_>,
    column: Column,
    problems: &mut Vec<SheetProblem>,
) -> Option<PlannedKeyResult> {
    let title = row.title(column, problems)?;
    let start = row.amount(Column::Start, problems);
    let target = row.amount(Column::Target, problems);
    let current = row.amount(Column::Current, problems);
    let written = [&target, &start, &current]
        .into_iter()
        .flatten()
        .find_map(|a| a.unit.as_ref().map(|u| u.label()));
    let unit = row
        .text(Column::Measure)
        .map(str::to_string)
        .or(written)
        .and_then(|label| {
            UnitLabel::parse(&label)
                .map_err(|e| problems.push(row.problem(Column::Measure, Problem::Text(e))))
                .ok()
        });
    let weight = match row.amount(Column::Weight, problems) {
        None => Weight::parse(1.0).ok(),
        Some(a) => Weight::parse(a.value)
            .map_err(|e| problems.push(row.problem(Column::Weight, Problem::Weight(e))))
            .ok(),
    };
    let due = row.text(Column::Due).and_then(|text| {
        day(text)
            .ok_or_else(|| problems.push(row.problem(Column::Due, Problem::Day(text.to_string()))))
            .ok()
    });
    let confidence = row.amount(Column::Confidence, problems).and_then(|a| {
        let whole = a.value.round();
        let parsed = if (whole - a.value).abs() > f64::EPSILON {
            Err(ValueError::OutOfRange {
                min: 0.0,
                max: 10.0,
            })
        } else {
            Confidence::parse(whole as i64)
        };
        parsed
            .map_err(|e| problems.push(row.problem(Column::Confidence, Problem::Confidence(e))))
            .ok()
    });
    Some(PlannedKeyResult {
        row: row.number,
        title,
        // A target without a start counts from zero.
        start: start.map(|a| a.value).or(target.as_ref().map(|_| 0.0)),
        target: target.map(|a| a.value),
        current: current.map(|a| a.value),
        unit,
        // Every cell of the row is read (and its problems named) first.
        weight: weight?,
        owner: row.text(Column::Owner).map(str::to_string),
        due,
        confidence,
    })
}

/// A day as sheets write it: `2027-03-31`, or the Dutch `31-03-2027` / `31.3.2027`.
fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d-%m-%Y"))
        .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .ok()
}
