use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One hit, ready to link to. `kind` is "objective", "key_result" or "person".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    pub kind: String,
    pub title: String,
    pub href: String,
}

/// Everything whose words start with the words typed, best first.
#[server(prefix = "/api", endpoint = "search")]
pub async fn search(query: String) -> Result<Vec<SearchResult>, AppError> {
    let db = crate::state::db()?;
    super::server::search(&db, &query, 12).await
}
