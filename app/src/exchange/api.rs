use leptos::prelude::*;

use super::model::ExportChoices;
use crate::error::AppError;

/// The units and periods an admin can export.
#[server(prefix = "/api", endpoint = "export_offer")]
pub async fn export_offer() -> Result<ExportChoices, AppError> {
    let db = crate::state::db()?;
    super::server::choices(&db).await
}
