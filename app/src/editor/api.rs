use cairn::draft::ObjectiveDraft;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Who a new objective may belong to and when: for the editor's first step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetupChoices {
    /// ("person:7" or "unit:3", name); the signed-in person first.
    pub owners: Vec<(String, String)>,
    /// (id, name, state) of the periods still open, the backlog last.
    pub periods: Vec<(i64, String, cairn::period::PeriodState)>,
    pub owner: String,
    pub period: i64,
}

/// What the editor starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorStart {
    /// The stored objective being edited (id, version); None for a new one.
    pub objective: Option<(i64, i64)>,
    pub owner: String,
    pub owner_name: String,
    pub period: i64,
    pub period_name: String,
    /// ("objective:12" or "key_result:40", label) to align a new objective to.
    pub parents: Vec<(String, String)>,
    pub draft: ObjectiveDraft,
}

#[server(prefix = "/api", endpoint = "editor_setup")]
pub async fn editor_setup(
    owner: Option<String>,
    period: Option<i64>,
) -> Result<SetupChoices, AppError> {
    let db = crate::state::db()?;
    super::server::setup(&db, owner, period).await
}

#[server(prefix = "/api", endpoint = "editor_data")]
pub async fn editor_data(
    objective: Option<i64>,
    owner: Option<String>,
    period: Option<i64>,
) -> Result<EditorStart, AppError> {
    let db = crate::state::db()?;
    super::server::data(&db, objective, owner, period).await
}

/// Saves the editor's draft: a new objective (`owner`, `period`, maybe `parent`)
/// or the stored one at `objective` = (id, version). Returns the objective's id.
#[server(prefix = "/api", endpoint = "save_objective", input = server_fn::codec::Json)]
pub async fn save_objective(
    objective: Option<(i64, i64)>,
    owner: Option<String>,
    period: Option<i64>,
    parent: Option<String>,
    draft: ObjectiveDraft,
) -> Result<i64, AppError> {
    let db = crate::state::db()?;
    super::server::save(&db, objective, owner, period, parent, draft).await
}
