//! Why a row of an import (units and people from CSV) is refused: every row is
//! checked and every problem reported, and nothing is stored while any remains.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::values::ValueError;

/// Which of the import's files a row is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportFile {
    Units,
    People,
}

impl ImportFile {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportFile::Units => "units",
            ImportFile::People => "people",
        }
    }
}

/// A row's problem: the file, the line (the header is line 1) and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowProblem {
    pub file: ImportFile,
    pub row: usize,
    pub refusal: RowRefusal,
}

#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
pub enum RowRefusal {
    #[error("the name {0}")]
    Name(ValueError),
    #[error("the email address {0}")]
    Email(ValueError),
    #[error("the kind is not organisation, department or team")]
    UnknownKind,
    #[error("the role is not member or lead")]
    UnknownRole,
    #[error("a unit with this name exists already")]
    UnitExists,
    #[error("the parent unit is not known")]
    UnknownParent,
    #[error("a department or team needs a parent unit")]
    ParentNeeded,
    #[error("someone has this email address already")]
    EmailTaken,
    #[error("the unit is not known")]
    UnknownUnit,
    #[error("this is not CSV")]
    NotCsv,
    #[error("the header lacks the column {column}")]
    MissingColumn { column: String },
    #[error("more rows than one import takes")]
    TooManyRows,
    #[error("there is nothing to import")]
    Nothing,
}

impl RowRefusal {
    /// A stable, language-neutral name (shown beside the message, for searching).
    pub fn code(&self) -> &'static str {
        match self {
            RowRefusal::Name(_) => "name",
            RowRefusal::Email(_) => "email",
            RowRefusal::UnknownKind => "unknown_kind",
            RowRefusal::UnknownRole => "unknown_role",
            RowRefusal::UnitExists => "unit_exists",
            RowRefusal::UnknownParent => "unknown_parent",
            RowRefusal::ParentNeeded => "parent_needed",
            RowRefusal::EmailTaken => "email_taken",
            RowRefusal::UnknownUnit => "unknown_unit",
            RowRefusal::NotCsv => "not_csv",
            RowRefusal::MissingColumn { .. } => "missing_column",
            RowRefusal::TooManyRows => "too_many",
            RowRefusal::Nothing => "empty",
        }
    }
}
