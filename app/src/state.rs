//! What every request on the server can reach: built once in `main`, handed to
//! server functions as context.

use axum::extract::FromRef;
use leptos::prelude::*;

use crate::error::AppError;
use crate::live::server::Hub;
use crate::storage::Db;

/// Shared server state: the Leptos options, the one database pool and the live
/// event hub.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub live: Hub,
    /// How people sign in: the providers, and whether passwords are on.
    pub sign_in: crate::auth::oidc::SignInSettings,
    /// Where mail goes (`smtp.example.com:587`); None when mail is off.
    pub mail_route: Option<String>,
    /// What writes mail, and whether any is sent.
    pub postman: crate::notices::Postman,
    /// How webhooks are sent, and where they may point.
    pub webhooks: crate::webhooks::deliver::Settings,
    /// Days before a quarter ends that the next one is made by itself; None: not.
    pub plan_ahead_days: Option<u32>,
}

/// The database of the running server, for a server function.
pub fn db() -> Result<Db, AppError> {
    use_context::<AppState>()
        .map(|state| state.db)
        .ok_or(AppError::Unavailable)
}

/// The server's clock (the system's, outside a request).
pub fn clock() -> crate::clock::Clock {
    use_context::<AppState>()
        .map(|state| state.db.clock().clone())
        .unwrap_or_default()
}

/// How people sign in here (the defaults outside a request).
pub fn sign_in() -> crate::auth::oidc::SignInSettings {
    use_context::<AppState>()
        .map(|state| state.sign_in)
        .unwrap_or_default()
}

/// What writes mail (nothing is sent outside a request).
pub fn postman() -> crate::notices::Postman {
    use_context::<AppState>()
        .map(|state| state.postman)
        .unwrap_or_else(|| crate::notices::Postman::new("", "", false))
}

/// Where mail goes, or None when mail is off.
pub fn mail_route() -> Option<String> {
    use_context::<AppState>().and_then(|state| state.mail_route)
}

/// Days before a quarter ends that the next one is made by itself, if it is.
pub fn plan_ahead_days() -> Option<u32> {
    use_context::<AppState>().and_then(|state| state.plan_ahead_days)
}

/// The live event hub, for a page that tells its islands where the stream starts.
pub fn live() -> Result<Hub, AppError> {
    use_context::<AppState>()
        .map(|state| state.live)
        .ok_or(AppError::Unavailable)
}
