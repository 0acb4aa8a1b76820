//! The live event log: what open browsers are told, in id order.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::storage::{Db, StorageError};

/// The PostgreSQL channel every insert into `events` notifies (see the migration).
pub const CHANNEL: &str = "cairn_events";

/// One change as open browsers receive it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub id: i64,
    /// When the change was made, in ms since the epoch.
    pub at: i64,
    /// Action::CheckIn, Action::Move, ...
    pub kind: String,
    /// The change itself, JSON text.
    pub payload: String,
    /// The one person this event is for (their unread count); None: for everyone.
    pub private_to: Option<i64>,
}

impl LiveEvent {
    /// Whether the stream of `viewer` (None: nobody signed in) may carry it.
    pub fn is_for(&self, viewer: Option<i64>) -> bool {
        self.private_to.is_none() || self.private_to == viewer
    }
}

/// Events with an id above `after`, oldest first, at most `limit`.
pub async fn after(db: &Db, after: i64, limit: i64) -> Result<Vec<LiveEvent>, StorageError> {
    sqlx::query(
        "SELECT id, at, kind, entity_id, payload FROM events WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(db.reader())
    .await?
    .iter()
    .map(|row| {
        let kind: String = row.try_get("kind")?;
        let private_to = if kind == crate::live::LiveChange::PRIVATE_KIND {
            Some(row.try_get("entity_id")?)
        } else {
            None
        };
        Ok(LiveEvent {
            id: row.try_get("id")?,
            at: row.try_get("at")?,
            kind,
            payload: row.try_get("payload")?,
            private_to,
        })
    })
    .collect()
}

/// The newest event's id, 0 before the first.
pub async fn latest(db: &Db) -> Result<i64, StorageError> {
    Ok(
        sqlx::query_scalar::<_, Option<i64>>("SELECT max(id) FROM events")
            .fetch_one(db.reader())
            .await?
            .unwrap_or(0),
    )
}
