//! The audit trail: who changed what and when, newest first, filterable by person
//! and by object.

use cairn::audit::{Action, Entity};
use cairn::ids::PersonId;
use sqlx::Row;

use crate::storage::{Db, StorageError};

#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub id: i64,
    pub at_ms: i64,
    pub actor: Option<(i64, String)>,
    pub action: Action,
    pub entity: Entity,
    pub entity_id: i64,
    pub before: Option<String>,
    pub after: Option<String>,
    /// The API token (by name) the change came through.
    pub via: Option<String>,
}

/// Which rows to list: by whom, about what, and the page (rows older than `before`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    pub actor: Option<PersonId>,
    /// Only rows about this kind of thing, and optionally this one.
    pub entity: Option<Entity>,
    pub entity_id: Option<i64>,
    /// Only this action (Action::ObjectiveGradeCorrection, ...).
    pub action: Option<Action>,
    pub before: Option<i64>,
    pub limit: i64,
}

pub async fn list(db: &Db, filter: &AuditFilter) -> Result<Vec<AuditRow>, StorageError> {
    // Fixed text with optional filters: each condition is off when its parameter is NULL.
    let rows = sqlx::query(
        "SELECT a.id, a.at, a.actor_id, p.name AS actor_name, a.action, a.entity, a.entity_id, a.before, a.after, a.via \
         FROM audit_events a LEFT JOIN people p ON p.id = a.actor_id \
         WHERE ($1 IS NULL OR a.actor_id = $1) AND ($2 IS NULL OR a.entity = $2) \
           AND ($3 IS NULL OR a.entity_id = $3) AND ($4 IS NULL OR a.action = $4) \
           AND ($5 IS NULL OR a.id < $5) \
         ORDER BY a.id DESC LIMIT $6",
    )
    .bind(filter.actor.map(|p| p.0))
    .bind(filter.entity.map(Entity::as_str))
    .bind(filter.entity_id)
    .bind(filter.action.map(Action::as_str))
    .bind(filter.before)
    .bind(filter.limit.clamp(1, 500))
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| {
            let actor: Option<i64> = row.try_get("actor_id")?;
            let name: Option<String> = row.try_get("actor_name")?;
            Ok(AuditRow {
                id: row.try_get("id")?,
                at_ms: row.try_get("at")?,
                actor: actor.zip(name),
                action: {
                    let action: String = row.try_get("action")?;
                    Action::parse(&action)
                        .ok_or_else(|| StorageError::corrupt(format!("audit action {action}")))?
                },
                entity: {
                    let entity: String = row.try_get("entity")?;
                    Entity::parse(&entity)
                        .ok_or_else(|| StorageError::corrupt(format!("audit entity {entity}")))?
                },
                entity_id: row.try_get("entity_id")?,
                before: row.try_get("before")?,
                after: row.try_get("after")?,
                via: row.try_get("via")?,
            })
        })
        .collect()
}
