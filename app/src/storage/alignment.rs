//! Re-aligning objectives: every move closes the open primary link and opens a new
//! one, in one transaction, so the cascade of any past moment can be rebuilt.

use cairn::alignment::{AlignmentGraph, Parent};
use cairn::ids::{ObjectiveId, PeriodId, PersonId};
use cairn::model::Objective;
use sqlx::{Any, Row, Transaction};

use super::changes::{Change, json, missing_or_conflict, record};
use super::db::now_ms;
use super::objectives::load_for_change;
use super::{Db, StorageError, periods};

/// The open links above `start`, as (child, parent objective) pairs. A link to a key
/// result counts as a link to that key result's objective. UNION stops on repeats,
/// so even a damaged graph cannot make this loop forever.
const ANCESTOR_EDGES: &str = "\
WITH RECURSIVE up (child, parent) AS (
    SELECT a.child_id, coalesce(a.parent_objective_id, k.objective_id)
    FROM alignments a LEFT JOIN key_results k ON k.id = a.parent_key_result_id
    WHERE a.child_id = $1 AND a.valid_to IS NULL
  UNION
    SELECT a.child_id, coalesce(a.parent_objective_id, k.objective_id)
    FROM up
    JOIN alignments a ON a.child_id = up.parent AND a.valid_to IS NULL
    LEFT JOIN key_results k ON k.id = a.parent_key_result_id
)
SELECT child, parent FROM up";

/// Moves an objective under a new parent (or to the top, with None), if its
/// version is still `expected_version`, keeping its position. Refuses loops and
/// period order violations.
pub async fn align(
    db: &Db,
    actor: Option<PersonId>,
    child: ObjectiveId,
    expected_version: i64,
    parent: Option<Parent>,
) -> Result<Objective, StorageError> {
    place(db, actor, child, expected_version, parent, None)
        .await
        .map(|moved| moved.objective)
}

/// What a move changed: the objective (at its new version) and the order of the
/// siblings it now sits among.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    pub objective: Objective,
    pub parent: Option<Parent>,
    /// The new parent's children in display order, the moved one included.
    pub siblings: Vec<ObjectiveId>,
}

/// Moves an objective under `parent` (the top, with None) and, with `index`, to
/// that place among its new siblings (clamped; None keeps its position). One
/// transaction: the old link closes, the new one opens, sibling positions are
/// renumbered, the audit row and the live event are written. A stale
/// `expected_version`, a loop, a parent of a later period or a closed period is
/// refused and nothing is stored. A move that changes nothing writes nothing.
pub async fn place(
    db: &Db,
    actor: Option<PersonId>,
    child: ObjectiveId,
    expected_version: i64,
    parent: Option<Parent>,
    index: Option<usize>,
) -> Result<Moved, StorageError> {
    let at = now_ms();
    let mut tx = db.writer().begin().await?;
    let before = load_for_change(&mut tx, child, expected_version).await?;
    let old_parent = primary_parent(&mut tx, child).await?;
    let realigned = old_parent != parent;
    if realigned {
        sqlx::query("UPDATE alignments SET valid_to = $1 WHERE child_id = $2 AND is_primary = 1 AND valid_to IS NULL")
            .bind(at)
            .bind(child.0)
            .execute(&mut *tx)
            .await?;
        if let Some(parent) = parent {
            link_checked(&mut tx, child, before.period, parent, at).await?;
        }
    }
    let current = siblings(&mut tx, before.period, parent).await?;
    let mut order: Vec<ObjectiveId> = current
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| *id != child)
        .collect();
    let at_index = match index {
        Some(index) => index.min(order.len()),
        // Keep the position: after the siblings placed before it.
        None => current
            .iter()
            .filter(|(id, position)| *id != child && (*position, id.0) < (before.position, child.0))
            .count(),
    };
    order.insert(at_index, child);
    // Each objective's new position, where it differs from what is stored.
    let was = |id: ObjectiveId| {
        if id == child {
            Some(before.position)
        } else {
            current.iter().find(|(c, _)| *c == id).map(|(_, p)| *p)
        }
    };
    let renumbered: Vec<(ObjectiveId, i64)> = order
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i64::try_from(i).unwrap_or(i64::MAX)))
        .filter(|(id, position)| was(*id) != Some(*position))
        .collect();
    if !realigned && renumbered.is_empty() {
        return Ok(Moved {
            objective: before,
            parent,
            siblings: order,
        });
    }
    for (id, position) in renumbered.iter().filter(|(id, _)| *id != child) {
        sqlx::query("UPDATE objectives SET position = $1 WHERE id = $2")
            .bind(position)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
    }
    let new_position = renumbered
        .iter()
        .find(|(id, _)| *id == child)
        .map_or(before.position, |(_, p)| *p);
    let bumped = sqlx::query(
        "UPDATE objectives SET version = version + 1, position = $1, updated_at = $2 WHERE id = $3 AND version = $4",
    )
    .bind(new_position)
    .bind(at)
    .bind(child.0)
    .bind(expected_version)
    .execute(&mut *tx)
    .await?;
    if bumped.rows_affected() != 1 {
        return Err(missing_or_conflict(&mut tx, "objectives", child.0, expected_version).await);
    }
    let before_position = before.position;
    let after = Objective {
        version: before.version + 1,
        position: new_position,
        ..before
    };
    let order_ids: Vec<i64> = order.iter().map(|id| id.0).collect();
    record(
        &mut tx,
        at,
        Change {
            actor,
            action: if realigned {
                "alignment.move"
            } else {
                "alignment.reorder"
            },
            entity: "objectives",
            entity_id: child.0,
            before: Some(json(
                &serde_json::json!({ "parent": old_parent, "position": before_position }),
            )?),
            after: Some(json(
                &serde_json::json!({ "parent": parent, "position": new_position }),
            )?),
            live: Some(json(&serde_json::json!({
                "objective": child.0,
                "parent": parent,
                "siblings": order_ids,
                "version": after.version,
            }))?),
        },
    )
    .await?;
    tx.commit().await?;
    db.committed();
    Ok(Moved {
        objective: after,
        parent,
        siblings: order,
    })
}

/// The objectives under `parent` by their open primary links, with positions, in
/// display order. Without a parent: the period's objectives that align to nothing.
async fn siblings(
    tx: &mut Transaction<'static, Any>,
    period: PeriodId,
    parent: Option<Parent>,
) -> Result<Vec<(ObjectiveId, i64)>, StorageError> {
    let query = match parent {
        Some(Parent::Objective(id)) => sqlx::query(
            "SELECT o.id, o.position FROM alignments a JOIN objectives o ON o.id = a.child_id \
             WHERE a.parent_objective_id = $1 AND a.is_primary = 1 AND a.valid_to IS NULL ORDER BY o.position, o.id",
        )
        .bind(id.0),
        Some(Parent::KeyResult(id)) => sqlx::query(
            "SELECT o.id, o.position FROM alignments a JOIN objectives o ON o.id = a.child_id \
             WHERE a.parent_key_result_id = $1 AND a.is_primary = 1 AND a.valid_to IS NULL ORDER BY o.position, o.id",
        )
        .bind(id.0),
        None => sqlx::query(
            "SELECT o.id, o.position FROM objectives o WHERE o.period_id = $1 AND NOT EXISTS \
             (SELECT 1 FROM alignments a WHERE a.child_id = o.id AND a.is_primary = 1 AND a.valid_to IS NULL) \
             ORDER BY o.position, o.id",
        )
        .bind(period.0),
    };
    query
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|row| Ok((ObjectiveId(row.try_get("id")?), row.try_get("position")?)))
        .collect()
}

/// Checks the period rule and the loop rule, then opens a primary link.
pub(crate) async fn link_checked(
    tx: &mut Transaction<'static, Any>,
    child: ObjectiveId,
    child_period: PeriodId,
    parent: Parent,
    at: i64,
) -> Result<(), StorageError> {
    let parent_objective = match parent {
        Parent::Objective(id) => id,
        Parent::KeyResult(kr) => {
            let owner: Option<i64> =
                sqlx::query_scalar("SELECT objective_id FROM key_results WHERE id = $1")
                    .bind(kr.0)
                    .fetch_optional(&mut **tx)
                    .await?;
            ObjectiveId(owner.ok_or(StorageError::not_found("key_results", kr.0))?)
        }
    };
    let parent_period: i64 = sqlx::query_scalar("SELECT period_id FROM objectives WHERE id = $1")
        .bind(parent_objective.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StorageError::not_found("objectives", parent_objective.0))?;
    let child_period = periods::period_in(tx, child_period).await?;
    let parent_period = periods::period_in(tx, PeriodId(parent_period)).await?;
    if !child_period.may_align_to(&parent_period) {
        return Err(cairn::alignment::AlignmentError::PeriodOrder.into());
    }

    let mut graph = AlignmentGraph::new();
    if let Parent::KeyResult(kr) = parent {
        graph.add_key_result(kr, parent_objective);
    }
    for row in sqlx::query(ANCESTOR_EDGES)
        .bind(parent_objective.0)
        .fetch_all(&mut **tx)
        .await?
    {
        let (from, to): (i64, i64) = (row.try_get("child")?, row.try_get("parent")?);
        graph.add_link(ObjectiveId(from), Parent::Objective(ObjectiveId(to)));
    }
    graph.check(child, parent)?;

    let (objective, key_result) = match parent {
        Parent::Objective(id) => (Some(id.0), None),
        Parent::KeyResult(id) => (None, Some(id.0)),
    };
    sqlx::query(
        "INSERT INTO alignments (child_id, parent_objective_id, parent_key_result_id, is_primary, valid_from) \
         VALUES ($1, $2, $3, 1, $4)",
    )
    .bind(child.0)
    .bind(objective)
    .bind(key_result)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The parent of the open primary link, if any.
pub(crate) async fn primary_parent(
    tx: &mut Transaction<'static, Any>,
    child: ObjectiveId,
) -> Result<Option<Parent>, StorageError> {
    let row = sqlx::query(
        "SELECT parent_objective_id, parent_key_result_id FROM alignments \
         WHERE child_id = $1 AND is_primary = 1 AND valid_to IS NULL",
    )
    .bind(child.0)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        None => None,
        Some(row) => parent_from(
            row.try_get("parent_objective_id")?,
            row.try_get("parent_key_result_id")?,
        ),
    })
}

pub(crate) fn parent_from(objective: Option<i64>, key_result: Option<i64>) -> Option<Parent> {
    match (objective, key_result) {
        (Some(o), _) => Some(Parent::Objective(ObjectiveId(o))),
        (None, Some(k)) => Some(Parent::KeyResult(cairn::ids::KeyResultId(k))),
        (None, None) => None,
    }
}
