//! The wire contract of the front page: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use cairn::status::Verdict;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::okr::{ObjectiveView, OwnerView, PeriodContext, Summary};

/// What the front page tells about this installation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// The name the portal greets people with.
    pub organisation: String,
    /// Facts for the people who run it: admins only.
    pub installation: Option<Installation>,
}

/// The database behind the portal, as its admins see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Installation {
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
    /// Whose the objective is.
    pub owner: OwnerView,
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
    /// How many objectives the period has in every unit and for every person.
    pub objective_count: usize,
    /// The worst key results by status, and how many are at risk or off track,
    /// counted in every unit and for every person like `objective_count`.
    pub at_risk: Vec<Attention>,
    pub at_risk_count: usize,
    /// Key results of a running period nobody checked in on for two weeks or more.
    pub stale: Vec<Attention>,
    pub stale_count: usize,
    /// The list shown whole, when asked for.
    pub whole: Option<WholeList>,
    /// Where this page's live stream starts.
    pub live_mark: i64,
}

/// An attention list asked for in full (`?whole=at_risk`), rather than its first few.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WholeList {
    AtRisk,
    Stale,
}

impl WholeList {
    pub fn as_str(self) -> &'static str {
        match self {
            WholeList::AtRisk => "at_risk",
            WholeList::Stale => "stale",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [WholeList::AtRisk, WholeList::Stale]
            .into_iter()
            .find(|w| w.as_str() == raw)
    }
}
