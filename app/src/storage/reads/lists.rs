//! Reads for browsing: the lists and neighbours a page shows beside its main subject.

use std::collections::HashMap;

use cairn::ids::{KeyResultId, ObjectiveId, PeriodId, PersonId, UnitId};
use cairn::model::{Objective, Owner, Role};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::storage::objectives::alignment::parent_from;
use crate::storage::reads::json_rows_of;
use crate::storage::rows::{self, OBJECTIVE_COLUMNS};
use crate::storage::{Db, StorageError};

/// A key result with what a list of risks or stale goals shows about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyResultLine {
    pub id: KeyResultId,
    pub title: String,
    pub objective: ObjectiveId,
    pub objective_title: String,
    /// Whose the objective is, and their name.
    pub owner: Owner,
    pub owner_name: String,
    pub progress: f64,
    pub confidence: Option<i64>,
    pub last_check_in_ms: Option<i64>,
}

/// Key result id and title, objective id and title, progress, confidence, last
/// check-in, the objective's owning unit or person and its name.
type LineRow = (
    i64,
    String,
    i64,
    String,
    f64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// Every key result of a period (not of enclosing ones), for risk and staleness.
pub async fn period_key_results(
    db: &Db,
    period: PeriodId,
) -> Result<Vec<KeyResultLine>, StorageError> {
    let rows: Vec<LineRow> = json_rows_of(
        db,
        "k.id, k.title, o.id, o.title, k.progress, k.confidence, k.last_check_in_at, \
         o.owner_unit_id, o.owner_person_id, COALESCE(u.name, pe.name)",
        "FROM objectives o JOIN key_results k ON k.objective_id = o.id \
         LEFT JOIN org_units u ON u.id = o.owner_unit_id \
         LEFT JOIN people pe ON pe.id = o.owner_person_id WHERE o.period_id = $1",
        &[period.0],
    )
    .await?;
    rows.into_iter()
        .map(
            |(
                id,
                title,
                objective,
                objective_title,
                progress,
                confidence,
                last,
                unit,
                person,
                name,
            )| {
                let owner = match (unit, person) {
                    (Some(unit), _) => Owner::Unit(UnitId(unit)),
                    (None, Some(person)) => Owner::Person(PersonId(person)),
                    (None, None) => {
                        return Err(StorageError::corrupt(format!(
                            "objective {objective} has no owner"
                        )));
                    }
                };
                Ok(KeyResultLine {
                    id: KeyResultId(id),
                    title,
                    objective: ObjectiveId(objective),
                    objective_title,
                    owner,
                    owner_name: name.unwrap_or_default(),
                    progress,
                    confidence,
                    last_check_in_ms: last,
                })
            },
        )
        .collect()
}

/// How many objectives a period has, everywhere in the organisation.
pub async fn period_objective_count(db: &Db, period: PeriodId) -> Result<i64, StorageError> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM objectives WHERE period_id = $1")
            .bind(period.0)
            .fetch_one(db.reader())
            .await?,
    )
}

/// Every objective aligned below `objective` (primary links, open now), at any
/// depth and in any period, with the objective it hangs under, its progress and
/// weight: what the objective's figure "with aligned objectives" counts.
pub async fn below(
    db: &Db,
    objective: ObjectiveId,
) -> Result<Vec<cairn::rollup::Below>, StorageError> {
    let rows = sqlx::query(
        "WITH RECURSIVE down (id, parent) AS ( \
           SELECT a.child_id, COALESCE(a.parent_objective_id, k.objective_id) FROM alignments a \
           LEFT JOIN key_results k ON k.id = a.parent_key_result_id \
           WHERE a.is_primary = 1 AND a.valid_to IS NULL \
           AND (a.parent_objective_id = $1 OR k.objective_id = $1) \
           UNION \
           SELECT a.child_id, COALESCE(a.parent_objective_id, k.objective_id) FROM down d \
           JOIN alignments a ON a.is_primary = 1 AND a.valid_to IS NULL \
           LEFT JOIN key_results k ON k.id = a.parent_key_result_id \
           WHERE a.parent_objective_id = d.id OR k.objective_id = d.id \
         ) \
         SELECT d.id, d.parent, o.progress, o.weight FROM down d JOIN objectives o ON o.id = d.id \
         ORDER BY o.position, o.id",
    )
    .bind(objective.0)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(cairn::rollup::Below {
                id: ObjectiveId(row.try_get("id")?),
                parent: ObjectiveId(row.try_get("parent")?),
                progress: crate::storage::rows::progress(row.try_get("progress")?)?,
                weight: row.try_get("weight")?,
            })
        })
        .collect()
}

/// Objectives aligned (primary link, open now) to `objective` or to one of its key
/// results, in manual order, with the key result they hang under, if any.
pub async fn children(
    db: &Db,
    objective: ObjectiveId,
) -> Result<Vec<(Objective, Option<KeyResultId>)>, StorageError> {
    let rows = sqlx::query(&format!(
        "SELECT {OBJECTIVE_COLUMNS}, a.parent_key_result_id FROM alignments a \
         JOIN objectives o ON o.id = a.child_id LEFT JOIN key_results k ON k.id = a.parent_key_result_id \
         WHERE a.is_primary = 1 AND a.valid_to IS NULL AND (a.parent_objective_id = $1 OR k.objective_id = $1) \
         ORDER BY o.position, o.id"
    ))
    .bind(objective.0)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                rows::objective(row)?,
                row.try_get::<Option<i64>, _>("parent_key_result_id")?
                    .map(KeyResultId),
            ))
        })
        .collect()
}

/// The objective this one aligns to (its open primary link), and the key result it
/// hangs under, if it aligns to one.
pub async fn parent(
    db: &Db,
    objective: ObjectiveId,
) -> Result<Option<(Objective, Option<KeyResultId>)>, StorageError> {
    let row = sqlx::query(
        "SELECT a.parent_objective_id, a.parent_key_result_id, coalesce(a.parent_objective_id, k.objective_id) AS owner \
         FROM alignments a LEFT JOIN key_results k ON k.id = a.parent_key_result_id \
         WHERE a.child_id = $1 AND a.is_primary = 1 AND a.valid_to IS NULL",
    )
    .bind(objective.0)
    .fetch_optional(db.reader())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let link = parent_from(
        row.try_get("parent_objective_id")?,
        row.try_get("parent_key_result_id")?,
    );
    let owner: i64 = row.try_get("owner")?;
    let parent = crate::storage::objectives::objective(db, ObjectiveId(owner)).await?;
    let key_result = match link {
        Some(cairn::alignment::Parent::KeyResult(kr)) => Some(kr),
        _ => None,
    };
    Ok(Some((parent, key_result)))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitiativeLine {
    pub title: String,
    pub done: bool,
}

pub async fn initiatives(
    db: &Db,
    objective: ObjectiveId,
) -> Result<Vec<InitiativeLine>, StorageError> {
    let rows = sqlx::query(
        "SELECT title, done FROM initiatives WHERE objective_id = $1 ORDER BY position, id",
    )
    .bind(objective.0)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(InitiativeLine {
                title: row.try_get("title")?,
                done: row.try_get::<i64, _>("done")? == 1,
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentLine {
    pub id: i64,
    /// The check-in it answers: its key result's title and when it was.
    pub about: Option<(String, i64)>,
    pub author: Option<(PersonId, String)>,
    pub at_ms: i64,
    pub body: String,
}

pub async fn comments(db: &Db, objective: ObjectiveId) -> Result<Vec<CommentLine>, StorageError> {
    let rows = sqlx::query(
        "SELECT c.id, c.author_id, p.name, c.at, c.body, k.title AS about_title, ci.at AS about_at \
         FROM comments c LEFT JOIN people p ON p.id = c.author_id \
         LEFT JOIN check_ins ci ON ci.id = c.check_in_id LEFT JOIN key_results k ON k.id = ci.key_result_id \
         WHERE c.objective_id = $1 ORDER BY c.at, c.id",
    )
    .bind(objective.0)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| {
            let author = match (
                row.try_get::<Option<i64>, _>("author_id")?,
                row.try_get::<Option<String>, _>("name")?,
            ) {
                (Some(id), Some(name)) => Some((PersonId(id), name)),
                _ => None,
            };
            let about_title: Option<String> = row.try_get("about_title")?;
            let about_at: Option<i64> = row.try_get("about_at")?;
            Ok(CommentLine {
                id: row.try_get("id")?,
                about: about_title.zip(about_at),
                author,
                at_ms: row.try_get("at")?,
                body: row.try_get("body")?,
            })
        })
        .collect()
}

/// A check-in as a person's page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecentCheckIn {
    pub at_ms: i64,
    pub key_result: KeyResultId,
    pub key_result_title: String,
    pub objective: ObjectiveId,
    /// The key result's kind and unit label.
    pub kind: cairn::key_result::MeasureKind,
    pub unit: Option<String>,
    pub value: Option<f64>,
    pub confidence: i64,
    pub note: Option<String>,
}

/// The latest check-ins someone wrote, newest first.
pub async fn recent_check_ins(
    db: &Db,
    author: PersonId,
    limit: i64,
) -> Result<Vec<RecentCheckIn>, StorageError> {
    let rows = sqlx::query(
        "SELECT c.at, c.key_result_id, k.title, k.objective_id, k.kind, k.notation, k.unit_label, c.value, c.confidence, c.note \
         FROM check_ins c \
         JOIN key_results k ON k.id = c.key_result_id WHERE c.author_id = $1 ORDER BY c.at DESC, c.id DESC LIMIT $2",
    )
    .bind(author.0)
    .bind(limit)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RecentCheckIn {
                at_ms: row.try_get("at")?,
                key_result: KeyResultId(row.try_get("key_result_id")?),
                key_result_title: row.try_get("title")?,
                objective: ObjectiveId(row.try_get("objective_id")?),
                kind: crate::storage::rows::measure_kind(row)?,
                unit: row.try_get("unit_label")?,
                value: row.try_get("value")?,
                confidence: row.try_get("confidence")?,
                note: row.try_get("note")?,
            })
        })
        .collect()
}

/// The units someone belongs to, with their role there.
pub async fn memberships_of(
    db: &Db,
    person: PersonId,
) -> Result<Vec<(UnitId, String, Role)>, StorageError> {
    let rows = sqlx::query(
        "SELECT u.id, u.name, m.role FROM memberships m JOIN org_units u ON u.id = m.unit_id \
         WHERE m.person_id = $1 ORDER BY u.name",
    )
    .bind(person.0)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| {
            crate::storage::org::named_role(row).map(|(id, name, role)| (UnitId(id), name, role))
        })
        .collect()
}

/// Names of the given people, for showing owners and authors.
pub async fn person_names(
    db: &Db,
    ids: &[PersonId],
) -> Result<HashMap<PersonId, String>, StorageError> {
    names(db, "people", ids.iter().map(|p| p.0))
        .await
        .map(|found| {
            found
                .into_iter()
                .map(|(id, name)| (PersonId(id), name))
                .collect()
        })
}

/// The lowest latest confidence among each objective's key results (how worried
/// its most worried key result is), for the objectives that have one.
pub async fn lowest_confidences(
    db: &Db,
    objectives: &[ObjectiveId],
) -> Result<HashMap<ObjectiveId, cairn::values::Confidence>, StorageError> {
    // Ids are numbers from our own rows, so writing them into the query is safe.
    let list = objectives
        .iter()
        .map(|id| id.0.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if list.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = sqlx::query(&format!(
        "SELECT objective_id, min(confidence) AS lowest FROM key_results \
         WHERE objective_id IN ({list}) AND confidence IS NOT NULL GROUP BY objective_id"
    ))
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| {
            let confidence = cairn::values::Confidence::parse(row.try_get("lowest")?)
                .map_err(StorageError::corrupt)?;
            Ok((ObjectiveId(row.try_get("objective_id")?), confidence))
        })
        .collect()
}

/// The names of units, by id.
pub async fn unit_names(db: &Db, ids: &[UnitId]) -> Result<HashMap<UnitId, String>, StorageError> {
    names(db, "org_units", ids.iter().map(|u| u.0))
        .await
        .map(|found| {
            found
                .into_iter()
                .map(|(id, name)| (UnitId(id), name))
                .collect()
        })
}

/// `id` and `name` of the rows of `table` with the given ids.
async fn names(
    db: &Db,
    table: &'static str,
    ids: impl Iterator<Item = i64>,
) -> Result<Vec<(i64, String)>, StorageError> {
    // Ids are numbers from our own rows, so writing them into the query is safe.
    let list = ids.map(|id| id.to_string()).collect::<Vec<_>>().join(", ");
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(&format!(
        "SELECT id, name FROM {table} WHERE id IN ({list})"
    ))
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("name")?)))
        .collect()
}
