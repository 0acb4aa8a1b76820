use leptos::prelude::*;

use super::model::SheetPage;
use crate::error::AppError;

/// The importer's page: the sheet being imported, if any, read by the admin's
/// mapping, and what the last step did.
#[server(prefix = "/api", endpoint = "importer_page")]
pub async fn importer_page() -> Result<SheetPage, AppError> {
    let db = crate::state::db()?;
    super::server::page(&db).await
}
