//! The front page's server functions: compiled on both sides, run on the server.

use leptos::prelude::*;

use crate::error::AppError;

use super::model::{FrontPage, Overview, WholeList};

/// Reads the installation overview from the database.
#[server(prefix = "/api", endpoint = "overview")]
pub async fn get_overview() -> Result<Overview, AppError> {
    let admin = crate::auth::server::signed_in()?.actor.admin;
    let db = crate::state::db()?;
    let overview = super::server::overview(&db).await?;
    Ok(super::server::overview_for(overview, admin))
}

/// Everything the front page shows, for a period (default: the current one), with
/// one attention list in full when asked.
#[server(prefix = "/api", endpoint = "front_page")]
pub async fn get_front_page(
    period: Option<i64>,
    whole: Option<WholeList>,
) -> Result<FrontPage, AppError> {
    let admin = crate::auth::server::signed_in()?.actor.admin;
    let db = crate::state::db()?;
    super::server::front_page(&db, period, whole, admin).await
}
