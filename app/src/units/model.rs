//! The wire contract of a unit's page: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use serde::{Deserialize, Serialize};

use crate::okr::{ObjectiveView, PeriodContext, Summary};

/// A unit as a link: id, name and kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitLink {
    pub id: i64,
    pub name: String,
    pub kind: cairn::model::UnitKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub role: cairn::model::Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitPage {
    pub unit: UnitLink,
    /// From the organisation down to the unit's parent.
    pub breadcrumbs: Vec<UnitLink>,
    pub sub_units: Vec<UnitLink>,
    pub members: Vec<Member>,
    /// None before any period exists.
    pub period: Option<PeriodContext>,
    pub objectives: Vec<ObjectiveView>,
    pub summary: Summary,
    /// The rhythm form's last outcome, taken by the page for its section.
    pub rhythm_outcome: Option<crate::forms::Outcome>,
    /// Where this page's live stream starts.
    pub live_mark: i64,
}
