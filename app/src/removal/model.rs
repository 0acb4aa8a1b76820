//! The wire contract of deleting an objective.

use serde::{Deserialize, Serialize};

/// The form's id on the page: a refusal is shown there.
pub const FORM: &str = "delete-objective";

/// What deleting an objective takes with it and whom it leaves behind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeletionReach {
    pub objective: i64,
    pub title: String,
    /// The version the page was read at: a change since is a conflict.
    pub version: i64,
    /// What it is aligned to: the objective's id and title.
    pub parent: Option<(i64, String)>,
    /// The objectives aligned to it or to its key results: id and title.
    pub children: Vec<(i64, String)>,
    pub key_results: i64,
    pub check_ins: i64,
    pub comments: i64,
    pub outcome: Option<crate::forms::Outcome>,
}

/// Where the objectives aligned to a deleted one go, as the form says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildrenGo {
    /// To what the deleted objective was aligned to.
    ToParent,
    /// To nothing: each heads its own tree.
    Unaligned,
}
