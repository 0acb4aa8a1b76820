use leptos::prelude::*;

use crate::error::AppError;

use super::model::{InboxPage, Preferences, Rhythm, Unsubscribing};

/// The signed-in person's inbox, newest first, in `lang`; older than `before`.
#[server(prefix = "/api", endpoint = "inbox")]
pub async fn inbox(before: Option<i64>, lang: String) -> Result<InboxPage, AppError> {
    let db = crate::state::db()?;
    super::server::inbox(&db, before, &lang).await
}

/// How the signed-in person hears of each kind of notice.
#[server(prefix = "/api", endpoint = "notice_preferences")]
pub async fn notice_preferences() -> Result<Preferences, AppError> {
    let db = crate::state::db()?;
    super::server::preferences(&db).await
}

/// What an unsubscribe link stops, if it is a good one (no sign-in needed).
#[server(prefix = "/api", endpoint = "unsubscribe_link")]
pub async fn unsubscribe_link(
    person: i64,
    kind: String,
    signature: String,
) -> Result<Unsubscribing, AppError> {
    let db = crate::state::db()?;
    super::server::unsubscribing(&db, person, &kind, &signature).await
}

/// A unit's weekly rhythm: its own or where it comes from, and whether the
/// signed-in person may change it.
#[server(prefix = "/api", endpoint = "unit_rhythm")]
pub async fn unit_rhythm(unit: i64) -> Result<Rhythm, AppError> {
    let db = crate::state::db()?;
    super::server::rhythm(&db, unit).await
}
