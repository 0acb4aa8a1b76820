//! Reads kept in memory between changes.
//!
//! Most visits read pages nobody changed since the last visit: on a large
//! organisation the front page alone reads every key result of the period. A kept
//! read is stored under its key and the data version: the newest audit row's id,
//! which every mutation writes inside its own transaction, so the first read after a
//! change reads afresh. PostgreSQL can commit ids out of order, so entries also expire
//! after a few seconds, which bounds how long such a change could go unseen.
//! Concurrent readers of a missing entry wait for one read instead of each making it.

use std::any::Any;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;

use crate::storage::{Db, StorageError};

/// How many reads are kept at once (pages of a few to a few dozen kilobytes).
const ENTRIES: u64 = 1_000;
/// How long an entry may serve before it is read again, whatever changed.
const LONGEST_KEPT: Duration = Duration::from_secs(5);

type Value = Arc<dyn Any + Send + Sync>;

/// Kept reads by (key, data version).
#[derive(Clone)]
pub struct Kept(Cache<(String, i64), Value>);

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Kept({} entries)", self.0.entry_count())
    }
}

impl Kept {
    pub fn new() -> Self {
        Kept(
            Cache::builder()
                .max_capacity(ENTRIES)
                .time_to_live(LONGEST_KEPT)
                .build(),
        )
    }
}

impl Default for Kept {
    fn default() -> Self {
        Self::new()
    }
}

impl Db {
    /// The data version: it grows with every committed change.
    pub async fn data_version(&self) -> Result<i64, StorageError> {
        Ok(
            sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM audit_events")
                .fetch_one(self.reader())
                .await?,
        )
    }

    /// The value `load` reads, kept under `key` until the data changes. Keys name
    /// what they hold ("front:10:2026-11-22"); one key always holds one type.
    pub async fn kept<T, E>(
        &self,
        key: String,
        load: impl Future<Output = Result<T, E>>,
    ) -> Result<Arc<T>, E>
    where
        T: Any + Send + Sync,
        E: From<StorageError> + Clone + Send + Sync + 'static,
    {
        let version = self.data_version().await?;
        let value = self
            .kept_reads()
            .0
            .try_get_with((key, version), async {
                load.await.map(|v| Arc::new(v) as Value)
            })
            .await
            .map_err(|e: Arc<E>| (*e).clone())?;
        value
            .downcast::<T>()
            .map_err(|_| StorageError::corrupt("a kept read of another type").into())
    }
}
