//! The two rows every mutation writes inside its own transaction: an audit event
//! (who changed what, before and after) and a live event for open browsers.

use cairn::audit::{Action, Entity};
use cairn::ids::PersonId;
use serde::Serialize;
use sqlx::{Any, Transaction};

use crate::live::LiveChange;
use crate::storage::StorageError;

/// A change, described for the audit trail and the live event log.
pub(crate) struct Change {
    pub actor: Option<PersonId>,
    pub action: Action,
    /// The changed row.
    pub entity: Entity,
    pub entity_id: i64,
    /// The row before and after, as JSON for people reading the trail.
    pub before: Option<String>,
    pub after: Option<String>,
    /// What open browsers are told; None for changes nobody watches.
    pub live: Option<LiveChange>,
}

impl Change {
    /// Something done to a row that has no state worth showing (a password set,
    /// a sign-in link made or used): who, what and which row; nobody watches it.
    pub fn noted(actor: Option<PersonId>, action: Action, entity: Entity, entity_id: i64) -> Self {
        Change {
            actor,
            action,
            entity,
            entity_id,
            before: None,
            after: None,
            live: None,
        }
    }

    /// The creation of `created`: nothing before, the new row after.
    pub fn created<T: Serialize>(
        actor: Option<PersonId>,
        action: Action,
        entity: Entity,
        entity_id: i64,
        created: &T,
        live: Option<LiveChange>,
    ) -> Result<Self, StorageError> {
        Ok(Change {
            actor,
            action,
            entity,
            entity_id,
            before: None,
            after: Some(json(created)?),
            live,
        })
    }
}

tokio::task_local! {
    /// The API token (by name) the changes made by this task come through.
    static VIA: String;
}

/// Runs `work` with every change it records marked in the audit trail as made
/// through the API token `name`.
pub async fn through<F: Future>(name: String, work: F) -> F::Output {
    VIA.scope(name, work).await
}

/// JSON text of a value for the audit trail.
pub(crate) fn json<T: Serialize>(value: &T) -> Result<String, StorageError> {
    serde_json::to_string(value).map_err(StorageError::corrupt)
}

/// Writes the audit row and, when the change is watched, the live event; returns
/// the live event's id.
pub(crate) async fn record(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    change: Change,
) -> Result<Option<i64>, StorageError> {
    let audit_event: i64 = sqlx::query_scalar(
        "INSERT INTO audit_events (at, actor_id, action, entity, entity_id, before, after, via) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(at)
    .bind(change.actor.map(|p| p.0))
    .bind(change.action.as_str())
    .bind(change.entity.as_str())
    .bind(change.entity_id)
    .bind(change.before)
    .bind(change.after)
    .bind(VIA.try_with(Clone::clone).ok())
    .fetch_one(&mut **tx)
    .await?;
    crate::storage::webhooks::enqueue(tx, audit_event, change.action, at).await?;

    let Some(live) = change.live else {
        return Ok(None);
    };
    announce(tx, at, change.entity, change.entity_id, &live)
        .await
        .map(Some)
}

/// Writes a live event alone, for what open pages are told but nobody audits
/// (a notice's unread count); returns its id.
pub(crate) async fn announce(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    entity: Entity,
    entity_id: i64,
    live: &LiveChange,
) -> Result<i64, StorageError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO events (at, kind, entity, entity_id, payload) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(at)
    .bind(live.kind())
    .bind(entity.as_str())
    .bind(entity_id)
    .bind(json(live)?)
    .fetch_one(&mut **tx)
    .await?)
}

/// Claims a versioned row for the change this transaction is making, if it is
/// still at `expected`: its version moves on in the same statement that checks it,
/// so of two writers that read the same version exactly one wins, on PostgreSQL
/// too (the row stays locked until the transaction ends, and a writer that waited
/// for it finds the version moved). Returns the row's new version.
pub(crate) async fn claim(
    tx: &mut Transaction<'static, Any>,
    table: &'static str,
    id: i64,
    expected: i64,
) -> Result<i64, StorageError> {
    let sql = format!("UPDATE {table} SET version = version + 1 WHERE id = $1 AND version = $2");
    let updated = sqlx::query(&sql)
        .bind(id)
        .bind(expected)
        .execute(&mut **tx)
        .await?;
    if updated.rows_affected() == 1 {
        Ok(expected + 1)
    } else {
        Err(missing_or_conflict(tx, table, id, expected).await)
    }
}

/// Changes that must not interleave even on different rows (two moves that would
/// each be fine alone but together close a loop) take turns: on PostgreSQL through
/// a lock held until the transaction ends; SQLite has one writer anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Turn {
    /// Re-aligning objectives.
    Cascade,
    /// Re-parenting units.
    Units,
}

pub(crate) async fn take_turn(
    tx: &mut Transaction<'static, Any>,
    turn: Turn,
) -> Result<(), StorageError> {
    if tx.backend_name() != "PostgreSQL" {
        return Ok(());
    }
    let key: i64 = match turn {
        Turn::Cascade => 0x6361_6972_6e01,
        Turn::Units => 0x6361_6972_6e02,
    };
    sqlx::query("SELECT count(*) FROM (SELECT pg_advisory_xact_lock($1)) AS turn")
        .bind(key)
        .fetch_one(&mut **tx)
        .await?;
    Ok(())
}

/// Turns a version-checked update that touched no row into the right error: the row
/// is gone, or someone else changed it first.
pub(crate) async fn missing_or_conflict(
    tx: &mut Transaction<'static, Any>,
    table: &'static str,
    id: i64,
    expected: i64,
) -> StorageError {
    let sql = format!("SELECT version FROM {table} WHERE id = $1");
    match sqlx::query_scalar::<_, i64>(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
    {
        Ok(Some(current)) => StorageError::Conflict {
            entity: table,
            id,
            expected,
            current,
        },
        Ok(None) => StorageError::not_found(table, id),
        Err(error) => error.into(),
    }
}
