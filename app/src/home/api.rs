//! The front page's server function: compiled on both sides, run on the server.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the front page tells about this installation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// The name the portal greets people with.
    pub organisation: String,
    /// When this installation's database was created.
    pub since: DateTime<Utc>,
    /// The newest database migration applied.
    pub schema_version: i64,
    /// Which database engine holds the data, for the status panel.
    pub database: String,
}

/// Reads the installation overview from the database.
#[server(prefix = "/api", endpoint = "overview")]
pub async fn get_overview() -> Result<Overview, AppError> {
    let db = crate::state::db()?;
    super::server::overview(&db).await
}
