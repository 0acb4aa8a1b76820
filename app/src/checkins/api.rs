use leptos::prelude::*;

use crate::error::AppError;

use super::model::CheckedIn;

/// Records a check-in on a key result: `value` for metric ones (a number as the
/// reader writes it: `12.000,5` in Dutch, `12,000.5` in English; what could be
/// either is refused), "done"/"not_done" for binary ones, the milestones done for
/// milestone ones; confidence 0-10; an optional note.
#[server(prefix = "/api", endpoint = "check_in")]
pub async fn check_in(
    key_result: i64,
    value: Option<String>,
    #[server(default)] milestones: Vec<i64>,
    confidence: i64,
    #[server(default)] note: String,
) -> Result<CheckedIn, AppError> {
    let db = crate::state::db()?;
    let numbers = crate::ui::request_numbers();
    super::server::check_in(
        &db, key_result, value, milestones, confidence, note, numbers,
    )
    .await
}
