//! The wire contract of a person's page: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use serde::{Deserialize, Serialize};

use crate::okr::{ObjectiveView, PeriodContext};
use crate::units::Member;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInLine {
    pub at_ms: i64,
    pub key_result: i64,
    pub key_result_title: String,
    pub objective: i64,
    pub value: Option<crate::okr::ReadingView>,
    pub confidence: i64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonPage {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// Units and the person's role in each (id, unit name, role).
    pub units: Vec<Member>,
    /// None before any period exists.
    pub period: Option<PeriodContext>,
    pub objectives: Vec<ObjectiveView>,
    pub check_ins: Vec<CheckInLine>,
    /// Where this page's live stream starts.
    pub live_mark: i64,
}
