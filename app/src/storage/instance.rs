//! The installation's own row.

use chrono::{DateTime, Utc};

use super::{Db, StorageError};

/// This installation, as stored.
#[derive(Debug, Clone)]
pub struct Instance {
    pub name: String,
    pub created_at: DateTime<Utc>,
}

pub async fn get(db: &Db) -> Result<Instance, StorageError> {
    let row: Option<(String, DateTime<Utc>)> =
        sqlx::query_as("SELECT name, created_at FROM instance WHERE id = 1")
            .fetch_optional(db.pool())
            .await?;
    let (name, created_at) = row.ok_or(StorageError::NotFound)?;
    Ok(Instance { name, created_at })
}

/// The newest migration applied to this database.
pub async fn schema_version(db: &Db) -> Result<i64, StorageError> {
    let version: Option<i64> =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(db.pool())
            .await?;
    Ok(version.unwrap_or(0))
}
