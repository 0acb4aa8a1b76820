//! The wire contract of the objective editor: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use cairn::draft::ObjectiveDraft;
use serde::{Deserialize, Serialize};

/// Who a new objective may belong to and when: for the editor's first step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetupChoices {
    /// ("person:7" or "unit:3", name); the signed-in person first.
    pub owners: Vec<(String, String)>,
    /// (id, name, state) of the periods still open, the backlog last.
    pub periods: Vec<(i64, String, cairn::period::PeriodState)>,
    pub owner: String,
    pub period: i64,
}

/// What the editor starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorStart {
    /// The stored objective being edited (id, version); None for a new one.
    pub objective: Option<(i64, i64)>,
    pub owner: String,
    pub owner_name: String,
    pub period: i64,
    pub period_name: String,
    /// ("objective:12" or "key_result:40", label) to align a new objective to.
    pub parents: Vec<(String, String)>,
    pub draft: ObjectiveDraft,
    /// Who may answer for a key result: id and name.
    #[serde(default)]
    pub people: Vec<(i64, String)>,
    /// A copy carried forward and untouched since: the objective it came from and
    /// that one's period. Cancel then offers to undo the carry.
    pub undo_carry: Option<(i64, String)>,
    /// The outcome of undoing the carry, when it was refused.
    pub undo_outcome: Option<crate::forms::Outcome>,
}
