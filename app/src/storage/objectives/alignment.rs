//! Re-aligning objectives: every move closes the open primary link and opens a new
//! one, in one transaction, so the cascade of any past moment can be rebuilt.

use cairn::alignment::{AlignmentGraph, Parent};
use cairn::audit::{Action, Entity};
use cairn::ids::{ObjectiveId, PeriodId, PersonId};
use cairn::model::Objective;
use sqlx::{Any, Row, Transaction};

use crate::live::{LiveChange, MoveChange};
use crate::storage::changes::{Change, Turn, json, record, take_turn};
use crate::storage::objectives::load_for_change;
use crate::storage::{Db, StorageError, periods};

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
/// transaction: the old link closes, the new one opens, the objective takes a
/// position between its new neighbours (they move apart only when there is no
/// room, each versioned and audited), the audit row and the live event are
/// written. A stale
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
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    // Moves take turns: two moves that are each fine alone could close a loop
    // together. A move that changes nothing is rolled back, claim and all.
    take_turn(&mut tx, Turn::Cascade).await?;
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
    let siblings = siblings(&mut tx, before.period, parent).await?;
    let others: Vec<(ObjectiveId, i64)> = siblings
        .iter()
        .copied()
        .filter(|(id, _)| *id != child)
        .collect();
    let placed = placement(&others, child, before.position, index);
    let unchanged =
        !realigned && placed.renumbered.is_empty() && placed.position == before.position;
    if unchanged {
        return Ok(Moved {
            objective: before,
            parent,
            siblings: placed.order,
        });
    }
    // No room between the neighbours: the siblings (same parent, same period, and
    // only those) spread out again, each change versioned and audited.
    for (id, position) in &placed.renumbered {
        let was: i64 = sqlx::query_scalar(
            "UPDATE objectives SET position = $1, version = version + 1, updated_at = $2 \
             WHERE id = $3 RETURNING version",
        )
        .bind(position)
        .bind(at)
        .bind(id.0)
        .fetch_one(&mut *tx)
        .await?;
        let old = others.iter().find(|(o, _)| o == id).map(|(_, p)| *p);
        record(
            &mut tx,
            at,
            Change {
                actor,
                action: Action::Reposition,
                entity: Entity::Objective,
                entity_id: id.0,
                before: Some(json(
                    &serde_json::json!({ "position": old, "version": was - 1 }),
                )?),
                after: Some(json(
                    &serde_json::json!({ "position": position, "version": was }),
                )?),
                live: None,
            },
        )
        .await?;
    }
    let new_position = placed.position;
    sqlx::query("UPDATE objectives SET position = $1, updated_at = $2 WHERE id = $3")
        .bind(new_position)
        .bind(at)
        .bind(child.0)
        .execute(&mut *tx)
        .await?;
    let order = placed.order;
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
                Action::Move
            } else {
                Action::Reorder
            },
            entity: Entity::Objective,
            entity_id: child.0,
            before: Some(json(
                &serde_json::json!({ "parent": old_parent, "position": before_position }),
            )?),
            after: Some(json(
                &serde_json::json!({ "parent": parent, "position": new_position }),
            )?),
            live: Some(LiveChange::Moved(MoveChange {
                objective: child.0,
                parent,
                siblings: order_ids,
                version: after.version,
            })),
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

/// Positions of neighbouring objectives lie this far apart when they are first
/// placed, so a move between two of them changes one row.
pub const POSITION_GAP: i64 = 1024;

/// Where a moved objective goes among `others` (its new siblings without it, in
/// display order).
#[derive(Debug, Clone, PartialEq)]
struct Placement {
    /// The moved objective's new position.
    position: i64,
    /// Siblings that had to move apart for it, with their new positions.
    renumbered: Vec<(ObjectiveId, i64)>,
    /// The siblings in display order, the moved one included.
    order: Vec<ObjectiveId>,
}

/// Places `child` at `index` among `others` (clamped), or, without an index, at
/// the position it has (sorted in among the new siblings by it).
fn placement(
    others: &[(ObjectiveId, i64)],
    child: ObjectiveId,
    position: i64,
    index: Option<usize>,
) -> Placement {
    let sorts_before = |(id, p): &(ObjectiveId, i64)| (*p, id.0) < (position, child.0);
    let Some(index) = index else {
        let at = others.iter().filter(|o| sorts_before(o)).count();
        let mut order: Vec<ObjectiveId> = others.iter().map(|(id, _)| *id).collect();
        order.insert(at, child);
        return Placement {
            position,
            renumbered: Vec::new(),
            order,
        };
    };
    let index = index.min(others.len());
    let mut order: Vec<ObjectiveId> = others.iter().map(|(id, _)| *id).collect();
    order.insert(index, child);
    // Already there: nothing moves.
    let current = others.iter().filter(|o| sorts_before(o)).count();
    if current == index {
        return Placement {
            position,
            renumbered: Vec::new(),
            order,
        };
    }
    let before = index.checked_sub(1).map(|i| others[i].1);
    let after = others.get(index).map(|(_, p)| *p);
    let fits = match (before, after) {
        (None, None) => Some(position),
        (Some(b), None) => b.checked_add(POSITION_GAP),
        (None, Some(a)) => a.checked_sub(POSITION_GAP),
        (Some(b), Some(a)) if a - b >= 2 => Some(b + (a - b) / 2),
        _ => None,
    };
    if let Some(position) = fits {
        return Placement {
            position,
            renumbered: Vec::new(),
            order,
        };
    }
    // Spread everyone out again, the moved one at its place.
    let spread =
        |i: usize| (i64::try_from(i).unwrap_or(i64::MAX / POSITION_GAP) + 1) * POSITION_GAP;
    let renumbered = order
        .iter()
        .enumerate()
        .filter(|(_, id)| **id != child)
        .filter_map(|(i, id)| {
            let old = others.iter().find(|(o, _)| o == id).map(|(_, p)| *p);
            (old != Some(spread(i))).then_some((*id, spread(i)))
        })
        .collect();
    Placement {
        position: spread(index),
        renumbered,
        order,
    }
}

/// The objectives of `period` under `parent` by their open primary links, with
/// positions, in display order. Without a parent: the period's objectives that
/// align to nothing. Objectives of other periods under the same parent (quarters
/// under a year objective) are not siblings: their order is their own period's.
async fn siblings(
    tx: &mut Transaction<'static, Any>,
    period: PeriodId,
    parent: Option<Parent>,
) -> Result<Vec<(ObjectiveId, i64)>, StorageError> {
    let query = match parent {
        Some(Parent::Objective(id)) => sqlx::query(
            "SELECT o.id, o.position FROM alignments a JOIN objectives o ON o.id = a.child_id \
             WHERE a.parent_objective_id = $1 AND a.is_primary = 1 AND a.valid_to IS NULL \
             AND o.period_id = $2 ORDER BY o.position, o.id",
        )
        .bind(id.0)
        .bind(period.0),
        Some(Parent::KeyResult(id)) => sqlx::query(
            "SELECT o.id, o.position FROM alignments a JOIN objectives o ON o.id = a.child_id \
             WHERE a.parent_key_result_id = $1 AND a.is_primary = 1 AND a.valid_to IS NULL \
             AND o.period_id = $2 ORDER BY o.position, o.id",
        )
        .bind(id.0)
        .bind(period.0),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn o(id: i64, position: i64) -> (ObjectiveId, i64) {
        (ObjectiveId(id), position)
    }

    fn ids(order: &[ObjectiveId]) -> Vec<i64> {
        order.iter().map(|id| id.0).collect()
    }

    #[test]
    fn a_move_between_two_neighbours_changes_one_row() {
        let others = [o(1, 1024), o(2, 2048), o(3, 3072)];
        let placed = placement(&others, ObjectiveId(9), 5000, Some(1));
        assert_eq!(placed.position, 1536);
        assert!(placed.renumbered.is_empty());
        assert_eq!(ids(&placed.order), [1, 9, 2, 3]);
        let first = placement(&others, ObjectiveId(9), 5000, Some(0));
        assert_eq!(first.position, 0);
        let last = placement(&others, ObjectiveId(9), 0, Some(7));
        assert_eq!((last.position, ids(&last.order)), (4096, vec![1, 2, 3, 9]));
    }

    #[test]
    fn without_room_only_the_siblings_spread_out() {
        let others = [o(1, 0), o(2, 1), o(3, 2)];
        let placed = placement(&others, ObjectiveId(9), 7, Some(1));
        assert_eq!(ids(&placed.order), [1, 9, 2, 3]);
        assert_eq!(placed.position, 2048);
        assert_eq!(placed.renumbered, vec![o(1, 1024), o(2, 3072), o(3, 4096)]);
    }

    #[test]
    fn staying_put_or_keeping_the_position_moves_nothing_else() {
        let others = [o(1, 1024), o(3, 3072)];
        let kept = placement(&others, ObjectiveId(2), 2048, None);
        assert_eq!((kept.position, ids(&kept.order)), (2048, vec![1, 2, 3]));
        let same = placement(&others, ObjectiveId(2), 2048, Some(1));
        assert_eq!(same.position, 2048);
        assert!(same.renumbered.is_empty());
    }
}
