//! Key results and their milestones.
//!
//! Beside it: check-ins (`check_ins`), the writes that move a key result, and
//! their group commit (`batches`); one's newest check-in corrected or deleted
//! (`amend`).

pub mod amend;
mod batches;
pub mod check_ins;

pub(crate) use batches::Queue as CheckInQueue;

use cairn::Progress;
use cairn::ids::{KeyResultId, MilestoneId, ObjectiveId};
use cairn::model::{KeyResult, Milestone};
use cairn::rollup::{Contribution, Origin, Rollup, Source};
use cairn::values::{Title, Weight};
use sqlx::{Any, Row, Transaction};

use crate::storage::rows::{self, KEY_RESULT_COLUMNS};
use crate::storage::{Db, StorageError};

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
    rows.iter().map(milestone_row).collect()
}

/// A milestone from its row (id, key_result_id, title, weight, position, done_at).
pub(crate) fn milestone_row(row: &sqlx::any::AnyRow) -> Result<Milestone, StorageError> {
    Ok(Milestone {
        id: MilestoneId(row.try_get("id")?),
        key_result: KeyResultId(row.try_get("key_result_id")?),
        title: Title::parse(row.try_get("title")?).map_err(StorageError::corrupt)?,
        weight: Weight::parse(row.try_get("weight")?).map_err(StorageError::corrupt)?,
        position: row.try_get("position")?,
        done_at_ms: row.try_get("done_at")?,
    })
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
