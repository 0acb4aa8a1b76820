//! The spreadsheet importer's wire contract: the page as the server sends it
//! (the sheet read, its columns, the preview, the names to match) and what the
//! last step did.

use cairn::sheet::{Column, Plan};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::AppError;

/// The largest file read.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// Why a file could not be read as a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum FileProblem {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {max_mb} MB")]
    TooLarge { max_mb: usize },
    #[error(
        "line {line} is not UTF-8 text (the file looks saved as Windows-1252): save it as \"CSV UTF-8\""
    )]
    NotUtf8 { line: usize },
    #[error("line {line} cannot be read as CSV: {reason}")]
    Csv { line: usize, reason: String },
    #[error("the workbook cannot be read: {0}")]
    Workbook(String),
    #[error("the workbook has no sheet")]
    NoSheet,
    #[error("cell {cell} holds a formula: copy the sheet and paste its values instead")]
    Formula { cell: String },
    #[error("cells {range} are merged: unmerge them and fill in each cell")]
    Merged { range: String },
    #[error("the first row holds no headers")]
    NoHeader,
    #[error("the sheet has more than {max} rows")]
    TooManyRows { max: usize },
}

/// `/admin/sheets`: the upload form, or the sheet being imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetPage {
    pub draft: Option<DraftView>,
    pub outcome: Option<SheetOutcome>,
    /// What a name can be matched to.
    pub people: Vec<Pickable>,
    pub units: Vec<Pickable>,
    pub periods: Vec<Pickable>,
}

/// A person, unit or period to choose, with its depth in the unit tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pickable {
    pub id: i64,
    pub label: String,
    pub depth: usize,
}

impl Pickable {
    /// The label as an option shows it: indented by its depth.
    pub fn indented(&self) -> String {
        format!("{}{}", "\u{a0}\u{a0}".repeat(self.depth), self.label)
    }
}

/// The sheet being imported, as the admin's mapping reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftView {
    pub file: String,
    /// How the sheet's numbers are written: "nl" or "en".
    pub language: String,
    pub rows: usize,
    pub columns: Vec<ColumnView>,
    pub plan: Plan,
    pub owners: Vec<NameMatch>,
    pub units: Vec<NameMatch>,
    pub periods: Vec<NameMatch>,
    /// Parents named that are neither in the sheet nor in Cairn.
    pub parents: Vec<String>,
    /// For objectives whose row names no period or unit.
    pub period: Option<i64>,
    pub unit: Option<i64>,
}

impl DraftView {
    /// Whether everything is in place to store the sheet.
    pub fn ready(&self) -> bool {
        self.plan.problems.is_empty()
            && !self.plan.objectives.is_empty()
            && [&self.owners, &self.units, &self.periods]
                .iter()
                .all(|names| names.iter().all(NameMatch::settled))
            && self.parents.is_empty()
            && (!self.needs_period() || self.period.is_some())
            && (!self.needs_unit() || self.unit.is_some())
    }

    /// Whether some objective's row names no period.
    pub fn needs_period(&self) -> bool {
        self.plan.objectives.iter().any(|o| o.period.is_none())
    }

    /// Whether some objective's row names neither owner nor unit.
    pub fn needs_unit(&self) -> bool {
        self.plan
            .objectives
            .iter()
            .any(|o| o.unit.is_none() && o.owner.is_none())
    }
}

/// A column of the sheet: its header, a few of its values, what it is read as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnView {
    pub header: String,
    pub samples: Vec<String>,
    pub column: Option<Column>,
}

/// A name the sheet uses: what it matched by itself, and the admin's choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameMatch {
    pub text: String,
    pub found: Option<i64>,
    pub pick: Option<Pick>,
}

impl NameMatch {
    pub fn settled(&self) -> bool {
        self.found.is_some() || self.pick.is_some()
    }
}

/// What the admin chose for a name that matched nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Pick {
    /// One the installation holds.
    Existing(i64),
    /// A person to make.
    NewPerson { name: String, email: String },
    /// A unit to make, under this one.
    NewUnit { parent: i64 },
}

/// What the last step did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SheetOutcome {
    /// The file was not read; nothing changed.
    File(FileProblem),
    /// Everything was stored: the first objective to look at.
    Imported {
        objectives: usize,
        key_results: usize,
        check_ins: usize,
        first: Option<i64>,
    },
    /// Nothing was stored, for this reason (on this row).
    Refused { row: Option<usize>, error: AppError },
    /// A name the admin typed for a new person is not acceptable.
    NewPerson { text: String, error: AppError },
}
