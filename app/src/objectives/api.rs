use leptos::prelude::*;

use crate::error::AppError;

use super::model::ObjectivePage;

#[server(prefix = "/api", endpoint = "objective_page")]
pub async fn get_objective_page(objective: i64) -> Result<ObjectivePage, AppError> {
    let db = crate::state::db()?;
    super::server::objective_page(&db, objective).await
}
