//! The reads pages are built from: a unit's or a person's OKRs, and a period's whole
//! alignment tree, now or as it was at a past moment.

use std::collections::HashMap;

use cairn::alignment::Parent;
use cairn::ids::{KeyResultId, ObjectiveId, PeriodId, PersonId, UnitId};
use cairn::model::{KeyResult, Objective};
use cairn::tree::{AlignmentTree, Placement};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::alignment::parent_from;
use super::rows::{self, KEY_RESULT_COLUMNS, OBJECTIVE_COLUMNS};
use super::{Db, StorageError};

/// An objective with its key results, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveWithKeyResults {
    pub objective: Objective,
    pub key_results: Vec<KeyResult>,
}

/// A unit's objectives in a period, in manual order, each with its key results.
pub async fn unit_objectives(
    db: &Db,
    unit: UnitId,
    period: PeriodId,
) -> Result<Vec<ObjectiveWithKeyResults>, StorageError> {
    let filter = "o.owner_unit_id = $1 AND o.period_id = $2";
    with_key_results(db, filter, unit.0, period.0).await
}

/// A person's OKRs in a period: objectives they own, and objectives with a key
/// result they own.
pub async fn person_objectives(
    db: &Db,
    person: PersonId,
    period: PeriodId,
) -> Result<Vec<ObjectiveWithKeyResults>, StorageError> {
    let filter = "o.period_id = $2 AND (o.owner_person_id = $1 OR o.id IN \
                  (SELECT objective_id FROM key_results WHERE owner_person_id = $1))";
    with_key_results(db, filter, person.0, period.0).await
}

async fn with_key_results(
    db: &Db,
    filter: &str,
    a: i64,
    b: i64,
) -> Result<Vec<ObjectiveWithKeyResults>, StorageError> {
    let objectives = sqlx::query(&format!(
        "SELECT {OBJECTIVE_COLUMNS} FROM objectives o WHERE {filter} ORDER BY o.position, o.id"
    ))
    .bind(a)
    .bind(b)
    .fetch_all(db.reader())
    .await?;
    let key_results = sqlx::query(&format!(
        "SELECT {KEY_RESULT_COLUMNS} FROM key_results k WHERE k.objective_id IN \
         (SELECT o.id FROM objectives o WHERE {filter}) ORDER BY k.position, k.id"
    ))
    .bind(a)
    .bind(b)
    .fetch_all(db.reader())
    .await?;
    let mut by_objective: HashMap<ObjectiveId, Vec<KeyResult>> = HashMap::new();
    for row in &key_results {
        let kr = rows::key_result(row)?;
        by_objective.entry(kr.objective).or_default().push(kr);
    }
    objectives
        .iter()
        .map(|row| {
            let objective = rows::objective(row)?;
            let key_results = by_objective.remove(&objective.id).unwrap_or_default();
            Ok(ObjectiveWithKeyResults {
                objective,
                key_results,
            })
        })
        .collect()
}

/// A node of the cascade: what the tree shows of an objective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeObjective {
    pub id: ObjectiveId,
    pub period: PeriodId,
    pub title: String,
    pub owner_unit: Option<UnitId>,
    pub owner_person: Option<PersonId>,
    pub progress: f64,
    pub weight: f64,
    pub position: i64,
    pub version: i64,
}

/// A key result as the tree shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeKeyResult {
    pub id: KeyResultId,
    pub objective: ObjectiveId,
    pub title: String,
    pub progress: f64,
    pub position: i64,
}

/// A period's cascade: its objectives (and those of enclosing periods they align
/// to), their key results, and the tree of primary links.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodTree {
    pub objectives: Vec<TreeObjective>,
    pub key_results: Vec<TreeKeyResult>,
    pub tree: AlignmentTree,
}

/// The cascade of `period`: as it is now, or as it was at `as_of_ms` (links valid
/// then, objectives created by then; progress figures are today's).
pub async fn period_tree(
    db: &Db,
    period: PeriodId,
    as_of_ms: Option<i64>,
) -> Result<PeriodTree, StorageError> {
    // i64::MAX stands for "now": every open link and every objective qualify.
    let at = as_of_ms.unwrap_or(i64::MAX);
    // The period's objectives plus the objectives of enclosing periods (the year
    // above a quarter), so year objectives head the quarter's tree.
    let objectives = sqlx::query(
        "SELECT o.id, o.period_id, o.title, o.owner_unit_id, o.owner_person_id, o.progress, o.weight, o.position, o.version \
         FROM objectives o JOIN periods p ON p.id = o.period_id, periods me \
         WHERE me.id = $1 AND o.created_at <= $2 AND (o.period_id = me.id OR \
               (p.starts_on <= me.starts_on AND p.ends_on >= me.ends_on AND p.id <> me.id))",
    )
    .bind(period.0)
    .bind(at)
    .fetch_all(db.reader())
    .await?;
    let links = sqlx::query(
        "SELECT a.child_id, a.parent_objective_id, a.parent_key_result_id FROM alignments a \
         JOIN objectives o ON o.id = a.child_id \
         WHERE o.period_id = $1 AND a.is_primary = 1 AND a.valid_from <= $2 AND (a.valid_to IS NULL OR a.valid_to > $2)",
    )
    .bind(period.0)
    .bind(at)
    .fetch_all(db.reader())
    .await?;
    let key_results = sqlx::query(
        "SELECT k.id, k.objective_id, k.title, k.progress, k.position FROM key_results k \
         JOIN objectives o ON o.id = k.objective_id JOIN periods p ON p.id = o.period_id, periods me \
         WHERE me.id = $1 AND k.created_at <= $2 AND (o.period_id = me.id OR \
               (p.starts_on <= me.starts_on AND p.ends_on >= me.ends_on AND p.id <> me.id)) \
         ORDER BY k.objective_id, k.position, k.id",
    )
    .bind(period.0)
    .bind(at)
    .fetch_all(db.reader())
    .await?;

    let mut parent_of: HashMap<ObjectiveId, Parent> = HashMap::with_capacity(links.len());
    for row in &links {
        if let Some(parent) = parent_from(
            row.try_get("parent_objective_id")?,
            row.try_get("parent_key_result_id")?,
        ) {
            parent_of.insert(ObjectiveId(row.try_get("child_id")?), parent);
        }
    }
    let objectives = objectives
        .iter()
        .map(|row| {
            Ok(TreeObjective {
                id: ObjectiveId(row.try_get("id")?),
                period: PeriodId(row.try_get("period_id")?),
                title: row.try_get("title")?,
                owner_unit: row.try_get::<Option<i64>, _>("owner_unit_id")?.map(UnitId),
                owner_person: row
                    .try_get::<Option<i64>, _>("owner_person_id")?
                    .map(PersonId),
                progress: row.try_get("progress")?,
                weight: row.try_get("weight")?,
                position: row.try_get("position")?,
                version: row.try_get("version")?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    let key_results = key_results
        .iter()
        .map(|row| {
            Ok(TreeKeyResult {
                id: KeyResultId(row.try_get("id")?),
                objective: ObjectiveId(row.try_get("objective_id")?),
                title: row.try_get("title")?,
                progress: row.try_get("progress")?,
                position: row.try_get("position")?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;

    let placements: Vec<Placement> = objectives
        .iter()
        .map(|o| Placement {
            objective: o.id,
            parent: parent_of.get(&o.id).copied(),
            position: o.position,
        })
        .collect();
    let owners: HashMap<KeyResultId, ObjectiveId> =
        key_results.iter().map(|k| (k.id, k.objective)).collect();
    let tree = AlignmentTree::build(&placements, &owners);
    Ok(PeriodTree {
        objectives,
        key_results,
        tree,
    })
}
