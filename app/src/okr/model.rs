//! What pages show of objectives and key results: plain data, built on the server
//! from storage and the domain's rules, rendered without further lookups.

use cairn::status::Verdict;
use serde::{Deserialize, Serialize};

/// Who owns an objective, ready to link to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OwnerView {
    Unit { id: i64, name: String },
    Person { id: i64, name: String },
}

impl OwnerView {
    pub fn href(&self) -> String {
        match self {
            OwnerView::Unit { id, .. } => format!("/units/{id}"),
            OwnerView::Person { id, .. } => format!("/people/{id}"),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            OwnerView::Unit { name, .. } | OwnerView::Person { name, .. } => name,
        }
    }
}

/// One input of a roll-up, as an explanation lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputView {
    pub label: String,
    /// This input's share of the total weight, 0..1.
    pub share: f64,
    pub weight: f64,
    pub progress: f64,
}

/// A reading in numbers; the page puts it into the reader's words and marks
/// ("15.000.000 USD (van 12.000.000 tot 24.000.000)").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReadingView {
    /// A metric's value; `start` is None for a threshold to stay beyond.
    Metric {
        value: f64,
        start: Option<f64>,
        target: f64,
        unit: Option<String>,
        /// Numbers, or durations (`2:37`).
        #[serde(default)]
        notation: cairn::duration::Notation,
    },
    /// A value alone ("14 h"), where its range is beside the point.
    Value {
        value: f64,
        unit: Option<String>,
        #[serde(default)]
        notation: cairn::duration::Notation,
    },
    Done(bool),
    /// Milestones: the share done, 0 to 100.
    Percent(u8),
}

/// How a figure came about: entered by a check-in, or rolled up from inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Explanation {
    Entered {
        /// The latest reading; None before any check-in.
        reading: Option<ReadingView>,
        last_check_in_ms: Option<i64>,
        confidence: Option<u8>,
        /// Where the period should be by now, 0..1.
        expected: f64,
    },
    RolledUp {
        inputs: Vec<InputView>,
        expected: f64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyResultView {
    pub id: i64,
    pub objective: i64,
    pub title: String,
    pub progress: f64,
    pub verdict: Verdict,
    pub explanation: Explanation,
    pub owner: Option<(i64, String)>,
    /// When it is due, if it has a day.
    #[serde(default)]
    pub due: Option<chrono::NaiveDate>,
    /// Its grade, once graded at the period's end.
    pub grade: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveView {
    pub id: i64,
    pub title: String,
    pub owner: OwnerView,
    pub committed: bool,
    pub state: cairn::model::ObjectiveState,
    pub progress: f64,
    pub verdict: Verdict,
    pub explanation: Explanation,
    pub key_results: Vec<KeyResultView>,
    /// The grade its key results roll up to, once graded.
    pub grade: Option<f64>,
}

/// A period as a switcher offers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodOption {
    pub id: i64,
    pub name: String,
    pub kind: cairn::period::PeriodKind,
    pub state: cairn::period::PeriodState,
}

/// The period a page shows, and the others it could show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodContext {
    pub current: PeriodOption,
    pub options: Vec<PeriodOption>,
    /// Share of the period passed today, 0..1.
    pub elapsed: f64,
}

/// Progress of a set of objectives (a unit's, the organisation's), with its status
/// and explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub progress: f64,
    pub verdict: Verdict,
    pub explanation: Explanation,
}
