//! The connection pool and its lifecycle: open, migrate, ping, close.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use thiserror::Error;

/// Why storage could not do what was asked.
#[derive(Debug, Error)]
pub enum StorageError {
    #[error("cannot open the database {location}: {source}")]
    Open {
        location: String,
        source: sqlx::Error,
    },
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the requested row does not exist")]
    NotFound,
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
}

/// A handle on the database: cheap to clone, shared by every request.
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Opens (creating if needed) the SQLite file at `path` in WAL mode.
    pub async fn open_sqlite_file(path: &Path) -> Result<Self, StorageError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true);
        Self::open_sqlite(options, path.display().to_string()).await
    }

    /// Opens a SQLite database from a `sqlite:` URL.
    pub async fn open_sqlite_url(url: &str) -> Result<Self, StorageError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|source| StorageError::Open {
                location: url.to_string(),
                source,
            })?
            .create_if_missing(true);
        Self::open_sqlite(options, url.to_string()).await
    }

    async fn open_sqlite(
        options: SqliteConnectOptions,
        location: String,
    ) -> Result<Self, StorageError> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            // With WAL, NORMAL is durable against application crashes and much faster
            // than FULL; only an OS crash can lose the last transactions.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|source| StorageError::Open { location, source })?;
        Ok(Db { pool })
    }

    /// Applies every migration the database has not seen yet; returns how many ran.
    pub async fn migrate(&self) -> Result<usize, StorageError> {
        let migrator = sqlx::migrate!("./migrations/sqlite");
        let before = self.applied_migrations().await?;
        migrator.run(&self.pool).await?;
        Ok(self.applied_migrations().await? - before)
    }

    async fn applied_migrations(&self) -> Result<usize, StorageError> {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')")
                .fetch_one(&self.pool)
                .await?;
        if !exists {
            return Ok(0);
        }
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The engine's name, as shown to people.
    pub fn engine(&self) -> &'static str {
        "SQLite"
    }

    /// Waits for running queries and closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(super) fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}
