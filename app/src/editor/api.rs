use cairn::draft::ObjectiveDraft;
use leptos::prelude::*;

use crate::error::AppError;

use super::model::{EditorStart, SetupChoices};

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
