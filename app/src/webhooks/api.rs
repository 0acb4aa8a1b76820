use leptos::prelude::*;

use super::model::{WebhookPage, WebhooksPage};
use crate::error::AppError;

/// The webhooks the signed-in person may manage, and where they may add one.
#[server(prefix = "/api", endpoint = "webhooks")]
pub async fn webhooks() -> Result<WebhooksPage, AppError> {
    let db = crate::state::db()?;
    super::server::list(&db).await
}

/// One webhook with its latest deliveries, for someone who may manage it.
#[server(prefix = "/api", endpoint = "webhook")]
pub async fn webhook(id: i64) -> Result<WebhookPage, AppError> {
    let db = crate::state::db()?;
    super::server::page(&db, id).await
}
