//! The wire contract of "My OKRs": what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use serde::{Deserialize, Serialize};

use crate::checkins::CheckInSpec;
use crate::okr::{KeyResultView, ObjectiveView, PeriodContext};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyKeyResult {
    pub view: KeyResultView,
    /// The period is running and the last check-in is a week old, or there is none.
    pub due: bool,
    /// The check-in form, when I may check in and the period is open.
    pub check_in: Option<CheckInSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyObjective {
    pub view: ObjectiveView,
    /// Whether I may edit it (the edit link shows only then).
    pub editable: bool,
    pub key_results: Vec<MyKeyResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinePage {
    pub period: Option<PeriodContext>,
    pub objectives: Vec<MyObjective>,
    /// How many key results need a check-in.
    pub due: usize,
    /// Where this page's live stream starts.
    pub live_mark: i64,
}
