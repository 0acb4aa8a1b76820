use leptos::prelude::*;

use super::model::Tokens;
use crate::error::AppError;

/// The signed-in person's own tokens, or with `service` (admins only) the
/// service tokens.
#[server(prefix = "/api", endpoint = "api_tokens")]
pub async fn api_tokens(service: bool) -> Result<Tokens, AppError> {
    let db = crate::state::db()?;
    super::server::tokens(&db, service).await
}
