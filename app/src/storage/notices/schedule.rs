//! What the weekly rhythm reads: key results of running periods, open
//! objectives, who belongs where, a week of the audit trail; and the record that
//! each moment of a unit's rhythm was acted on once.

use std::collections::HashSet;

use cairn::audit::{Action, Entity};
use cairn::ids::{ObjectiveId, PeriodId, PersonId, UnitId};
use cairn::model::Role;
use sqlx::{Any, Row, Transaction};

use crate::storage::{Db, StorageError};

/// A key result of a running period, with what decides who checks in on it and
/// whether it waits for a check-in.
#[derive(Debug, Clone, PartialEq)]
pub struct RunningKeyResult {
    pub id: i64,
    pub title: String,
    pub objective: i64,
    pub objective_title: String,
    pub period: PeriodId,
    pub owner_unit: Option<UnitId>,
    pub owner_person: Option<PersonId>,
    /// The key result's own owner.
    pub key_result_owner: Option<PersonId>,
    pub created_at: i64,
    pub last_check_in_at: Option<i64>,
    pub progress: f64,
    pub confidence: Option<i64>,
}

impl RunningKeyResult {
    /// When it was last read: its last check-in, or its creation.
    pub fn last_reading(&self) -> i64 {
        self.last_check_in_at.unwrap_or(self.created_at)
    }
}

/// Every key result of an active period (planning, grading and closed periods
/// take no reminders).
pub async fn running_key_results(db: &Db) -> Result<Vec<RunningKeyResult>, StorageError> {
    sqlx::query(
        "SELECT k.id, k.title, k.owner_person_id AS kr_owner, k.created_at, k.last_check_in_at, \
           k.progress, k.confidence, o.id AS objective, o.title AS objective_title, o.period_id, \
           o.owner_unit_id, o.owner_person_id \
         FROM key_results k JOIN objectives o ON o.id = k.objective_id \
         JOIN periods p ON p.id = o.period_id \
         WHERE p.state = 'active' AND o.state IN ('draft', 'active') \
         ORDER BY o.id, k.position, k.id",
    )
    .fetch_all(db.reader())
    .await?
    .iter()
    .map(|row| {
        Ok(RunningKeyResult {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
            objective: row.try_get("objective")?,
            objective_title: row.try_get("objective_title")?,
            period: PeriodId(row.try_get("period_id")?),
            owner_unit: row.try_get::<Option<i64>, _>("owner_unit_id")?.map(UnitId),
            owner_person: row
                .try_get::<Option<i64>, _>("owner_person_id")?
                .map(PersonId),
            key_result_owner: row.try_get::<Option<i64>, _>("kr_owner")?.map(PersonId),
            created_at: row.try_get("created_at")?,
            last_check_in_at: row.try_get("last_check_in_at")?,
            progress: row.try_get("progress")?,
            confidence: row.try_get("confidence")?,
        })
    })
    .collect()
}

/// An objective of a period in progress (active or grading).
#[derive(Debug, Clone, PartialEq)]
pub struct OpenObjective {
    pub id: i64,
    pub title: String,
    pub period: PeriodId,
    pub owner_unit: Option<UnitId>,
    pub owner_person: Option<PersonId>,
    pub progress: f64,
}

pub async fn open_objectives(db: &Db) -> Result<Vec<OpenObjective>, StorageError> {
    sqlx::query(
        "SELECT o.id, o.title, o.period_id, o.owner_unit_id, o.owner_person_id, o.progress \
         FROM objectives o JOIN periods p ON p.id = o.period_id \
         WHERE p.state IN ('active', 'grading') ORDER BY o.id",
    )
    .fetch_all(db.reader())
    .await?
    .iter()
    .map(|row| {
        Ok(OpenObjective {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
            period: PeriodId(row.try_get("period_id")?),
            owner_unit: row.try_get::<Option<i64>, _>("owner_unit_id")?.map(UnitId),
            owner_person: row
                .try_get::<Option<i64>, _>("owner_person_id")?
                .map(PersonId),
            progress: row.try_get("progress")?,
        })
    })
    .collect()
}

/// Who belongs to which active unit, and as what (active people only).
pub async fn memberships(db: &Db) -> Result<Vec<(PersonId, UnitId, Role)>, StorageError> {
    sqlx::query(
        "SELECT m.person_id, m.unit_id, m.role FROM memberships m \
         JOIN people p ON p.id = m.person_id JOIN org_units u ON u.id = m.unit_id \
         WHERE p.active = 1 AND u.active = 1 ORDER BY m.person_id, m.unit_id",
    )
    .fetch_all(db.reader())
    .await?
    .iter()
    .map(|row| {
        let role: String = row.try_get("role")?;
        Ok((
            PersonId(row.try_get("person_id")?),
            UnitId(row.try_get("unit_id")?),
            Role::parse(&role).ok_or_else(|| StorageError::corrupt(format!("role {role}")))?,
        ))
    })
    .collect()
}

/// Every (person, objective) someone follows.
pub async fn follows(db: &Db) -> Result<Vec<(PersonId, ObjectiveId)>, StorageError> {
    sqlx::query("SELECT person_id, objective_id FROM follows")
        .fetch_all(db.reader())
        .await?
        .iter()
        .map(|row| {
            Ok((
                PersonId(row.try_get("person_id")?),
                ObjectiveId(row.try_get("objective_id")?),
            ))
        })
        .collect()
}

/// A change to an objective (or one of its key results) in the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    pub objective: i64,
    pub action: Action,
}

/// What happened to objectives and key results after `from` up to `to`.
pub async fn activity(db: &Db, from: i64, to: i64) -> Result<Vec<Activity>, StorageError> {
    let rows = sqlx::query(
        "SELECT a.action, CASE WHEN a.entity = $3 THEN k.objective_id ELSE a.entity_id END AS objective \
         FROM audit_events a LEFT JOIN key_results k ON a.entity = $3 AND k.id = a.entity_id \
         WHERE a.at > $1 AND a.at <= $2 AND a.entity IN ($3, $4)",
    )
    .bind(from)
    .bind(to)
    .bind(Entity::KeyResult.as_str())
    .bind(Entity::Objective.as_str())
    .fetch_all(db.reader())
    .await?;
    let mut found = Vec::with_capacity(rows.len());
    for row in rows {
        let action: String = row.try_get("action")?;
        let objective: Option<i64> = row.try_get("objective")?;
        // Actions this release does not know, and key results since deleted, are left out.
        if let (Some(action), Some(objective)) = (Action::parse(&action), objective) {
            found.push(Activity { objective, action });
        }
    }
    Ok(found)
}

/// A weekly job of a unit's rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    Reminder,
    Digest,
}

impl Job {
    pub fn as_str(self) -> &'static str {
        match self {
            Job::Reminder => "reminder",
            Job::Digest => "digest",
        }
    }
}

/// The (unit, moment) pairs of `job` acted on at or after `since`.
pub async fn runs_since(
    db: &Db,
    job: Job,
    since: i64,
) -> Result<HashSet<(UnitId, i64)>, StorageError> {
    sqlx::query("SELECT unit_id, slot_at FROM schedule_runs WHERE job = $1 AND slot_at >= $2")
        .bind(job.as_str())
        .bind(since)
        .fetch_all(db.reader())
        .await?
        .iter()
        .map(|row| Ok((UnitId(row.try_get("unit_id")?), row.try_get("slot_at")?)))
        .collect()
}

/// Claims a moment of a unit's rhythm for this transaction: false when another
/// node (or an earlier run) acted on it already. The claim holds once the caller
/// commits, together with what the run queued.
pub async fn claim_run(
    tx: &mut Transaction<'static, Any>,
    unit: UnitId,
    job: Job,
    slot_at: i64,
    at: i64,
) -> Result<bool, StorageError> {
    let claimed = sqlx::query(
        "INSERT INTO schedule_runs (unit_id, job, slot_at, ran_at, sent) VALUES ($1, $2, $3, $4, 0) \
         ON CONFLICT (unit_id, job, slot_at) DO NOTHING",
    )
    .bind(unit.0)
    .bind(job.as_str())
    .bind(slot_at)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Records how many notices a claimed run made.
pub async fn finish_run(
    tx: &mut Transaction<'static, Any>,
    unit: UnitId,
    job: Job,
    slot_at: i64,
    sent: usize,
) -> Result<(), StorageError> {
    sqlx::query(
        "UPDATE schedule_runs SET sent = $1 WHERE unit_id = $2 AND job = $3 AND slot_at = $4",
    )
    .bind(i64::try_from(sent).unwrap_or(i64::MAX))
    .bind(unit.0)
    .bind(job.as_str())
    .bind(slot_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
