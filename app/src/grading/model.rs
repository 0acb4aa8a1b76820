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
    /// Where it was carried from and to (objective, period name), if it was.
    pub carried_from: Option<(i64, String)>,
    pub carried_to: Option<(i64, String)>,
    /// The unit that owns it (id, name); None for a personal objective.
    pub unit: Option<(i64, String)>,
    /// The outcome of undoing a carry, which returns here.
    pub outcome: Option<crate::forms::Outcome>,
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
    /// First and last day, ISO; None for the backlog.
    pub span: Option<(String, String)>,
    /// The calendar period after this one, by name, when it does not exist yet.
    pub next_period: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodList {
    pub periods: Vec<PeriodLine>,
    pub admin: bool,
    /// The outcome of the page's last form post (new period, next period, reopen).
    pub outcome: Option<crate::forms::Outcome>,
    /// Days ahead the next quarter is made by itself; None when it is not.
    pub plan_ahead_days: Option<u32>,
}

/// An objective a period's close would leave ungraded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ungraded {
    pub objective: i64,
    pub title: String,
    pub owner: String,
    /// Its unit's sheet, to grade it there.
    pub unit: Option<i64>,
}

/// What closing a period asks to confirm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloseCheck {
    pub period: PeriodLine,
    pub ungraded: Vec<Ungraded>,
    /// Objectives in the period (not abandoned).
    pub objectives: i64,
    pub outcome: Option<crate::forms::Outcome>,
}

/// A unit's grading sheet: all its objectives of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitSheet {
    pub unit: (i64, String),
    pub period: (i64, String, cairn::period::PeriodState),
    /// The periods with grades to give or read: grading and closed.
    pub periods: Vec<(i64, String)>,
    pub objectives: Vec<GradingStart>,
    pub may_grade: bool,
}

/// One objective's sheet in a save of a unit's sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveGrades {
    pub objective: i64,
    pub version: i64,
    pub lines: Vec<cairn::grading::GradeLine>,
    pub retrospective: String,
}

/// A retrospective as the summary lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retrospective {
    pub objective: i64,
    pub title: String,
    pub text: String,
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
    /// The mean grade of its graded objectives.
    pub average: Option<f64>,
    pub committed_met: i64,
    pub committed_missed: i64,
    pub aspirational_average: Option<f64>,
    /// Objectives carried into a later period, and unfinished ones that were not.
    pub carried: Vec<(i64, String)>,
    pub dropped: Vec<(i64, String)>,
    pub retrospectives: Vec<Retrospective>,
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
