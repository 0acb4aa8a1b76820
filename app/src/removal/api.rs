use leptos::prelude::*;

use super::model::DeletionReach;
use crate::error::AppError;

/// What deleting the objective would take with it, for those who may edit it.
#[server(prefix = "/api", endpoint = "deletion_offer")]
pub async fn deletion_offer(objective: i64) -> Result<DeletionReach, AppError> {
    let db = crate::state::db()?;
    super::server::offer(&db, objective).await
}
