//! Storage: the one place SQL lives. Each function runs in one transaction or one
//! read; every mutation also writes its audit event and its live event.

pub mod accounts;
pub mod admin;
pub mod alignment;
pub mod attempts;
pub mod audit;
pub mod browse;
pub mod bulk;
mod changes;
pub mod check_ins;
pub mod choices;
pub mod comments;
mod db;
pub mod editing;
mod error;
pub mod events;
pub mod grading;
pub mod import;
pub mod instance;
pub mod kept;
pub mod key_results;
mod nullable;
pub mod objectives;
pub mod org;
pub mod periods;
pub mod queries;
mod rows;
pub mod search;
pub mod sessions;

pub use alignment::POSITION_GAP;
pub use db::{Backend, Db, SQLITE_SETTINGS, now_ms, redact};
pub use error::StorageError;

use crate::error::AppError;

/// Cairn's tables: the only names generated SQL may use.
const TABLES: &[&str] = &[
    "org_units",
    "people",
    "memberships",
    "periods",
    "objectives",
    "key_results",
    "milestones",
    "check_ins",
    "alignments",
    "initiatives",
    "comments",
    "audit_events",
    "events",
    "accounts",
    "sessions",
    "sign_in_links",
    "sign_in_failures",
];

impl From<StorageError> for AppError {
    /// Keeps database details on the server: they go to the log; the client
    /// learns what kind of failure it was.
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::NotFound { .. } => AppError::NotFound,
            StorageError::Conflict { .. } => AppError::Conflict,
            StorageError::Rule(rule) => AppError::Rule(rule),
            StorageError::Alignment(refused) => AppError::Alignment(refused),
            StorageError::ClosedPeriod => AppError::ClosedPeriod,
            other => {
                tracing::error!(error = %other, "storage failed");
                AppError::Unavailable
            }
        }
    }
}
