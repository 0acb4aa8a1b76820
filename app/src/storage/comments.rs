//! Comments on objectives, and the people they mention.

use cairn::audit::{Action, Entity};
use std::collections::HashMap;

use cairn::ids::{ObjectiveId, PersonId};
use cairn::values::LongText;
use sqlx::Row;

use crate::storage::changes::{Change, record};
use crate::storage::org::exists;
use crate::storage::{Db, StorageError};

/// Adds a comment by `author`; returns its id. Audited, and live for open pages.
/// `check_in`, when given, must be a check-in on one of the objective's key results.
pub async fn add_comment(
    db: &Db,
    author: PersonId,
    objective: ObjectiveId,
    check_in: Option<i64>,
    body: &LongText,
) -> Result<i64, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    exists(&mut tx, "objectives", objective.0).await?;
    if let Some(check_in) = check_in {
        let ours: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM check_ins c JOIN key_results k ON k.id = c.key_result_id \
             WHERE c.id = $1 AND k.objective_id = $2",
        )
        .bind(check_in)
        .bind(objective.0)
        .fetch_one(&mut *tx)
        .await?;
        if ours == 0 {
            return Err(StorageError::not_found("check_ins", check_in));
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO comments (objective_id, author_id, at, body, check_in_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(objective.0)
    .bind(author.0)
    .bind(at)
    .bind(body.as_str())
    .bind(check_in)
    .fetch_one(&mut *tx)
    .await?;
    let change = Change::created(
        Some(author),
        Action::CommentCreate,
        Entity::Objective,
        objective.0,
        &serde_json::json!({ "comment": id, "check_in": check_in, "body": body.as_str() }),
        Some(crate::live::LiveChange::Comment {
            objective: objective.0,
            comment: id,
        }),
    )?;
    record(&mut tx, at, change).await?;
    tx.commit().await?;
    db.committed();
    Ok(id)
}

/// People by the first part of their email address (lower case), for mentions.
pub async fn people_by_handle(
    db: &Db,
    handles: &[String],
) -> Result<HashMap<String, (i64, String)>, StorageError> {
    let mut found = HashMap::new();
    for handle in handles.iter().take(20) {
        let row = sqlx::query(
            "SELECT id, name FROM people WHERE lower(email) LIKE $1 AND active = 1 ORDER BY id LIMIT 1",
        )
        .bind(format!("{}@%", handle.replace(['%', '_'], "")))
        .fetch_optional(db.reader())
        .await?;
        if let Some(row) = row {
            found.insert(handle.clone(), (row.try_get("id")?, row.try_get("name")?));
        }
    }
    Ok(found)
}
