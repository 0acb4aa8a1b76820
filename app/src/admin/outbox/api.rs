use leptos::prelude::*;

use crate::error::AppError;

use super::model::OutboxPage;

#[server(prefix = "/api", endpoint = "admin_outbox")]
pub async fn admin_outbox() -> Result<OutboxPage, AppError> {
    crate::auth::server::admin()?;
    let db = crate::state::db()?;
    super::server::page(&db, crate::state::mail_route()).await
}
