//! Check-ins, comments, grades, the audit trail and the calling token, as
//! the API's JSON.

use cairn::key_result::Reading;
use cairn::model;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Person;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckIn {
    pub id: i64,
    pub key_result_id: i64,
    /// Milliseconds since the epoch.
    pub at: i64,
    /// The number checked in (metric; seconds for a duration), or 1 or 0 (binary).
    pub value: Option<f64>,
    /// The milestones done (milestone key results).
    pub milestones_done: Vec<i64>,
    pub confidence: u8,
    pub note: Option<String>,
    pub author_id: Option<i64>,
    /// ui, api or import
    pub source: String,
}

impl From<&model::CheckIn> for CheckIn {
    fn from(c: &model::CheckIn) -> CheckIn {
        let (value, milestones_done) = match &c.reading {
            Reading::Metric(v) => (Some(v.get()), Vec::new()),
            Reading::Binary(done) => (Some(if *done { 1.0 } else { 0.0 }), Vec::new()),
            Reading::Milestones(states) => (
                None,
                states.iter().filter(|s| s.done).map(|s| s.id.0).collect(),
            ),
        };
        CheckIn {
            id: c.id.0,
            key_result_id: c.key_result.0,
            at: c.at_ms,
            value,
            milestones_done,
            confidence: c.confidence.get(),
            note: c.note.as_ref().map(|n| n.as_str().to_string()),
            author_id: c.author.map(|p| p.0),
            source: c.source.as_str().to_string(),
        }
    }
}

/// A check-in to record: `value` for a metric key result (seconds for a
/// duration), `done` for a binary one, `milestones_done` (ids) for one measured
/// by milestones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCheckIn {
    pub value: Option<f64>,
    pub done: Option<bool>,
    pub milestones_done: Option<Vec<i64>>,
    /// 0 (no chance) to 10 (certain).
    pub confidence: i64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Comment {
    pub id: i64,
    pub objective_id: i64,
    pub author_id: Option<i64>,
    /// Milliseconds since the epoch.
    pub at: i64,
    /// As written (Markdown).
    pub body: String,
    /// The check-in it answers.
    pub check_in_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    pub body: String,
    pub check_in_id: Option<i64>,
}

/// A grade for one key result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeLine {
    pub key_result_id: i64,
    /// 0 to 1, in tenths.
    pub grade: f64,
    /// Needed when the grade departs from the suggestion.
    pub reason: Option<String>,
}

/// An objective's grading sheet.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Grades {
    pub objective_id: i64,
    /// The objective's grade, rolled up from its key results' by weight.
    pub grade: Option<f64>,
    pub retrospective: Option<String>,
    pub lines: Vec<GradeSuggestion>,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GradeSuggestion {
    pub key_result_id: i64,
    pub title: String,
    /// What the key result's final progress suggests.
    pub suggested: f64,
    pub grade: Option<f64>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradesChange {
    pub lines: Vec<GradeLine>,
    pub retrospective: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    /// Milliseconds since the epoch.
    pub at: i64,
    pub actor_id: Option<i64>,
    /// The API token the change came through, by name.
    pub via: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    /// The row before and after, as JSON text.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The calling token and whom it acts as.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Me {
    pub token: TokenInfo,
    /// None for a service token.
    pub person: Option<Person>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenInfo {
    pub name: String,
    /// read, check-in, write, admin
    pub scopes: Vec<String>,
    /// Milliseconds since the epoch; absent when it does not expire.
    pub expires_at: Option<i64>,
    pub service: bool,
}
