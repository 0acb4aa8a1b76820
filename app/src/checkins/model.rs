//! The wire contract of check-ins: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use serde::{Deserialize, Serialize};

/// What a key result's check-in form needs to know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInSpec {
    pub key_result: i64,
    pub kind: cairn::key_result::MeasureKind,
    /// "users", "%", "h"; for metric key results.
    pub unit: Option<String>,
    /// The latest reading, to start from.
    pub current: Option<f64>,
    pub confidence: Option<u8>,
    /// Milestones: id, name, done.
    pub milestones: Vec<(i64, String, bool)>,
    /// The key result's newest check-in, offered for correction to its author
    /// only (the server drops it for everyone else).
    #[serde(default)]
    pub last: Option<LastCheckIn>,
}

/// A key result's newest check-in, as its author may still correct or delete it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastCheckIn {
    pub id: i64,
    pub author: Option<i64>,
    /// Metric and binary key results: the value (1 for done).
    pub value: Option<f64>,
    /// Milestone key results: the milestones done.
    pub milestones: Vec<i64>,
    pub confidence: u8,
    pub note: String,
}

impl CheckInSpec {
    /// Keeps the newest check-in only if `reader` made it.
    pub fn for_reader(mut self, reader: i64) -> CheckInSpec {
        self.last = self.last.filter(|l| l.author == Some(reader));
        self
    }
}

/// What a check-in changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckedIn {
    pub objective: i64,
    pub key_result_progress: f64,
    pub objective_progress: f64,
}

/// What the check-in form of a key result starts from.
#[cfg(feature = "ssr")]
pub fn spec_of(
    kr: &cairn::model::KeyResult,
    milestones: &[cairn::model::Milestone],
    newest: Option<&cairn::model::CheckIn>,
) -> CheckInSpec {
    use cairn::key_result::Reading;
    let (kind, unit) = match &kr.measure {
        cairn::key_result::Measure::Metric { unit, .. } => (
            kr.measure.kind(),
            unit.as_ref().map(|u| u.as_str().to_string()),
        ),
        cairn::key_result::Measure::Binary
        | cairn::key_result::Measure::Milestones
        | cairn::key_result::Measure::Duration { .. } => (kr.measure.kind(), None),
    };
    let current = match &kr.reading {
        Some(Reading::Metric(v)) => Some(v.get()),
        Some(Reading::Binary(done)) => Some(if *done { 1.0 } else { 0.0 }),
        _ => None,
    };
    CheckInSpec {
        key_result: kr.id.0,
        kind,
        unit,
        current,
        confidence: kr.confidence.map(|c| c.get()),
        milestones: milestones
            .iter()
            .map(|m| (m.id.0, m.title.as_str().to_string(), m.done_at_ms.is_some()))
            .collect(),
        last: newest.map(|c| LastCheckIn {
            id: c.id.0,
            author: c.author.map(|p| p.0),
            value: match &c.reading {
                Reading::Metric(v) => Some(v.get()),
                Reading::Binary(done) => Some(if *done { 1.0 } else { 0.0 }),
                Reading::Milestones(_) => None,
            },
            milestones: match &c.reading {
                Reading::Milestones(done) => {
                    done.iter().filter(|m| m.done).map(|m| m.id.0).collect()
                }
                _ => Vec::new(),
            },
            confidence: c.confidence.get(),
            note: c
                .note
                .as_ref()
                .map(|n| n.as_str().to_string())
                .unwrap_or_default(),
        }),
    }
}
