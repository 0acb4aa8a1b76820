//! The wire contract of the front page: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use cairn::status::Verdict;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::okr::{ObjectiveView, PeriodContext, Summary};

/// What the front page tells about this installation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// The name the portal greets people with.
    pub organisation: String,
    /// When this installation's database was created.
    pub since: DateTime<Utc>,
    /// The newest database migration applied.
    pub schema_version: i64,
    /// Which database engine holds the data, for the status panel.
    pub database: String,
}

/// A key result that needs attention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attention {
    pub key_result: i64,
    pub title: String,
    pub objective: i64,
    pub objective_title: String,
    pub progress: f64,
    pub verdict: Verdict,
    pub last_check_in_ms: Option<i64>,
}

/// The organisation's goals for a period, and what needs attention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrontPage {
    pub overview: Overview,
    pub organisation: Option<(i64, String)>,
    /// None before any period exists.
    pub period: Option<PeriodContext>,
    pub objectives: Vec<ObjectiveView>,
    pub summary: Summary,
    /// The worst key results by status, and how many are at risk or off track.
    pub at_risk: Vec<Attention>,
    pub at_risk_count: usize,
    /// Key results of a running period nobody checked in on for two weeks or more.
    pub stale: Vec<Attention>,
    pub stale_count: usize,
}
