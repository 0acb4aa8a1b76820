//! The installation's own row.

use cairn::audit::{Action, Entity};
use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::storage::{Db, StorageError};

/// This installation, as stored.
#[derive(Debug, Clone)]
pub struct Instance {
    pub name: String,
    pub created_at: DateTime<Utc>,
}

pub async fn get(db: &Db) -> Result<Instance, StorageError> {
    let row = sqlx::query("SELECT name, created_at FROM instance WHERE id = 1")
        .fetch_optional(db.reader())
        .await?
        .ok_or(StorageError::not_found("instance", 1))?;
    let created_ms: i64 = row.try_get("created_at")?;
    Ok(Instance {
        name: row.try_get("name")?,
        created_at: DateTime::from_timestamp_millis(created_ms)
            .ok_or_else(|| StorageError::corrupt("instance time"))?,
    })
}

/// The newest migration applied to this database.
pub async fn schema_version(db: &Db) -> Result<i64, StorageError> {
    let version: Option<i64> =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(db.reader())
            .await?;
    Ok(version.unwrap_or(0))
}

/// After an import: names the installation after the organisation, and records the
/// import (with `detail`, JSON counts) in the audit trail.
pub async fn rename_after_import(db: &Db, name: &str, detail: &str) -> Result<(), StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let before: String = sqlx::query_scalar("SELECT name FROM instance WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("UPDATE instance SET name = $1 WHERE id = 1")
        .bind(name)
        .execute(&mut *tx)
        .await?;
    crate::storage::changes::record(
        &mut tx,
        at,
        crate::storage::changes::Change {
            actor: None,
            action: Action::DemoImport,
            entity: Entity::Instance,
            entity_id: 1,
            before: Some(crate::storage::changes::json(&before)?),
            after: Some(detail.to_string()),
            live: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
