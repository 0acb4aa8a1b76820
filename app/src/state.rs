//! What every request on the server can reach: built once in `main`, handed to
//! server functions as context.

use axum::extract::FromRef;
use leptos::prelude::*;

use crate::error::AppError;
use crate::storage::Db;

/// Shared server state: the Leptos options and the one database pool.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
}

/// The database of the running server, for a server function.
pub fn db() -> Result<Db, AppError> {
    use_context::<AppState>()
        .map(|state| state.db)
        .ok_or(AppError::Unavailable)
}
