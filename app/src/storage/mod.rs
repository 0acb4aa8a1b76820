//! Storage: the one place SQL lives. Each function runs in one transaction or one
//! read; every mutation also writes its audit event and its live event.

// Each aggregate's writes and reads together.
pub mod accounts;
pub mod key_results;
pub mod objectives;
pub mod org;
pub mod outbox;
pub mod periods;
pub mod planning;
// Reads that gather several aggregates for a page.
pub mod reads;
pub mod search;
pub mod sheets;
pub mod tokens;
pub mod webhooks;
// What many writes share, and the rest.
pub mod audit;
pub mod bulk;
mod changes;
pub mod comments;
mod db;
mod error;
pub mod events;
pub mod exchange;
pub mod instance;
pub mod kept;
pub mod notices;
mod nullable;
mod rows;
pub mod schema;
pub mod verify;

pub use changes::through;
pub use db::{Backend, Db, PoolUse, SQLITE_SETTINGS, now_ms, redact};
pub use error::StorageError;
pub use objectives::alignment::POSITION_GAP;
pub use rows::MeasureColumns;

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
    "outbox",
    "outbox_attempts",
    "notices",
    "notice_preferences",
    "unit_cadences",
    "schedule_runs",
    "follows",
    "link_requests",
    "api_tokens",
    "webhooks",
    "webhook_deliveries",
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
