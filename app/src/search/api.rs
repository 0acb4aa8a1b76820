use leptos::prelude::*;

use crate::error::AppError;

use super::model::SearchResult;

/// Everything whose words start with the words typed, best first.
#[server(prefix = "/api", endpoint = "search")]
pub async fn search(query: String) -> Result<Vec<SearchResult>, AppError> {
    let db = crate::state::db()?;
    super::server::search(&db, &query, 12).await
}
