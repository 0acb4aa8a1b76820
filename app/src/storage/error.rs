//! What can go wrong in storage, typed so callers can tell a stale version from a
//! missing row from a database that is down.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StorageError {
    #[error("cannot open the database {location}: {source}")]
    Open {
        location: String,
        source: sqlx::Error,
    },
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A newer release has migrated the database: this one must not run on it.
    #[error(
        "the database's schema is at migration {database}, newer than this release of Cairn knows (up to {known}): upgrade this node to the release that migrated it"
    )]
    SchemaNewer { database: i64, known: i64 },
    #[error("{entity} {id} does not exist")]
    NotFound { entity: &'static str, id: i64 },
    /// Someone changed the row since it was read: nothing was written.
    #[error(
        "{entity} {id} was changed by someone else (now at version {current}, you had {expected})"
    )]
    Conflict {
        entity: &'static str,
        id: i64,
        expected: i64,
        current: i64,
    },
    /// The change breaks a rule of the domain; nothing was written.
    #[error("{0}")]
    Rule(#[from] cairn::rules::Rule),
    /// The move would break the cascade (a loop, a later period above an earlier one).
    #[error("{0}")]
    Alignment(#[from] cairn::alignment::AlignmentError),
    /// The period is closed: its objectives and key results no longer change.
    #[error("the period is closed")]
    ClosedPeriod,
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
    /// The transaction holding the change did not commit, or the database went
    /// away before saying whether it had: the change may not be stored. Shared by
    /// every change of a batch.
    #[error("the database did not confirm the change: {0}")]
    Unconfirmed(std::sync::Arc<sqlx::Error>),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
}

impl StorageError {
    pub fn not_found(entity: &'static str, id: i64) -> Self {
        StorageError::NotFound { entity, id }
    }

    pub fn corrupt(what: impl std::fmt::Display) -> Self {
        StorageError::Corrupt(what.to_string())
    }
}
