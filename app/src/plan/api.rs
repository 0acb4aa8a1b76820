use leptos::prelude::*;

use crate::error::AppError;

use super::model::PlanPage;

#[server(prefix = "/api", endpoint = "plan_page")]
pub async fn get_plan_page(objective: i64) -> Result<PlanPage, AppError> {
    let db = crate::state::db()?;
    super::server::plan_page(&db, objective).await
}
