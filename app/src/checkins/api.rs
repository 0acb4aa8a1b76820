use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What a key result's check-in form needs to know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInSpec {
    pub key_result: i64,
    /// "metric", "binary" or "milestones".
    pub kind: String,
    /// "users", "%", "h"; for metric key results.
    pub unit: Option<String>,
    /// The latest reading, to start from.
    pub current: Option<f64>,
    pub confidence: Option<u8>,
    /// Milestones: id, name, done.
    pub milestones: Vec<(i64, String, bool)>,
}

/// What a check-in changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckedIn {
    pub key_result_progress: f64,
    pub objective_progress: f64,
}

/// Records a check-in on a key result: `value` for metric ones (a number; a
/// decimal comma is fine), "done"/"not_done" for binary ones, the milestones done
/// for milestone ones; confidence 0-10; an optional note.
#[server(prefix = "/api", endpoint = "check_in")]
pub async fn check_in(
    key_result: i64,
    value: Option<String>,
    #[server(default)] milestones: Vec<i64>,
    confidence: i64,
    #[server(default)] note: String,
) -> Result<CheckedIn, AppError> {
    let db = crate::state::db()?;
    super::server::check_in(&db, key_result, value, milestones, confidence, note)
        .await
        .map_err(AppError::with_status)
}
