use leptos::prelude::*;

use crate::error::AppError;

use super::model::UnitPage;

#[server(prefix = "/api", endpoint = "unit_page")]
pub async fn get_unit_page(unit: i64, period: Option<i64>) -> Result<UnitPage, AppError> {
    let db = crate::state::db()?;
    super::server::unit_page(&db, unit, period).await
}
