//! Each unit's weekly rhythm: its own, or inherited from the nearest unit above
//! that has one (see `cairn::notify::inherited`).

use std::collections::HashMap;

use cairn::audit::{Action, Entity};
use cairn::ids::{PersonId, UnitId};
use cairn::notify::{Cadence, Grace, Weekly};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::storage::changes::{Change, json, record};
use crate::storage::{Db, StorageError};

/// A unit's own rhythm as stored, with its version.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub cadence: Cadence,
    pub version: i64,
}

fn read(row: &AnyRow) -> Result<(UnitId, Stored), StorageError> {
    let weekly = |day: &str, minute: &str| -> Result<Weekly, StorageError> {
        Weekly::new(row.try_get(day)?, row.try_get(minute)?).map_err(StorageError::corrupt)
    };
    let enabled: i64 = row.try_get("enabled")?;
    let cadence = Cadence {
        enabled: enabled == 1,
        time_zone: row.try_get("time_zone")?,
        reminder: weekly("reminder_day", "reminder_minute")?,
        digest: weekly("digest_day", "digest_minute")?,
        grace: Grace::parse(row.try_get("grace")?).map_err(StorageError::corrupt)?,
    };
    Ok((
        UnitId(row.try_get("unit_id")?),
        Stored {
            cadence,
            version: row.try_get("version")?,
        },
    ))
}

const COLUMNS: &str = "unit_id, enabled, time_zone, reminder_day, reminder_minute, digest_day, \
                       digest_minute, grace, version";

/// Every unit's own rhythm.
pub async fn all(db: &Db) -> Result<HashMap<UnitId, Stored>, StorageError> {
    sqlx::query(&format!("SELECT {COLUMNS} FROM unit_cadences"))
        .fetch_all(db.reader())
        .await?
        .iter()
        .map(read)
        .collect()
}

/// A unit's own rhythm, if it has one.
pub async fn own(db: &Db, unit: UnitId) -> Result<Option<Stored>, StorageError> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM unit_cadences WHERE unit_id = $1"
    ))
    .bind(unit.0)
    .fetch_optional(db.reader())
    .await?
    .as_ref()
    .map(|row| read(row).map(|(_, stored)| stored))
    .transpose()
}

/// Gives `unit` a rhythm of its own, or (None) makes it follow the units above
/// again. `version` is the own rhythm's version the change was made on (None when
/// it had none): of two leads changing it at once, only the first counts. Audited.
pub async fn set(
    db: &Db,
    actor: Option<PersonId>,
    unit: UnitId,
    cadence: Option<&Cadence>,
    version: Option<i64>,
) -> Result<(), StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    crate::storage::org::exists(&mut tx, "org_units", unit.0).await?;
    let current: Option<i64> =
        sqlx::query_scalar("SELECT version FROM unit_cadences WHERE unit_id = $1")
            .bind(unit.0)
            .fetch_optional(&mut *tx)
            .await?;
    let conflict = || StorageError::Conflict {
        entity: "unit_cadences",
        id: unit.0,
        expected: version.unwrap_or(0),
        current: current.unwrap_or(0),
    };
    if current != version {
        return Err(conflict());
    }
    let changed = match (cadence, version) {
        // One statement for a new rhythm and a changed one: a row another
        // writer put in meanwhile is changed only if it is the version read.
        (Some(c), _) => sqlx::query(
            "INSERT INTO unit_cadences (unit_id, enabled, time_zone, reminder_day, reminder_minute, \
             digest_day, digest_minute, grace) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (unit_id) DO UPDATE SET enabled = excluded.enabled, \
             time_zone = excluded.time_zone, reminder_day = excluded.reminder_day, \
             reminder_minute = excluded.reminder_minute, digest_day = excluded.digest_day, \
             digest_minute = excluded.digest_minute, grace = excluded.grace, \
             version = unit_cadences.version + 1 WHERE unit_cadences.version = $9",
        )
        .bind(unit.0)
        .bind(i64::from(c.enabled))
        .bind(&c.time_zone)
        .bind(i64::from(c.reminder.day))
        .bind(i64::from(c.reminder.minute))
        .bind(i64::from(c.digest.day))
        .bind(i64::from(c.digest.minute))
        .bind(i64::from(c.grace.get()))
        .bind(version.unwrap_or(0))
        .execute(&mut *tx)
        .await?
        .rows_affected(),
        (None, Some(version)) => {
            sqlx::query("DELETE FROM unit_cadences WHERE unit_id = $1 AND version = $2")
                .bind(unit.0)
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        }
        (None, None) => return Ok(()),
    };
    if changed != 1 {
        return Err(conflict());
    }
    let change = Change {
        actor,
        action: Action::UnitCadence,
        entity: Entity::Unit,
        entity_id: unit.0,
        before: None,
        after: Some(json(&cadence)?),
        live: None,
    };
    record(&mut tx, at, change).await?;
    tx.commit().await?;
    Ok(())
}

/// A unit as the rhythm sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitNode {
    pub parent: Option<UnitId>,
    pub name: String,
    pub active: bool,
}

/// Every unit, for following rhythms down the tree.
pub async fn unit_tree(db: &Db) -> Result<HashMap<UnitId, UnitNode>, StorageError> {
    sqlx::query("SELECT id, parent_id, name, active FROM org_units")
        .fetch_all(db.reader())
        .await?
        .iter()
        .map(|row| {
            let parent: Option<i64> = row.try_get("parent_id")?;
            let active: i64 = row.try_get("active")?;
            Ok((
                UnitId(row.try_get("id")?),
                UnitNode {
                    parent: parent.map(UnitId),
                    name: row.try_get("name")?,
                    active: active == 1,
                },
            ))
        })
        .collect()
}
