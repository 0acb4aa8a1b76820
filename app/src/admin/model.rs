//! The wire contract of administration: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminPerson {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub active: bool,
    pub admin: bool,
    pub has_password: bool,
    /// (unit id, unit name, role)
    pub units: Vec<(i64, String, cairn::model::Role)>,
    /// What the forms on this person were made on.
    pub version: i64,
}

/// A unit in the admin tree, with its depth there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminUnit {
    pub id: i64,
    pub parent: Option<i64>,
    pub name: String,
    pub kind: cairn::model::UnitKind,
    pub active: bool,
    pub depth: usize,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeopleAdmin {
    pub people: Vec<AdminPerson>,
    pub units: Vec<AdminUnit>,
    pub query: String,
    /// What the last form sent from this page did (shown once).
    pub outcome: Option<crate::forms::Outcome>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitsAdmin {
    pub units: Vec<AdminUnit>,
    pub outcome: Option<crate::forms::Outcome>,
}

/// One row's problem in a CSV import.
pub use cairn::import::RowProblem as ImportProblem;
