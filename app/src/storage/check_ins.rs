//! Check-ins: the weekly heartbeat of a key result.

use cairn::Progress;
use cairn::ids::{CheckInId, KeyResultId, MilestoneId, ObjectiveId, PersonId};
use cairn::key_result::{MilestoneState, Reading, key_result_progress};
use cairn::model::{CheckIn, Source};
use cairn::values::{Confidence, LongText, Value, Weight};
use sqlx::Row;

use super::changes::{Change, json, record};
use super::db::now_ms;
use super::key_results::refresh_objective_progress;
use super::nullable::NullableF64;
use super::objectives::open_period;
use super::rows::{self, KEY_RESULT_COLUMNS};
use super::{Db, StorageError};

pub struct NewCheckIn {
    pub key_result: KeyResultId,
    pub author: Option<PersonId>,
    /// For milestone key results, the milestones done (their weights are read from
    /// the database; the ones given here are ignored).
    pub reading: Reading,
    pub confidence: Confidence,
    pub note: Option<LongText>,
    pub source: Source,
}

/// What a check-in changed.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInReceipt {
    pub check_in: CheckInId,
    pub key_result_progress: Progress,
    pub objective: ObjectiveId,
    pub objective_progress: Progress,
    /// The live event telling open browsers.
    pub event: i64,
}

/// Records a check-in and everything it moves, in one transaction: the check-in,
/// the key result's cached reading, the objective's roll-up, the audit trail and
/// the live event.
pub async fn record_check_in(db: &Db, new: NewCheckIn) -> Result<CheckInReceipt, StorageError> {
    let at = now_ms();
    let mut tx = db.writer().begin().await?;
    let row = sqlx::query(&format!(
        "SELECT {KEY_RESULT_COLUMNS}, o.period_id FROM key_results k JOIN objectives o ON o.id = k.objective_id WHERE k.id = $1"
    ))
    .bind(new.key_result.0)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StorageError::not_found("key_results", new.key_result.0))?;
    let before = rows::key_result(&row)?;
    open_period(&mut tx, cairn::ids::PeriodId(row.try_get("period_id")?)).await?;

    let (reading, value, milestones_done) = match (&before.measure, new.reading) {
        (cairn::key_result::Measure::Metric { .. }, Reading::Metric(v)) => {
            (Reading::Metric(v), Some(v.get()), None)
        }
        (cairn::key_result::Measure::Binary, Reading::Binary(done)) => (
            Reading::Binary(done),
            Some(if done { 1.0 } else { 0.0 }),
            None,
        ),
        (cairn::key_result::Measure::Milestones, Reading::Milestones(given)) => {
            let states = milestone_states(&mut tx, new.key_result, &given).await?;
            let done: Vec<i64> = states.iter().filter(|m| m.done).map(|m| m.id.0).collect();
            (Reading::Milestones(states), None, Some(json(&done)?))
        }
        _ => {
            return Err(StorageError::rule(
                "the check-in does not match the key result's kind",
            ));
        }
    };
    let progress = key_result_progress(&before.measure, Some(&reading));

    let id: i64 = sqlx::query_scalar(
        "INSERT INTO check_ins (key_result_id, author_id, at, value, milestones_done, confidence, note, source) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(new.key_result.0)
    .bind(new.author.map(|p| p.0))
    .bind(at)
    .bind(NullableF64(value))
    .bind(milestones_done)
    .bind(i64::from(new.confidence))
    .bind(new.note.as_ref().map(LongText::as_str))
    .bind(new.source.as_str())
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE key_results SET current_value = $1, progress = $2, confidence = $3, last_check_in_at = $4, \
         updated_at = $4, version = version + 1 WHERE id = $5",
    )
    .bind(NullableF64(value))
    .bind(progress.ratio())
    .bind(i64::from(new.confidence))
    .bind(at)
    .bind(new.key_result.0)
    .execute(&mut *tx)
    .await?;
    if let Reading::Milestones(states) = &reading {
        for m in states {
            sqlx::query(
                "UPDATE milestones SET done_at = CASE WHEN $1 = 1 THEN coalesce(done_at, $2) ELSE NULL END WHERE id = $3",
            )
            .bind(i64::from(m.done))
            .bind(at)
            .bind(m.id.0)
            .execute(&mut *tx)
            .await?;
        }
    }
    let objective_progress = refresh_objective_progress(&mut tx, before.objective).await?;
    let payload = serde_json::json!({
        "key_result": new.key_result.0,
        "objective": before.objective.0,
        "progress": progress.ratio(),
        "objective_progress": objective_progress.ratio(),
        "confidence": new.confidence.get(),
        "value": value,
        "check_in": id,
    });
    let event = record(
        &mut tx,
        at,
        Change {
            actor: new.author,
            action: "check_in.create",
            entity: "key_results",
            entity_id: new.key_result.0,
            before: Some(json(&serde_json::json!({ "progress": before.progress.ratio(), "value": before.reading }))?),
            after: Some(payload.to_string()),
            live: Some(payload.to_string()),
        },
    )
    .await?
    .unwrap_or_default();
    tx.commit().await?;
    Ok(CheckInReceipt {
        check_in: CheckInId(id),
        key_result_progress: progress,
        objective: before.objective,
        objective_progress,
        event,
    })
}

/// The key result's milestones with `given` marking which are done; an id that is
/// not one of them is refused.
async fn milestone_states(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key_result: KeyResultId,
    given: &[MilestoneState],
) -> Result<Vec<MilestoneState>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, weight FROM milestones WHERE key_result_id = $1 ORDER BY position, id",
    )
    .bind(key_result.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut states = rows
        .iter()
        .map(|row| {
            Ok(MilestoneState {
                id: MilestoneId(row.try_get("id")?),
                weight: Weight::parse(row.try_get("weight")?).map_err(StorageError::corrupt)?,
                done: false,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    for g in given.iter().filter(|g| g.done) {
        let state = states.iter_mut().find(|s| s.id == g.id).ok_or_else(|| {
            StorageError::rule(format!("milestone {} is not part of this key result", g.id))
        })?;
        state.done = true;
    }
    Ok(states)
}

/// Every check-in of a key result, oldest first.
pub async fn history(db: &Db, key_result: KeyResultId) -> Result<Vec<CheckIn>, StorageError> {
    let kr = super::key_results::key_result(db, key_result).await?;
    let rows = sqlx::query(
        "SELECT id, author_id, at, value, milestones_done, confidence, note, source FROM check_ins \
         WHERE key_result_id = $1 ORDER BY at, id",
    )
    .bind(key_result.0)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| {
            let source: String = row.try_get("source")?;
            let reading = match row.try_get::<Option<String>, _>("milestones_done")? {
                Some(done) => {
                    let ids: Vec<i64> =
                        serde_json::from_str(&done).map_err(StorageError::corrupt)?;
                    Reading::Milestones(
                        ids.into_iter()
                            .map(|id| MilestoneState {
                                id: MilestoneId(id),
                                weight: Weight::ONE,
                                done: true,
                            })
                            .collect(),
                    )
                }
                None => rows::cached_reading(&kr.measure, row.try_get("value")?)?.unwrap_or(
                    Reading::Metric(Value::parse(0.0).map_err(StorageError::corrupt)?),
                ),
            };
            Ok(CheckIn {
                id: CheckInId(row.try_get("id")?),
                key_result,
                author: row.try_get::<Option<i64>, _>("author_id")?.map(PersonId),
                at_ms: row.try_get("at")?,
                reading,
                confidence: Confidence::parse(row.try_get("confidence")?)
                    .map_err(StorageError::corrupt)?,
                note: row
                    .try_get::<Option<String>, _>("note")?
                    .map(|n| LongText::parse(&n).map_err(StorageError::corrupt))
                    .transpose()?,
                source: Source::parse(&source)
                    .ok_or_else(|| StorageError::corrupt(format!("source {source}")))?,
            })
        })
        .collect()
}
