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
}

impl LiveEvent {
    /// This event as a stream read by `reader` carries it: the same (most), with
    /// only the reader's part (inboxes), or nothing.
    pub fn for_reader(&self, reader: Option<i64>) -> Option<std::borrow::Cow<'_, LiveEvent>> {
        if self.kind != crate::live::LiveChange::NOTICES_KIND {
            return Some(std::borrow::Cow::Borrowed(self));
        }
        let change: crate::live::LiveChange = serde_json::from_str(&self.payload).ok()?;
        let own = change.for_reader(reader)?;
        Some(std::borrow::Cow::Owned(LiveEvent {
            payload: serde_json::to_string(&own).ok()?,
            ..self.clone()
        }))
    }
}

/// Events with an id above `after`, oldest first, at most `limit`.
pub async fn after(db: &Db, after: i64, limit: i64) -> Result<Vec<LiveEvent>, StorageError> {
    sqlx::query("SELECT id, at, kind, payload FROM events WHERE id > $1 ORDER BY id LIMIT $2")
        .bind(after)
        .bind(limit)
        .fetch_all(db.reader())
        .await?
        .iter()
        .map(|row| {
            Ok(LiveEvent {
                id: row.try_get("id")?,
                at: row.try_get("at")?,
                kind: row.try_get("kind")?,
                payload: row.try_get("payload")?,
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
