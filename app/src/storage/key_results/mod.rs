//! Key results and their milestones.
//!
//! Beside it: check-ins (`check_ins`), the writes that move a key result.

pub mod check_ins;

use cairn::Progress;
use cairn::audit::{Action, Entity};
use cairn::ids::{KeyResultId, MilestoneId, ObjectiveId, PersonId};
use cairn::key_result::Measure;
use cairn::model::{KeyResult, Milestone};
use cairn::rollup::{Contribution, Origin, Rollup, Source};
use cairn::values::{Title, Weight};
use chrono::NaiveDate;
use sqlx::{Any, Row, Transaction};

use crate::storage::changes::{Change, record};
use crate::storage::nullable::NullableF64;
use crate::storage::objectives::{load, open_period};
use crate::storage::rows::{self, KEY_RESULT_COLUMNS};
use crate::storage::{Db, StorageError, periods};

pub struct NewKeyResult {
    pub objective: ObjectiveId,
    pub title: Title,
    pub measure: Measure,
    pub weight: Weight,
    pub owner: Option<PersonId>,
    pub due: Option<NaiveDate>,
    /// For milestone key results: title and weight of each, in order.
    pub milestones: Vec<(Title, Weight)>,
}

pub async fn create_key_result(
    db: &Db,
    actor: Option<PersonId>,
    new: NewKeyResult,
) -> Result<KeyResult, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let objective = load(&mut tx, new.objective).await?;
    open_period(&mut tx, objective.period).await?;
    if let Some(due) = new.due {
        let period = periods::period_in(&mut tx, objective.period).await?;
        if let Some(span) = period.span {
            span.check(due).map_err(cairn::rules::Rule::from)?;
        }
    }
    if matches!(new.measure, Measure::Milestones) != !new.milestones.is_empty() {
        return Err(cairn::rules::Rule::MilestonesMismatch.into());
    }
    let position: i64 = sqlx::query_scalar(
        "SELECT coalesce(max(position), 0) + 1 FROM key_results WHERE objective_id = $1",
    )
    .bind(new.objective.0)
    .fetch_one(&mut *tx)
    .await?;
    let columns = crate::storage::MeasureColumns::of(&new.measure);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO key_results (objective_id, title, kind, direction, start_value, target_value, unit_label, weight, \
         owner_person_id, due_on, position, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(new.objective.0)
    .bind(new.title.as_str())
    .bind(columns.kind)
    .bind(columns.direction)
    .bind(NullableF64(columns.start))
    .bind(NullableF64(columns.target))
    .bind(columns.unit)
    .bind(new.weight.get())
    .bind(new.owner.map(|p| p.0))
    .bind(new.due.map(|d| d.to_string()))
    .bind(position)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    for (index, (title, weight)) in new.milestones.iter().enumerate() {
        sqlx::query("INSERT INTO milestones (key_result_id, title, weight, position) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(title.as_str())
            .bind(weight.get())
            .bind(index as i64)
            .execute(&mut *tx)
            .await?;
    }
    refresh_objective_progress(&mut tx, new.objective).await?;
    let created = KeyResult {
        id: KeyResultId(id),
        objective: new.objective,
        title: new.title,
        measure: new.measure,
        weight: new.weight,
        owner: new.owner,
        due: new.due,
        position,
        reading: None,
        progress: Progress::ZERO,
        confidence: None,
        last_check_in_ms: None,
        grade: None,
        version: 1,
    };
    let change = Change::created(
        actor,
        Action::KeyResultCreate,
        Entity::KeyResult,
        id,
        &created,
        Some(crate::live::LiveChange::Objective {
            objective: new.objective.0,
            period: objective.period.0,
            version: objective.version,
        }),
    )?;
    record(&mut tx, at, change).await?;
    tx.commit().await?;
    db.committed();
    Ok(created)
}

pub async fn key_result(db: &Db, id: KeyResultId) -> Result<KeyResult, StorageError> {
    let row = sqlx::query(&format!(
        "SELECT {KEY_RESULT_COLUMNS} FROM key_results k WHERE k.id = $1"
    ))
    .bind(id.0)
    .fetch_optional(db.reader())
    .await?
    .ok_or(StorageError::not_found("key_results", id.0))?;
    rows::key_result(&row)
}

pub async fn milestones(db: &Db, key_result: KeyResultId) -> Result<Vec<Milestone>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, key_result_id, title, weight, position, done_at FROM milestones WHERE key_result_id = $1 ORDER BY position, id",
    )
    .bind(key_result.0)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Milestone {
                id: MilestoneId(row.try_get("id")?),
                key_result: KeyResultId(row.try_get("key_result_id")?),
                title: Title::parse(row.try_get("title")?).map_err(StorageError::corrupt)?,
                weight: Weight::parse(row.try_get("weight")?).map_err(StorageError::corrupt)?,
                position: row.try_get("position")?,
                done_at_ms: row.try_get("done_at")?,
            })
        })
        .collect()
}

/// Recomputes an objective's cached progress from its key results (the domain's
/// weighted roll-up) and stores it; returns the new figure.
pub(crate) async fn refresh_objective_progress(
    tx: &mut Transaction<'static, Any>,
    objective: ObjectiveId,
) -> Result<Progress, StorageError> {
    // Lock the objective row first: two check-ins on sibling key results then roll
    // up one after the other, each seeing the other's committed change, instead of
    // both computing from a snapshot that misses one (a lost update of the cache).
    sqlx::query("UPDATE objectives SET progress = progress WHERE id = $1")
        .bind(objective.0)
        .execute(&mut **tx)
        .await?;
    let rows = sqlx::query("SELECT id, weight, progress FROM key_results WHERE objective_id = $1")
        .bind(objective.0)
        .fetch_all(&mut **tx)
        .await?;
    let inputs = rows
        .iter()
        .map(|row| {
            Ok(Contribution {
                source: Source::KeyResult(KeyResultId(row.try_get("id")?)),
                weight: row.try_get("weight")?,
                progress: rows::progress(row.try_get("progress")?)?,
                origin: Origin::Entered,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    let progress = Rollup::of(inputs).progress;
    sqlx::query("UPDATE objectives SET progress = $1 WHERE id = $2")
        .bind(progress.ratio())
        .bind(objective.0)
        .execute(&mut **tx)
        .await?;
    Ok(progress)
}
