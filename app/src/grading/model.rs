//! The wire contract of grading and closing periods: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use serde::{Deserialize, Serialize};

/// A key result's line on the grading sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineView {
    pub key_result: i64,
    pub title: String,
    pub weight: f64,
    pub progress: f64,
    /// The grade final progress suggests, to the tenth.
    pub suggested: f64,
    pub grade: Option<f64>,
    pub reason: Option<String>,
}

/// What the grading page starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradingStart {
    pub objective: i64,
    pub version: i64,
    pub title: String,
    pub committed: bool,
    /// The grade this kind of objective is expected to reach (1.0 or 0.7).
    pub expected: f64,
    pub period_name: String,
    /// Grading or closed.
    pub period_state: cairn::period::PeriodState,
    pub lines: Vec<LineView>,
    pub retrospective: String,
    /// May save grades now: an editor in grading, an admin correcting a closed period.
    pub may_grade: bool,
    /// Open periods it can be carried forward into (id, name); empty when it may not.
    pub carry_targets: Vec<(i64, String)>,
}

/// A period in the lifecycle list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodLine {
    pub id: i64,
    pub name: String,
    pub kind: cairn::period::PeriodKind,
    pub state: cairn::period::PeriodState,
    pub version: i64,
    /// The state it can move to next, if any.
    pub next: Option<cairn::period::PeriodState>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodList {
    pub periods: Vec<PeriodLine>,
    pub admin: bool,
}

/// One unit's line in a period's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitGrades {
    /// (id, name); None for personal objectives.
    pub unit: Option<(i64, String)>,
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    pub ungraded: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodSummary {
    pub period: (i64, String, cairn::period::PeriodState),
    pub units: Vec<UnitGrades>,
    /// Committed objectives graded 1.0, of those graded (met, graded).
    pub committed: (i64, i64),
    /// The mean grade of graded aspirational objectives, and how many there are.
    pub aspirational: (Option<f64>, i64),
}
