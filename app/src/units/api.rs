use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
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
}

#[server(prefix = "/api", endpoint = "unit_page")]
pub async fn get_unit_page(unit: i64, period: Option<i64>) -> Result<UnitPage, AppError> {
    let db = crate::state::db()?;
    super::server::unit_page(&db, unit, period).await
}
