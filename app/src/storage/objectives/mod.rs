//! Objectives: create, edit (version-checked), read.
//!
//! Beside it: saving from the editor (`editing`), re-aligning (`alignment`),
//! grading and closing (`grading`) and what the editor offers (`choices`).

pub mod alignment;
pub mod choices;
pub mod editing;
pub mod grading;

use cairn::Progress;
use cairn::alignment::Parent;
use cairn::audit::{Action, Entity};
use cairn::grading::Commitment;
use cairn::ids::{ObjectiveId, PeriodId, PersonId};
use cairn::model::{Objective, ObjectiveState, Owner};
use cairn::values::{LongText, Title, Weight};
use sqlx::{Any, Transaction};

use crate::storage::changes::{Change, claim, json, record};
use crate::storage::objectives::alignment::link_checked;
use crate::storage::org::exists;
use crate::storage::rows::{self, OBJECTIVE_COLUMNS};
use crate::storage::{Db, StorageError, periods};

pub struct NewObjective {
    pub period: PeriodId,
    pub owner: Owner,
    pub title: Title,
    pub description: Option<LongText>,
    pub commitment: Commitment,
    pub state: ObjectiveState,
    pub weight: Weight,
    /// Aligns the new objective at once (its primary link).
    pub parent: Option<Parent>,
}

pub async fn create_objective(
    db: &Db,
    actor: Option<PersonId>,
    new: NewObjective,
) -> Result<Objective, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    open_period(&mut tx, new.period).await?;
    match new.owner {
        Owner::Unit(unit) => exists(&mut tx, "org_units", unit.0).await?,
        Owner::Person(person) => exists(&mut tx, "people", person.0).await?,
    }
    let position: i64 = sqlx::query_scalar(
        "SELECT coalesce(max(position), 0) + 1 FROM objectives WHERE period_id = $1",
    )
    .bind(new.period.0)
    .fetch_one(&mut *tx)
    .await?;
    let (unit, person) = owner_columns(new.owner);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO objectives (period_id, owner_unit_id, owner_person_id, title, description, commitment, state, \
         weight, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(new.period.0)
    .bind(unit)
    .bind(person)
    .bind(new.title.as_str())
    .bind(new.description.as_ref().map(LongText::as_str))
    .bind(new.commitment.as_str())
    .bind(new.state.as_str())
    .bind(new.weight.get())
    .bind(position)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let objective = Objective {
        id: ObjectiveId(id),
        period: new.period,
        owner: new.owner,
        title: new.title,
        description: new.description,
        commitment: new.commitment,
        state: new.state,
        weight: new.weight,
        position,
        progress: Progress::ZERO,
        grade: None,
        version: 1,
    };
    if let Some(parent) = new.parent {
        link_checked(&mut tx, objective.id, new.period, parent, at).await?;
    }
    let change = Change::created(
        actor,
        Action::ObjectiveCreate,
        Entity::Objective,
        id,
        &objective,
        Some(crate::live::LiveChange::Objective {
            objective: id,
            period: new.period.0,
            version: 1,
        }),
    )?;
    record(&mut tx, at, change).await?;
    tx.commit().await?;
    db.committed();
    Ok(objective)
}

/// What an edit may change; fields left None stay as they are.
#[derive(Default)]
pub struct ObjectiveEdit {
    pub title: Option<Title>,
    pub description: Option<Option<LongText>>,
    pub commitment: Option<Commitment>,
    pub state: Option<ObjectiveState>,
    pub weight: Option<Weight>,
}

/// Applies an edit made on `expected_version`; a newer version means someone else
/// changed the objective meanwhile, and nothing is written.
pub async fn update_objective(
    db: &Db,
    actor: Option<PersonId>,
    id: ObjectiveId,
    expected_version: i64,
    edit: ObjectiveEdit,
) -> Result<Objective, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let before = load_for_change(&mut tx, id, expected_version).await?;
    let after = Objective {
        title: edit.title.unwrap_or_else(|| before.title.clone()),
        description: edit
            .description
            .unwrap_or_else(|| before.description.clone()),
        commitment: edit.commitment.unwrap_or(before.commitment),
        state: edit.state.unwrap_or(before.state),
        weight: edit.weight.unwrap_or(before.weight),
        version: before.version + 1,
        ..before.clone()
    };
    sqlx::query(
        "UPDATE objectives SET title = $1, description = $2, commitment = $3, state = $4, weight = $5, \
         updated_at = $6 WHERE id = $7",
    )
    .bind(after.title.as_str())
    .bind(after.description.as_ref().map(LongText::as_str))
    .bind(after.commitment.as_str())
    .bind(after.state.as_str())
    .bind(after.weight.get())
    .bind(at)
    .bind(id.0)
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        at,
        Change {
            actor,
            action: Action::ObjectiveUpdate,
            entity: Entity::Objective,
            entity_id: id.0,
            before: Some(json(&before)?),
            after: Some(json(&after)?),
            live: Some(crate::live::LiveChange::Objective {
                objective: id.0,
                period: after.period.0,
                version: after.version,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    db.committed();
    Ok(after)
}

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

fn owner_columns(owner: Owner) -> (Option<i64>, Option<i64>) {
    match owner {
        Owner::Unit(unit) => (Some(unit.0), None),
        Owner::Person(person) => (None, Some(person.0)),
    }
}
