//! The front page's server functions: compiled on both sides, run on the server.

use leptos::prelude::*;

use crate::error::AppError;

use super::model::{FrontPage, Overview};

/// Reads the installation overview from the database.
#[server(prefix = "/api", endpoint = "overview")]
pub async fn get_overview() -> Result<Overview, AppError> {
    let db = crate::state::db()?;
    super::server::overview(&db).await
}

/// Everything the front page shows, for a period (default: the current one).
#[server(prefix = "/api", endpoint = "front_page")]
pub async fn get_front_page(period: Option<i64>) -> Result<FrontPage, AppError> {
    let db = crate::state::db()?;
    super::server::front_page(&db, period).await
}
