//! The reads pages are built from: a unit's or a person's OKRs, and a period's whole
//! alignment tree, now or as it was at a past moment.

use std::collections::HashMap;

use cairn::alignment::Parent;
use cairn::ids::{KeyResultId, ObjectiveId, PeriodId, PersonId, UnitId};
use cairn::model::{KeyResult, Objective};
use cairn::tree::{AlignmentTree, Placement};
use serde::{Deserialize, Serialize};

use crate::storage::db::Backend;
use crate::storage::objectives::alignment::parent_from;
use crate::storage::rows::{self, KEY_RESULT_COLUMNS, OBJECTIVE_COLUMNS};
use crate::storage::{Db, StorageError};

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

/// Everything a person owns or leads in a period: their own objectives, those with
/// a key result they own, and those of the units they lead.
pub async fn mine(
    db: &Db,
    person: PersonId,
    period: PeriodId,
) -> Result<Vec<ObjectiveWithKeyResults>, StorageError> {
    let filter = "o.period_id = $2 AND o.state <> 'abandoned' AND (o.owner_person_id = $1 OR o.id IN \
                  (SELECT objective_id FROM key_results WHERE owner_person_id = $1) OR o.owner_unit_id IN \
                  (SELECT unit_id FROM memberships WHERE person_id = $1 AND role IN ('lead', 'admin')))";
    with_key_results(db, filter, person.0, period.0).await
}

/// One objective with its key results.
pub async fn objective_with_key_results(
    db: &Db,
    objective: ObjectiveId,
) -> Result<ObjectiveWithKeyResults, StorageError> {
    // The filter names the id twice because the helper binds two parameters.
    with_key_results(db, "o.id = $1 AND o.id = $2", objective.0, objective.0)
        .await?
        .pop()
        .ok_or(StorageError::not_found("objectives", objective.0))
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

/// An objective of the tree as the query returns it: id, period, title, owning unit,
/// owning person, progress, weight, position, version.
type ObjectiveRow = (
    i64,
    i64,
    String,
    Option<i64>,
    Option<i64>,
    f64,
    f64,
    i64,
    i64,
);

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
    /// The latest check-in's confidence, 0..10.
    pub confidence: Option<i64>,
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
    // The period and the periods enclosing it (the year above a quarter), so year
    // objectives head the quarter's tree. A handful of ids, written into the queries
    // below so that each can use its index (an OR of conditions would scan).
    let period_ids: Vec<i64> = sqlx::query_scalar(
        "SELECT p.id FROM periods p JOIN periods me ON me.id = $1 \
         WHERE p.id = me.id OR (p.starts_on <= me.starts_on AND p.ends_on >= me.ends_on)",
    )
    .bind(period.0)
    .fetch_all(db.reader())
    .await?;
    if period_ids.is_empty() {
        return Err(StorageError::not_found("periods", period.0));
    }
    let in_periods = period_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let backend = db.backend();
    let objectives: Vec<ObjectiveRow> = json_rows(
        db,
        &aggregate(
            backend,
            "o.id, o.period_id, o.title, o.owner_unit_id, o.owner_person_id, o.progress, o.weight, o.position, o.version",
            &format!("FROM objectives o WHERE o.period_id IN ({in_periods}) AND o.created_at <= $1"),
        ),
        &[at],
    )
    .await?;
    let links: Vec<(i64, Option<i64>, Option<i64>)> = json_rows(
        db,
        &aggregate(
            backend,
            "a.child_id, a.parent_objective_id, a.parent_key_result_id",
            &format!(
                "FROM alignments a WHERE a.child_id {} \
                 AND a.is_primary = 1 AND a.valid_from <= $2 AND (a.valid_to IS NULL OR a.valid_to > $2)",
                objective_of(backend, "$1")
            ),
        ),
        &[period.0, at],
    )
    .await?;
    let mut key_results: Vec<(i64, i64, String, f64, i64, Option<i64>)> = json_rows(
        db,
        &aggregate(
            backend,
            "k.id, k.objective_id, k.title, k.progress, k.position, k.confidence",
            &format!(
                "FROM key_results k WHERE k.objective_id {} AND k.created_at <= $1",
                objective_of(backend, &in_periods)
            ),
        ),
        &[at],
    )
    .await?;
    key_results.sort_by_key(|k| (k.1, k.4, k.0));

    let parent_of: HashMap<ObjectiveId, Parent> = links
        .into_iter()
        .filter_map(|(child, objective, key_result)| {
            parent_from(objective, key_result).map(|p| (ObjectiveId(child), p))
        })
        .collect();
    let objectives: Vec<TreeObjective> = objectives
        .into_iter()
        .map(
            |(id, period, title, unit, person, progress, weight, position, version)| {
                TreeObjective {
                    id: ObjectiveId(id),
                    period: PeriodId(period),
                    title,
                    owner_unit: unit.map(UnitId),
                    owner_person: person.map(PersonId),
                    progress,
                    weight,
                    position,
                    version,
                }
            },
        )
        .collect();
    let key_results: Vec<TreeKeyResult> = key_results
        .into_iter()
        .map(
            |(id, objective, title, progress, position, confidence)| TreeKeyResult {
                id: KeyResultId(id),
                objective: ObjectiveId(objective),
                title,
                progress,
                position,
                confidence,
            },
        )
        .collect();

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

/// The condition "is one of the objectives of these periods" (ids, comma-separated)
/// on an objective id column. SQLite looks each objective up in the column's index
/// either way. PostgreSQL plans a join or `IN` as a hash over the whole table,
/// which grows with every past quarter; given the ids as one array, it looks them
/// up in the index (a large quarter's key results: 92 ms to 45 ms).
fn objective_of(backend: Backend, periods: &str) -> String {
    let ids = format!("SELECT id FROM objectives WHERE period_id IN ({periods})");
    match backend {
        Backend::Sqlite => format!("IN ({ids})"),
        Backend::Postgres => format!("= ANY(ARRAY({ids}))"),
    }
}

/// One row holding every selected row as a JSON array of arrays. Large reads come
/// back in a single piece instead of thousands of rows, each of which would cost a
/// trip through the driver.
fn aggregate(backend: Backend, columns: &str, from_where: &str) -> String {
    match backend {
        Backend::Sqlite => format!("SELECT json_group_array(json_array({columns})) {from_where}"),
        Backend::Postgres => format!(
            "SELECT coalesce(json_agg(json_build_array({columns}))::text, '[]') {from_where}"
        ),
    }
}

/// Rows of `columns` from `from_where`, in one JSON piece, deserialised as `T`.
pub(crate) async fn json_rows_of<T: serde::de::DeserializeOwned>(
    db: &Db,
    columns: &str,
    from_where: &str,
    binds: &[i64],
) -> Result<Vec<T>, StorageError> {
    json_rows(db, &aggregate(db.backend(), columns, from_where), binds).await
}

async fn json_rows<T: serde::de::DeserializeOwned>(
    db: &Db,
    sql: &str,
    binds: &[i64],
) -> Result<Vec<T>, StorageError> {
    let mut query = sqlx::query_scalar::<_, String>(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    let text = query.fetch_one(db.reader()).await?;
    serde_json::from_str(&text).map_err(StorageError::corrupt)
}
