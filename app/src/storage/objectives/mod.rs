//! Objectives: create, edit (version-checked), read.
//!
//! Beside it: saving from the editor (`editing`), re-aligning (`alignment`),
//! grading and closing (`grading`), what the editor offers (`choices`) and
//! deleting (`removal`).

pub mod alignment;
pub mod carry;
pub mod choices;
pub mod editing;
pub mod grading;
pub mod removal;

use cairn::ids::{ObjectiveId, PeriodId};
use cairn::model::Objective;
use sqlx::{Any, Transaction};

use crate::storage::changes::claim;
use crate::storage::rows::{self, OBJECTIVE_COLUMNS};
use crate::storage::{Db, StorageError, periods};

pub async fn objective(db: &Db, id: ObjectiveId) -> Result<Objective, StorageError> {
    let row = sqlx::query(&format!(
        "SELECT {OBJECTIVE_COLUMNS} FROM objectives o WHERE o.id = $1"
    ))
    .bind(id.0)
    .fetch_optional(db.reader())
    .await?
    .ok_or(StorageError::not_found("objectives", id.0))?;
    rows::objective(&row)
}

pub(crate) async fn load(
    tx: &mut Transaction<'static, Any>,
    id: ObjectiveId,
) -> Result<Objective, StorageError> {
    let row = sqlx::query(&format!(
        "SELECT {OBJECTIVE_COLUMNS} FROM objectives o WHERE o.id = $1"
    ))
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StorageError::not_found("objectives", id.0))?;
    rows::objective(&row)
}

/// Claims the objective for a change (see `changes::claim`): it must still be at
/// `expected_version`, and its period must be open. Returns it as it was before
/// the change, at `expected_version`; its stored version is already one more.
pub(crate) async fn load_for_change(
    tx: &mut Transaction<'static, Any>,
    id: ObjectiveId,
    expected_version: i64,
) -> Result<Objective, StorageError> {
    claim(tx, "objectives", id.0, expected_version).await?;
    let mut current = load(tx, id).await?;
    current.version = expected_version;
    open_period(tx, current.period).await?;
    Ok(current)
}

/// Fails unless the period exists and is not closed.
pub(crate) async fn open_period(
    tx: &mut Transaction<'static, Any>,
    id: PeriodId,
) -> Result<(), StorageError> {
    let period = periods::period_in(tx, id).await?;
    if period.state.is_open() {
        Ok(())
    } else {
        Err(StorageError::ClosedPeriod)
    }
}
