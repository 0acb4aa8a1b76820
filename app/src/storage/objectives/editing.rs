//! Saving an objective from the editor: the objective, its key results with their
//! milestones, and its initiatives, created or changed together in one transaction
//! with one audit row and one live event.

use cairn::alignment::Parent;
use cairn::audit::{Action, Entity};
use cairn::draft::{ValidKeyResult, ValidObjective};
use cairn::ids::{KeyResultId, MilestoneId, ObjectiveId, PeriodId, PersonId};
use cairn::key_result::{Measure, MilestoneState, Reading, key_result_progress};
use cairn::model::Owner;
use cairn::values::{Value, Weight};
use sqlx::{Any, Row, Transaction};

use crate::live::LiveChange;
use crate::storage::changes::{Change, json, record};
use crate::storage::key_results::refresh_objective_progress;
use crate::storage::nullable::NullableF64;
use crate::storage::objectives::alignment::link_checked;
use crate::storage::objectives::{load_for_change, open_period};
use crate::storage::org::exists;
use crate::storage::{Db, StorageError};

/// Where the objective goes: a new one, or a stored one as it was read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placement {
    New {
        period: PeriodId,
        owner: Owner,
        parent: Option<Parent>,
    },
    Existing {
        id: ObjectiveId,
        version: i64,
    },
}

/// What was saved: the objective and its new version.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Saved {
    pub objective: ObjectiveId,
    pub version: i64,
}

pub async fn save_objective(
    db: &Db,
    actor: Option<PersonId>,
    placement: Placement,
    valid: &ValidObjective,
) -> Result<Saved, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let saved = save_in(&mut tx, actor, placement, valid, at).await?;
    tx.commit().await?;
    db.committed();
    Ok(saved)
}

/// Saves an objective inside the caller's transaction (several at once, all or
/// nothing: the spreadsheet importer).
pub(crate) async fn save_in(
    tx: &mut Transaction<'static, Any>,
    actor: Option<PersonId>,
    placement: Placement,
    valid: &ValidObjective,
    at: i64,
) -> Result<Saved, StorageError> {
    let (saved, period, action, before) = match placement {
        Placement::New {
            period,
            owner,
            parent,
        } => {
            let id = insert_objective(tx, period, owner, valid, at).await?;
            if let Some(parent) = parent {
                link_checked(tx, id, period, parent, at).await?;
            }
            let saved = Saved {
                objective: id,
                version: 1,
            };
            (saved, period, Action::ObjectiveCreate, None)
        }
        Placement::Existing { id, version } => {
            // Claimed at `version` (a second save made on the same version loses
            // here, whoever commits first).
            let before = load_for_change(tx, id, version).await?;
            sqlx::query(
                "UPDATE objectives SET title = $1, description = $2, commitment = $3, state = $4, weight = $5, \
                 updated_at = $6 WHERE id = $7",
            )
            .bind(valid.title.as_str())
            .bind(valid.description.as_ref().map(|d| d.as_str()))
            .bind(valid.commitment.as_str())
            .bind(valid.state.as_str())
            .bind(valid.weight.get())
            .bind(at)
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
            let saved = Saved {
                objective: id,
                version: version + 1,
            };
            (
                saved,
                before.period,
                Action::ObjectiveUpdate,
                Some(json(&before)?),
            )
        }
    };
    save_key_results(tx, saved.objective, &valid.key_results, at).await?;
    save_initiatives(tx, saved.objective, &valid.initiatives).await?;
    refresh_objective_progress(tx, saved.objective).await?;
    let after = serde_json::json!({
        "title": valid.title.as_str(),
        "commitment": valid.commitment.as_str(),
        "state": valid.state.as_str(),
        "weight": valid.weight.get(),
        "key_results": valid.key_results.iter().map(|k| k.title.as_str()).collect::<Vec<_>>(),
        "initiatives": valid.initiatives.iter().map(|i| i.as_str()).collect::<Vec<_>>(),
    });
    record(
        tx,
        at,
        Change {
            actor,
            action,
            entity: Entity::Objective,
            entity_id: saved.objective.0,
            before,
            after: Some(json(&after)?),
            live: Some(LiveChange::Objective {
                objective: saved.objective.0,
                period: period.0,
                version: saved.version,
            }),
        },
    )
    .await?;
    Ok(saved)
}

async fn insert_objective(
    tx: &mut Transaction<'static, Any>,
    period: PeriodId,
    owner: Owner,
    valid: &ValidObjective,
    at: i64,
) -> Result<ObjectiveId, StorageError> {
    open_period(tx, period).await?;
    let (unit, person) = match owner {
        Owner::Unit(unit) => {
            exists(tx, "org_units", unit.0).await?;
            (Some(unit.0), None)
        }
        Owner::Person(person) => {
            exists(tx, "people", person.0).await?;
            (None, Some(person.0))
        }
    };
    let position: i64 = sqlx::query_scalar(
        "SELECT coalesce(max(position), 0) + $2 FROM objectives WHERE period_id = $1",
    )
    .bind(period.0)
    .bind(crate::storage::objectives::alignment::POSITION_GAP)
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO objectives (period_id, owner_unit_id, owner_person_id, title, description, commitment, state, \
         weight, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(period.0)
    .bind(unit)
    .bind(person)
    .bind(valid.title.as_str())
    .bind(valid.description.as_ref().map(|d| d.as_str()))
    .bind(valid.commitment.as_str())
    .bind(valid.state.as_str())
    .bind(valid.weight.get())
    .bind(position)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(ObjectiveId(id))
}

/// A stored key result as the editor may change it.
struct StoredKeyResult {
    id: i64,
    kind: String,
    notation: Option<String>,
    current: Option<f64>,
    owner: Option<i64>,
}

async fn save_key_results(
    tx: &mut Transaction<'static, Any>,
    objective: ObjectiveId,
    wanted: &[ValidKeyResult],
    at: i64,
) -> Result<(), StorageError> {
    let stored = sqlx::query(
        "SELECT id, kind, notation, current_value, owner_person_id FROM key_results WHERE objective_id = $1",
    )
    .bind(objective.0)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|row| {
        Ok(StoredKeyResult {
            id: row.try_get("id")?,
            kind: row.try_get("kind")?,
            notation: row.try_get("notation")?,
            current: row.try_get::<Option<f64>, _>("current_value")?,
            owner: row.try_get::<Option<i64>, _>("owner_person_id")?,
        })
    })
    .collect::<Result<Vec<_>, StorageError>>()?;
    // Ids must be this objective's own: anything else is someone else's row.
    for kr in wanted {
        if let Some(id) = kr.id
            && !stored.iter().any(|s| s.id == id)
        {
            return Err(StorageError::not_found("key_results", id));
        }
    }
    check_owners(tx, &stored, wanted).await?;
    for gone in stored
        .iter()
        .filter(|s| !wanted.iter().any(|w| w.id == Some(s.id)))
    {
        sqlx::query("DELETE FROM key_results WHERE id = $1")
            .bind(gone.id)
            .execute(&mut **tx)
            .await?;
    }
    for (position, kr) in wanted.iter().enumerate() {
        let columns = crate::storage::MeasureColumns::of(&kr.measure);
        let id = match kr.id.and_then(|id| stored.iter().find(|s| s.id == id)) {
            Some(existing) => {
                if (existing.kind.as_str(), existing.notation.as_deref())
                    != (columns.kind, columns.notation)
                {
                    return Err(cairn::rules::Rule::KindFixed.into());
                }
                sqlx::query(
                    "UPDATE key_results SET title = $1, direction = $2, start_value = $3, target_value = $4, \
                     unit_label = $5, weight = $6, position = $7, version = version + 1, updated_at = $8, \
                     owner_person_id = $10, due_on = $11 WHERE id = $9",
                )
                .bind(kr.title.as_str())
                .bind(columns.direction)
                .bind(NullableF64(columns.start))
                .bind(NullableF64(columns.target))
                .bind(columns.unit)
                .bind(kr.weight.get())
                .bind(position as i64)
                .bind(at)
                .bind(existing.id)
                .bind(kr.owner.map(|p| p.0))
                .bind(kr.due.map(|d| d.to_string()))
                .execute(&mut **tx)
                .await?;
                existing.id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO key_results (objective_id, title, kind, direction, start_value, target_value, \
                     unit_label, weight, position, created_at, updated_at, owner_person_id, due_on, notation) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13) RETURNING id",
                )
                .bind(objective.0)
                .bind(kr.title.as_str())
                .bind(columns.kind)
                .bind(columns.direction)
                .bind(NullableF64(columns.start))
                .bind(NullableF64(columns.target))
                .bind(columns.unit)
                .bind(kr.weight.get())
                .bind(position as i64)
                .bind(at)
                .bind(kr.owner.map(|p| p.0))
                .bind(kr.due.map(|d| d.to_string()))
                .bind(columns.notation)
                .fetch_one(&mut **tx)
                .await?
            }
        };
        let reading = match &kr.measure {
            Measure::Milestones => Some(Reading::Milestones(
                save_milestones(tx, KeyResultId(id), &kr.milestones).await?,
            )),
            Measure::Metric { .. } | Measure::Duration { .. } => {
                let current = stored.iter().find(|s| s.id == id).and_then(|s| s.current);
                current
                    .map(Value::parse)
                    .transpose()
                    .map_err(StorageError::corrupt)?
                    .map(Reading::Metric)
            }
            Measure::Binary => {
                let current = stored.iter().find(|s| s.id == id).and_then(|s| s.current);
                current.map(|v| Reading::Binary(v >= 1.0))
            }
        };
        let progress = key_result_progress(&kr.measure, reading.as_ref());
        sqlx::query("UPDATE key_results SET progress = $1 WHERE id = $2")
            .bind(progress.ratio())
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Every owner a key result is given must be an active person; one it already has
/// may stay (a person who left does not block editing the rest).
async fn check_owners(
    tx: &mut Transaction<'static, Any>,
    stored: &[StoredKeyResult],
    wanted: &[ValidKeyResult],
) -> Result<(), StorageError> {
    let mut given: Vec<i64> = wanted
        .iter()
        .filter_map(|kr| {
            let owner = kr.owner?.0;
            let kept = kr
                .id
                .and_then(|id| stored.iter().find(|s| s.id == id))
                .is_some_and(|s| s.owner == Some(owner));
            (!kept).then_some(owner)
        })
        .collect();
    given.sort_unstable();
    given.dedup();
    if given.is_empty() {
        return Ok(());
    }
    // Ids are numbers, validated as such, so writing them into the query is safe.
    let list = given
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let active: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM people WHERE active = 1 AND id IN ({list})"
    ))
    .fetch_one(&mut **tx)
    .await?;
    if active as usize == given.len() {
        Ok(())
    } else {
        Err(cairn::rules::Rule::OwnerNotActive.into())
    }
}

/// Keeps, renames, adds and removes a key result's milestones; returns their state.
async fn save_milestones(
    tx: &mut Transaction<'static, Any>,
    key_result: KeyResultId,
    wanted: &[(Option<i64>, cairn::values::Title)],
) -> Result<Vec<MilestoneState>, StorageError> {
    let stored: Vec<(i64, f64, Option<i64>)> =
        sqlx::query("SELECT id, weight, done_at FROM milestones WHERE key_result_id = $1")
            .bind(key_result.0)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|row| {
                Ok((
                    row.try_get("id")?,
                    row.try_get("weight")?,
                    row.try_get("done_at")?,
                ))
            })
            .collect::<Result<_, StorageError>>()?;
    for (id, _) in wanted {
        if let Some(id) = id
            && !stored.iter().any(|s| s.0 == *id)
        {
            return Err(StorageError::not_found("milestones", *id));
        }
    }
    for gone in stored
        .iter()
        .filter(|s| !wanted.iter().any(|w| w.0 == Some(s.0)))
    {
        sqlx::query("DELETE FROM milestones WHERE id = $1")
            .bind(gone.0)
            .execute(&mut **tx)
            .await?;
    }
    let mut states = Vec::new();
    for (position, (id, title)) in wanted.iter().enumerate() {
        let state = match id.and_then(|id| stored.iter().find(|s| s.0 == id)) {
            Some(&(id, weight, done_at)) => {
                sqlx::query("UPDATE milestones SET title = $1, position = $2 WHERE id = $3")
                    .bind(title.as_str())
                    .bind(position as i64)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                (id, weight, done_at.is_some())
            }
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO milestones (key_result_id, title, weight, position) VALUES ($1, $2, 1, $3) RETURNING id",
                )
                .bind(key_result.0)
                .bind(title.as_str())
                .bind(position as i64)
                .fetch_one(&mut **tx)
                .await?;
                (id, 1.0, false)
            }
        };
        states.push(MilestoneState {
            id: MilestoneId(state.0),
            weight: Weight::parse(state.1).map_err(StorageError::corrupt)?,
            done: state.2,
        });
    }
    Ok(states)
}

/// Replaces the initiatives, keeping the done mark of those whose title stays.
async fn save_initiatives(
    tx: &mut Transaction<'static, Any>,
    objective: ObjectiveId,
    wanted: &[cairn::values::Title],
) -> Result<(), StorageError> {
    let stored: Vec<(i64, String)> =
        sqlx::query("SELECT id, title FROM initiatives WHERE objective_id = $1")
            .bind(objective.0)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|row| Ok((row.try_get("id")?, row.try_get("title")?)))
            .collect::<Result<_, StorageError>>()?;
    let mut kept = Vec::new();
    for (position, title) in wanted.iter().enumerate() {
        match stored
            .iter()
            .find(|(id, t)| t == title.as_str() && !kept.contains(id))
        {
            Some((id, _)) => {
                kept.push(*id);
                sqlx::query("UPDATE initiatives SET position = $1 WHERE id = $2")
                    .bind(position as i64)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
            }
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO initiatives (objective_id, title, position) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(objective.0)
                .bind(title.as_str())
                .bind(position as i64)
                .fetch_one(&mut **tx)
                .await?;
                kept.push(id);
            }
        }
    }
    for (id, _) in stored.iter().filter(|(id, _)| !kept.contains(id)) {
        sqlx::query("DELETE FROM initiatives WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
