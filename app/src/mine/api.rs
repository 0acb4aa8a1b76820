use leptos::prelude::*;

use crate::error::AppError;

use super::model::MinePage;

#[server(prefix = "/api", endpoint = "my_okrs")]
pub async fn my_okrs(period: Option<i64>) -> Result<MinePage, AppError> {
    let db = crate::state::db()?;
    super::server::my_okrs(&db, period).await
}
