//! The schema's version: which migrations this release knows, which the database
//! has applied, and bringing it up to date.
//!
//! Each migration runs in a transaction of its own, under the migrator's lock (an
//! advisory lock on PostgreSQL), so nodes starting together take turns: the first
//! migrates, the others then find nothing to do. A node older than the database it
//! finds refuses to start rather than run on a schema it does not know.

use sqlx::migrate::{Migrate, Migrator};
use std::sync::LazyLock;

use sqlx::AnyConnection;

use crate::storage::{Backend, Db, StorageError};

// Without their own locking: `migrate` holds the lock from the first look on.
static SQLITE: LazyLock<Migrator> =
    LazyLock::new(|| unlocked(sqlx::migrate!("./migrations/sqlite")));
static POSTGRES: LazyLock<Migrator> =
    LazyLock::new(|| unlocked(sqlx::migrate!("./migrations/postgres")));

fn unlocked(mut migrator: Migrator) -> Migrator {
    migrator.set_locking(false);
    migrator
}

/// One migration this release carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub version: i64,
    pub description: String,
}

/// How the database's schema compares with this release's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaStatus {
    /// Migrations this release has that the database has not applied, in order.
    pub pending: Vec<Migration>,
    /// Migrations the database has applied that this release does not know (a newer
    /// release ran them).
    pub unknown: Vec<i64>,
    /// The newest migration this release knows.
    pub known: i64,
}

impl SchemaStatus {
    /// The database is exactly at this release's schema.
    pub fn is_current(&self) -> bool {
        self.pending.is_empty() && self.unknown.is_empty()
    }

    fn refuse_newer(&self) -> Result<(), StorageError> {
        match self.unknown.iter().max() {
            Some(&database) => Err(StorageError::SchemaNewer {
                database,
                known: self.known,
            }),
            None => Ok(()),
        }
    }
}

impl Db {
    fn migrator(&self) -> &'static Migrator {
        match self.backend() {
            Backend::Sqlite => &SQLITE,
            Backend::Postgres => &POSTGRES,
        }
    }

    /// Compares the database's applied migrations with this release's.
    /// Read on the read pool: readiness checks ask often, and on SQLite the write
    /// pool's one connection belongs to writes.
    pub async fn schema_status(&self) -> Result<SchemaStatus, StorageError> {
        let mut conn = self.reader().acquire().await?;
        self.status_on(&mut conn).await
    }

    async fn status_on(&self, conn: &mut AnyConnection) -> Result<SchemaStatus, StorageError> {
        let applied = self.applied_migrations(conn).await?;
        let migrator = self.migrator();
        let ours = || {
            migrator
                .iter()
                .filter(|m| m.migration_type.is_up_migration())
        };
        let pending = ours()
            .filter(|m| !applied.contains(&m.version))
            .map(|m| Migration {
                version: m.version,
                description: m.description.to_string(),
            })
            .collect();
        let unknown = applied
            .iter()
            .copied()
            .filter(|version| !ours().any(|m| m.version == *version))
            .collect();
        let known = ours().map(|m| m.version).max().unwrap_or(0);
        Ok(SchemaStatus {
            pending,
            unknown,
            known,
        })
    }

    /// Applies every migration the database has not seen yet; returns how many this
    /// call applied (none when another node got there first). Refuses a database a
    /// newer release has migrated.
    pub async fn migrate(&self) -> Result<usize, StorageError> {
        let mut conn = self.writer().acquire().await?;
        // Held from the first look to the last migration: what is pending is
        // decided by the one node that holds it.
        conn.lock().await?;
        let applied = self.migrate_locked(&mut conn).await;
        let unlocked = conn.unlock().await;
        let applied = applied?;
        unlocked?;
        Ok(applied)
    }

    async fn migrate_locked(&self, conn: &mut AnyConnection) -> Result<usize, StorageError> {
        let before = self.status_on(conn).await?;
        before.refuse_newer()?;
        self.migrator().run_direct(conn).await?;
        Ok(before.pending.len())
    }

    /// The versions of the migrations the database has applied successfully.
    async fn applied_migrations(&self, conn: &mut AnyConnection) -> Result<Vec<i64>, StorageError> {
        let exists_sql = match self.backend() {
            Backend::Sqlite => {
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
            }
            Backend::Postgres => {
                "SELECT count(*) FROM pg_tables WHERE tablename = '_sqlx_migrations'"
            }
        };
        let exists: i64 = sqlx::query_scalar(exists_sql).fetch_one(&mut *conn).await?;
        if exists == 0 {
            return Ok(Vec::new());
        }
        Ok(sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .fetch_all(&mut *conn)
        .await?)
    }
}
