//! Taking back one's own newest check-in: corrected, or deleted so that the check-in
//! before it counts again. Audited like every change; the key result's reading and
//! its objective's roll-up follow in the same transaction.

use cairn::Progress;
use cairn::audit::{Action, Entity};
use cairn::ids::{CheckInId, KeyResultId, MilestoneId, ObjectiveId, PersonId};
use cairn::key_result::{Measure, MilestoneState, Reading, key_result_progress};
use cairn::period::PeriodState;
use cairn::rules::Rule;
use cairn::values::{Confidence, LongText, Weight};
use sqlx::{AnyConnection, Row};

use super::check_ins::milestone_states;
use crate::live::{CheckInChange, LiveChange};
use crate::storage::changes::{Change, json, record};
use crate::storage::db::Backend;
use crate::storage::nullable::NullableF64;
use crate::storage::rows::{self, KEY_RESULT_COLUMNS};
use crate::storage::{Db, StorageError};

/// What becomes of a check-in.
#[derive(Debug, Clone, PartialEq)]
pub enum Amendment {
    /// The reading, confidence and note it should have had. For milestone key
    /// results, the milestones done (weights are read from the database).
    Correct {
        reading: Reading,
        confidence: Confidence,
        note: Option<LongText>,
    },
    /// Gone: the check-in before it is the key result's latest again.
    Delete,
}

/// What an amendment changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Amended {
    pub key_result: KeyResultId,
    pub objective: ObjectiveId,
    pub key_result_progress: Progress,
    pub objective_progress: Progress,
}

/// A check-in as stored, as far as an amendment needs it.
#[derive(Debug, Clone, serde::Serialize)]
struct Stored {
    id: i64,
    at: i64,
    author: Option<i64>,
    value: Option<f64>,
    milestones: Option<Vec<i64>>,
    confidence: i64,
    note: Option<String>,
}

impl Stored {
    fn of(row: &sqlx::any::AnyRow) -> Result<Stored, StorageError> {
        Ok(Stored {
            id: row.try_get("id")?,
            at: row.try_get("at")?,
            author: row.try_get("author_id")?,
            value: row.try_get("value")?,
            milestones: row
                .try_get::<Option<String>, _>("milestones_done")?
                .map(|done| serde_json::from_str(&done).map_err(StorageError::corrupt))
                .transpose()?,
            confidence: row.try_get("confidence")?,
            note: row.try_get("note")?,
        })
    }
}

/// Corrects or deletes `check_in` for `actor`, who must have made it; it must be
/// its key result's newest, in a period still open for check-ins.
pub async fn amend_check_in(
    db: &Db,
    check_in: CheckInId,
    actor: PersonId,
    amendment: Amendment,
) -> Result<Amended, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let key_result: i64 = sqlx::query_scalar("SELECT key_result_id FROM check_ins WHERE id = $1")
        .bind(check_in.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StorageError::not_found("check_ins", check_in.0))?;
    // Locked as a check-in locks it: a check-in arriving meanwhile waits, so the
    // one amended stays the newest until this commits.
    let lock = match db.backend() {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE OF k",
    };
    let row = sqlx::query(&format!(
        "SELECT {KEY_RESULT_COLUMNS}, p.state FROM key_results k JOIN objectives o ON o.id = k.objective_id \
         JOIN periods p ON p.id = o.period_id WHERE k.id = $1{lock}"
    ))
    .bind(key_result)
    .fetch_one(&mut *tx)
    .await?;
    match PeriodState::parse(&row.try_get::<String, _>("state")?) {
        Some(PeriodState::Planning | PeriodState::Active) => {}
        Some(PeriodState::Grading) => return Err(Rule::CheckInWhileGrading.into()),
        _ => return Err(StorageError::ClosedPeriod),
    }
    let kr = rows::key_result(&row)?;
    let newest = sqlx::query(
        "SELECT id, at, author_id, value, milestones_done, confidence, note FROM check_ins \
         WHERE key_result_id = $1 ORDER BY at DESC, id DESC LIMIT 2",
    )
    .bind(key_result)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(Stored::of)
    .collect::<Result<Vec<_>, _>>()?;
    let [amended, before @ ..] = newest.as_slice() else {
        return Err(StorageError::not_found("check_ins", check_in.0));
    };
    if amended.id != check_in.0 {
        return Err(Rule::NotNewestCheckIn.into());
    }
    if amended.author != Some(actor.0) {
        return Err(Rule::NotYourCheckIn.into());
    }

    // The state the key result is left in: the corrected check-in, or the one before.
    let (action, latest) = match &amendment {
        Amendment::Correct {
            reading,
            confidence,
            note,
        } => {
            let (value, milestones) = stored_reading(&mut tx, &kr.measure, kr.id, reading).await?;
            let corrected = Stored {
                value,
                milestones,
                confidence: i64::from(*confidence),
                note: note.as_ref().map(|n| n.as_str().to_string()),
                ..amended.clone()
            };
            sqlx::query(
                "UPDATE check_ins SET value = $1, milestones_done = $2, confidence = $3, note = $4 WHERE id = $5",
            )
            .bind(NullableF64(corrected.value))
            .bind(corrected.milestones.as_ref().map(json).transpose()?)
            .bind(corrected.confidence)
            .bind(corrected.note.as_deref())
            .bind(corrected.id)
            .execute(&mut *tx)
            .await?;
            (Action::CheckInCorrect, Some(corrected))
        }
        Amendment::Delete => {
            sqlx::query("DELETE FROM check_ins WHERE id = $1")
                .bind(amended.id)
                .execute(&mut *tx)
                .await?;
            (Action::CheckInDelete, before.first().cloned())
        }
    };
    let progress = settle(&mut tx, &kr.measure, kr.id, latest.as_ref(), at).await?;
    let objective_progress = super::refresh_objective_progress(&mut tx, kr.objective).await?;
    let live = LiveChange::CheckIn(CheckInChange {
        key_result: kr.id.0,
        objective: kr.objective.0,
        progress: progress.ratio(),
        objective_progress: objective_progress.ratio(),
        confidence: latest
            .as_ref()
            .map_or(0, |c| u8::try_from(c.confidence).unwrap_or(0)),
        value: latest.as_ref().and_then(|c| c.value),
        check_in: None,
        withdrawn: matches!(amendment, Amendment::Delete).then_some(amended.id),
    });
    let after = match action {
        Action::CheckInDelete => None,
        _ => Some(json(&latest)?),
    };
    record(
        &mut tx,
        at,
        Change {
            actor: Some(actor),
            action,
            entity: Entity::KeyResult,
            entity_id: kr.id.0,
            before: Some(json(amended)?),
            after,
            live: Some(live),
        },
    )
    .await?;
    tx.commit().await?;
    db.committed();
    crate::storage::webhooks::wake();
    Ok(Amended {
        key_result: kr.id,
        objective: kr.objective,
        key_result_progress: progress,
        objective_progress,
    })
}

/// A reading as the check-ins table stores it (value, milestones done), refused
/// when it is not of the key result's kind or names another key result's milestone.
async fn stored_reading(
    conn: &mut AnyConnection,
    measure: &Measure,
    key_result: KeyResultId,
    reading: &Reading,
) -> Result<(Option<f64>, Option<Vec<i64>>), StorageError> {
    Ok(match (measure, reading) {
        (Measure::Metric { .. } | Measure::Duration { .. }, Reading::Metric(v)) => {
            (Some(v.get()), None)
        }
        (Measure::Binary, Reading::Binary(done)) => (Some(if *done { 1.0 } else { 0.0 }), None),
        (Measure::Milestones, Reading::Milestones(given)) => {
            let states = milestone_states(conn, key_result, given).await?;
            let done = states.iter().filter(|m| m.done).map(|m| m.id.0).collect();
            (None, Some(done))
        }
        _ => return Err(Rule::ReadingKind.into()),
    })
}

/// Leaves the key result as `latest` says (no check-in: as if never checked in)
/// and returns its progress.
async fn settle(
    conn: &mut AnyConnection,
    measure: &Measure,
    key_result: KeyResultId,
    latest: Option<&Stored>,
    at: i64,
) -> Result<Progress, StorageError> {
    let reading = match measure {
        Measure::Milestones => {
            let done = latest
                .and_then(|c| c.milestones.clone())
                .unwrap_or_default();
            let done_at = latest.map_or(at, |c| c.at);
            Some(Reading::Milestones(
                mark_milestones(conn, key_result, &done, done_at).await?,
            ))
        }
        _ => rows::cached_reading(measure, latest.and_then(|c| c.value))?,
    };
    let progress = key_result_progress(measure, reading.as_ref());
    sqlx::query(
        "UPDATE key_results SET current_value = $1, progress = $2, confidence = $3, \
         last_check_in_at = $4, updated_at = $5, version = version + 1 WHERE id = $6",
    )
    .bind(NullableF64(latest.and_then(|c| c.value)))
    .bind(progress.ratio())
    .bind(latest.map(|c| c.confidence))
    .bind(latest.map(|c| c.at))
    .bind(at)
    .bind(key_result.0)
    .execute(&mut *conn)
    .await?;
    Ok(progress)
}

/// Marks the key result's milestones in `done` as done (since `at` if they were
/// not) and the others as not done; returns their states.
async fn mark_milestones(
    conn: &mut AnyConnection,
    key_result: KeyResultId,
    done: &[i64],
    at: i64,
) -> Result<Vec<MilestoneState>, StorageError> {
    let rows = sqlx::query("SELECT id, weight FROM milestones WHERE key_result_id = $1")
        .bind(key_result.0)
        .fetch_all(&mut *conn)
        .await?;
    let mut states = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        let is_done = done.contains(&id);
        sqlx::query(
            "UPDATE milestones SET done_at = CASE WHEN $1 = 1 THEN coalesce(done_at, $2) END WHERE id = $3",
        )
        .bind(i64::from(is_done))
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        states.push(MilestoneState {
            id: MilestoneId(id),
            weight: Weight::parse(row.try_get("weight")?).map_err(StorageError::corrupt)?,
            done: is_done,
        });
    }
    Ok(states)
}
