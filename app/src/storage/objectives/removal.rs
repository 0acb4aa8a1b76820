//! Deleting an objective: with its key results, check-ins and comments, audited.
//! The objectives aligned to it stay, and go where the person deleting chose: up
//! to its own parent, or to the top of their tree.

use cairn::alignment::Parent;
use cairn::audit::{Action, Entity};
use cairn::ids::{ObjectiveId, PeriodId, PersonId};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

use super::alignment::{link_checked, primary_parent};
use super::load_for_change;
use crate::live::LiveChange;
use crate::storage::changes::{Change, json, record};
use crate::storage::{Db, StorageError};

/// What becomes of the objectives aligned to the one deleted (to it or to one of
/// its key results).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orphans {
    /// Aligned to what the deleted objective was aligned to (or to nothing, if it
    /// was aligned to nothing).
    ToParent,
    /// Aligned to nothing: each heads its own tree.
    Unaligned,
}

/// What deleting an objective takes with it and whom it leaves behind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reach {
    pub objective: ObjectiveId,
    pub version: i64,
    pub period: PeriodId,
    /// What it is aligned to, and that objective's title.
    pub parent: Option<(Parent, ObjectiveId, String)>,
    /// The objectives aligned to it or to its key results: id and title.
    pub children: Vec<(ObjectiveId, String)>,
    pub key_results: i64,
    pub check_ins: i64,
    pub comments: i64,
}

/// What deleting `id` would do, for the page that asks whether to.
pub async fn reach(db: &Db, id: ObjectiveId) -> Result<Reach, StorageError> {
    let mut tx = db.reader().begin().await?;
    let reach = reach_in(&mut tx, id).await?;
    tx.rollback().await?;
    Ok(reach)
}

async fn reach_in(
    tx: &mut Transaction<'static, Any>,
    id: ObjectiveId,
) -> Result<Reach, StorageError> {
    let row = sqlx::query(
        "SELECT o.version, o.period_id, \
           (SELECT count(*) FROM key_results k WHERE k.objective_id = o.id) AS key_results, \
           (SELECT count(*) FROM check_ins c JOIN key_results k ON k.id = c.key_result_id WHERE k.objective_id = o.id) AS check_ins, \
           (SELECT count(*) FROM comments m WHERE m.objective_id = o.id) AS comments \
         FROM objectives o WHERE o.id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StorageError::not_found("objectives", id.0))?;
    let parent = match primary_parent(tx, id).await? {
        None => None,
        Some(parent) => {
            let above = sqlx::query(
                "SELECT o.id, o.title FROM objectives o WHERE o.id = $1 \
                   OR o.id = (SELECT objective_id FROM key_results WHERE id = $2)",
            )
            .bind(match parent {
                Parent::Objective(o) => o.0,
                Parent::KeyResult(_) => 0,
            })
            .bind(match parent {
                Parent::KeyResult(k) => k.0,
                Parent::Objective(_) => 0,
            })
            .fetch_one(&mut **tx)
            .await?;
            Some((
                parent,
                ObjectiveId(above.try_get("id")?),
                above.try_get("title")?,
            ))
        }
    };
    let children = sqlx::query(
        "SELECT o.id, o.title FROM alignments a JOIN objectives o ON o.id = a.child_id \
         WHERE a.is_primary = 1 AND a.valid_to IS NULL AND (a.parent_objective_id = $1 \
           OR a.parent_key_result_id IN (SELECT id FROM key_results WHERE objective_id = $1)) \
         ORDER BY o.position, o.id",
    )
    .bind(id.0)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| Ok((ObjectiveId(r.try_get("id")?), r.try_get("title")?)))
    .collect::<Result<Vec<_>, StorageError>>()?;
    Ok(Reach {
        objective: id,
        version: row.try_get("version")?,
        period: PeriodId(row.try_get("period_id")?),
        parent,
        children,
        key_results: row.try_get("key_results")?,
        check_ins: row.try_get("check_ins")?,
        comments: row.try_get("comments")?,
    })
}

/// Deletes the objective if it is still at `expected_version` and its period is
/// not closed; its aligned objectives go as `orphans` says, each move audited.
/// Returns what it reached.
pub async fn delete_objective(
    db: &Db,
    actor: Option<PersonId>,
    id: ObjectiveId,
    expected_version: i64,
    orphans: Orphans,
) -> Result<Reach, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let before = load_for_change(&mut tx, id, expected_version).await?;
    let reach = reach_in(&mut tx, id).await?;
    let new_parent = match orphans {
        Orphans::ToParent => reach.parent.as_ref().map(|(p, _, _)| *p),
        Orphans::Unaligned => None,
    };
    for (child, _) in &reach.children {
        sqlx::query(
            "UPDATE alignments SET valid_to = $1 WHERE child_id = $2 AND is_primary = 1 AND valid_to IS NULL",
        )
        .bind(at)
        .bind(child.0)
        .execute(&mut *tx)
        .await?;
        let child_period: i64 = sqlx::query_scalar(
            "UPDATE objectives SET version = version + 1, updated_at = $1 WHERE id = $2 RETURNING period_id",
        )
        .bind(at)
        .bind(child.0)
        .fetch_one(&mut *tx)
        .await?;
        if let Some(parent) = new_parent {
            link_checked(&mut tx, *child, PeriodId(child_period), parent, at).await?;
        }
        record(
            &mut tx,
            at,
            Change {
                actor,
                action: Action::Move,
                entity: Entity::Objective,
                entity_id: child.0,
                before: Some(json(&serde_json::json!({ "parent": id.0 }))?),
                after: Some(json(&serde_json::json!({ "parent": new_parent }))?),
                live: None,
            },
        )
        .await?;
    }
    record(
        &mut tx,
        at,
        Change {
            actor,
            action: Action::ObjectiveDelete,
            entity: Entity::Objective,
            entity_id: id.0,
            before: Some(json(&serde_json::json!({
                "objective": before,
                "key_results": reach.key_results,
                "check_ins": reach.check_ins,
                "comments": reach.comments,
                "children": reach.children.iter().map(|(c, _)| c.0).collect::<Vec<_>>(),
                "children_to": new_parent,
            }))?),
            after: None,
            // Pages showing it, or its period, read afresh.
            live: Some(LiveChange::Objective {
                objective: id.0,
                period: before.period.0,
                version: expected_version + 1,
            }),
        },
    )
    .await?;
    sqlx::query("DELETE FROM objectives WHERE id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    db.committed();
    crate::storage::webhooks::wake();
    Ok(reach)
}
