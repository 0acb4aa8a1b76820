//! The connection pools and their lifecycle: open, migrate, ping, close.
//!
//! Queries are written once, with `$1`-style parameters, and run on SQLite or
//! PostgreSQL through sqlx's Any driver. Only search and migrations differ.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, install_default_drivers};
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Connection, Executor};

use tokio::sync::Notify;

use crate::clock::Clock;
use crate::storage::StorageError;
use crate::storage::kept::Kept;
use crate::storage::key_results::CheckInQueue;

/// Every SQLite connection's settings. WAL: readers never wait for the writer.
/// NORMAL: durable against application crashes, far faster than FULL.
pub const SQLITE_SETTINGS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

/// How long a request waits for a PostgreSQL connection before it is answered
/// with "unavailable".
pub const POSTGRES_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

/// Which database engine holds the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// A handle on the database: cheap to clone, shared by every request.
///
/// SQLite allows one writer at a time; Cairn gives writes their own pool of one
/// connection so transactions queue in the pool instead of failing with "database is
/// locked", while reads run in parallel on the other pool (WAL mode). PostgreSQL
/// uses one pool for both.
#[derive(Clone, Debug)]
pub struct Db {
    read: AnyPool,
    write: AnyPool,
    backend: Backend,
    kept: Kept,
    /// Woken after each commit that wrote live events (see `committed`).
    commits: Arc<Notify>,
    /// Where to LISTEN for other nodes' events (PostgreSQL only).
    url: Option<Secret>,
    /// What "now" is for everything stored (see `clock`).
    clock: Clock,
    /// Check-ins waiting for their batch (see `key_results::batches`).
    check_ins: Arc<CheckInQueue>,
}

/// One connection pool's use at a moment (see `Db::pool_use`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUse {
    pub pool: &'static str,
    pub open: u32,
    pub idle: usize,
}

/// A connection URL, kept out of debug output: it may hold a password.
#[derive(Clone)]
struct Secret(Arc<str>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

impl Db {
    /// Opens (creating if needed) the SQLite file at `path`.
    pub async fn open_sqlite_file(path: &Path) -> Result<Self, StorageError> {
        let encoded: String = path
            .to_string_lossy()
            .chars()
            .map(|c| match c {
                '%' => "%25".to_string(),
                '?' => "%3F".to_string(),
                '#' => "%23".to_string(),
                ' ' => "%20".to_string(),
                c => c.to_string(),
            })
            .collect();
        Self::open(&format!("sqlite://{encoded}?mode=rwc")).await
    }

    /// Opens a `sqlite:` or `postgres:` URL.
    pub async fn open(url: &str) -> Result<Self, StorageError> {
        install_default_drivers();
        let location = redact(url);
        let fail = |source| StorageError::Open {
            location: location.clone(),
            source,
        };
        let options: AnyConnectOptions = url
            .parse::<AnyConnectOptions>()
            .map_err(fail)?
            // Statements are logged at debug level; only truly slow ones warn.
            .log_statements(log::LevelFilter::Debug)
            .log_slow_statements(log::LevelFilter::Warn, Duration::from_secs(5));
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        match backend {
            Backend::Sqlite => {
                // One connection first: a file that is not a database, or cannot be
                // created, is reported as such (a pool would only time out).
                let mut probe = AnyConnection::connect_with(&options).await.map_err(fail)?;
                probe.execute(SQLITE_SETTINGS).await.map_err(fail)?;
                probe.close().await.map_err(fail)?;
                let pool = |max| {
                    AnyPoolOptions::new()
                        .max_connections(max)
                        .acquire_timeout(Duration::from_secs(30))
                        // No ping before each use: a local file does not go away, and
                        // the ping would double the cost of every query.
                        .test_before_acquire(false)
                        .after_connect(|conn, _meta| {
                            Box::pin(async move {
                                conn.execute(SQLITE_SETTINGS).await?;
                                Ok(())
                            })
                        })
                };
                // The writer first: it creates the file and switches it to WAL.
                let write = pool(1).connect_with(options.clone()).await.map_err(fail)?;
                let read = pool(8).connect_with(options).await.map_err(fail)?;
                Ok(Db {
                    read,
                    write,
                    backend,
                    kept: Kept::new(),
                    commits: Arc::default(),
                    url: None,
                    clock: Clock::system(),
                    check_ins: Arc::default(),
                })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    // While the database is away, answer "unavailable" within a
                    // second rather than hold every request until it is back.
                    .acquire_timeout(POSTGRES_ACQUIRE_TIMEOUT)
                    // A round trip saved on every query; a connection the server
                    // dropped fails its next query and is replaced, and idle ones
                    // are recycled after ten minutes anyway.
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await
                    .map_err(fail)?;
                Ok(Db {
                    read: pool.clone(),
                    write: pool,
                    backend,
                    kept: Kept::new(),
                    commits: Arc::default(),
                    url: Some(Secret(url.into())),
                    clock: Clock::system(),
                    check_ins: Arc::default(),
                })
            }
        }
    }

    /// The same database, reading "now" from `clock`.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The clock every stored time comes from.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Now, in milliseconds since the Unix epoch, by this database's clock.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The check-ins waiting to be written.
    pub(crate) fn check_ins(&self) -> &Arc<CheckInQueue> {
        &self.check_ins
    }

    /// Tells this process's live-event reader that a change with live events was
    /// committed. Other nodes learn of it through PostgreSQL's NOTIFY.
    pub(crate) fn committed(&self) {
        self.commits.notify_one();
    }

    /// Waits until `committed` is called (at once if it was called since the last
    /// wait). Meant for one waiter: the live-event reader.
    pub async fn next_commit(&self) {
        self.commits.notified().await;
    }

    /// The PostgreSQL URL to LISTEN on; None on SQLite.
    pub fn listen_url(&self) -> Option<&str> {
        self.url.as_ref().map(|secret| &*secret.0)
    }

    /// Reads kept between changes (see `kept`).
    pub(crate) fn kept_reads(&self) -> &Kept {
        &self.kept
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    /// How many connections each pool holds and how many of them are idle now.
    pub fn pool_use(&self) -> Vec<PoolUse> {
        let pool = |name, pool: &AnyPool| PoolUse {
            pool: name,
            open: pool.size(),
            idle: pool.num_idle(),
        };
        match self.backend {
            // One pool does both.
            Backend::Postgres => vec![pool("shared", &self.read)],
            Backend::Sqlite => vec![pool("read", &self.read), pool("write", &self.write)],
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The engine's name, as shown to people.
    pub fn engine(&self) -> &'static str {
        self.backend.name()
    }

    /// Waits for running queries and closes every connection.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    /// Rows in one of Cairn's tables (for status pages and tests).
    pub async fn count_rows(&self, table: &str) -> Result<i64, StorageError> {
        let table = crate::storage::TABLES
            .iter()
            .find(|t| **t == table)
            .ok_or_else(|| StorageError::corrupt(format!("no table {table}")))?;
        Ok(sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&self.read)
            .await?)
    }

    pub(crate) fn reader(&self) -> &AnyPool {
        &self.read
    }

    pub(crate) fn writer(&self) -> &AnyPool {
        &self.write
    }
}

/// A URL fit for logs and error messages: the password replaced.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Milliseconds since the Unix epoch by the system clock: for sessions, whose
/// cookies browsers judge by their own clocks. Everything else reads `Db::now_ms`.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use crate::storage::redact;

    #[test]
    fn passwords_never_reach_the_log() {
        assert_eq!(
            redact("postgres://cairn:s3cret@db:5432/cairn"),
            "postgres://cairn:***@db:5432/cairn"
        );
        assert_eq!(
            redact("postgres://cairn@db/cairn"),
            "postgres://cairn@db/cairn"
        );
        assert_eq!(redact("sqlite://data/cairn.db"), "sqlite://data/cairn.db");
    }
}
