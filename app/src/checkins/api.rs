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
    let form = super::server::Form {
        value,
        milestones,
        confidence,
        note,
    };
    super::server::check_in(&db, key_result, form, numbers).await
}

/// Corrects the reader's own newest check-in of a key result: its reading,
/// confidence and note as they should have been (read as in `check_in`).
#[server(prefix = "/api", endpoint = "correct_check_in")]
pub async fn correct_check_in(
    check_in: i64,
    value: Option<String>,
    #[server(default)] milestones: Vec<i64>,
    confidence: i64,
    #[server(default)] note: String,
) -> Result<CheckedIn, AppError> {
    let db = crate::state::db()?;
    let numbers = crate::ui::request_numbers();
    let form = super::server::Form {
        value,
        milestones,
        confidence,
        note,
    };
    super::server::amend(&db, check_in, Some(form), numbers).await
}

/// Deletes the reader's own newest check-in of a key result: the one before it
/// counts again.
#[server(prefix = "/api", endpoint = "delete_check_in")]
pub async fn delete_check_in(check_in: i64) -> Result<CheckedIn, AppError> {
    let db = crate::state::db()?;
    let numbers = crate::ui::request_numbers();
    super::server::amend(&db, check_in, None, numbers).await
}
