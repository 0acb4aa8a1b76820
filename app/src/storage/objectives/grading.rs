//! Grading at period close, admin corrections of closed periods, carrying
//! unfinished objectives forward, and the quarter's summary.

use cairn::audit::{Action, Entity};
use cairn::grading::{Grade, GradedSheet};
use cairn::ids::{ObjectiveId, PeriodId, PersonId};
use cairn::model::Owner;
use cairn::period::PeriodState;
use cairn::rules::Rule;
use sqlx::Row;

use crate::live::LiveChange;
use crate::storage::changes::{Change, claim, json, record};
use crate::storage::objectives::load;
use crate::storage::{Db, StorageError, periods};

/// A key result as its grading line shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct GradingLine {
    pub key_result: i64,
    pub title: String,
    pub weight: f64,
    pub progress: f64,
    pub grade: Option<f64>,
    pub reason: Option<String>,
}

pub async fn grading_lines(
    db: &Db,
    objective: ObjectiveId,
) -> Result<Vec<GradingLine>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, title, weight, progress, grade, grade_reason FROM key_results \
         WHERE objective_id = $1 ORDER BY position, id",
    )
    .bind(objective.0)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(GradingLine {
                key_result: row.try_get("id")?,
                title: row.try_get("title")?,
                weight: row.try_get("weight")?,
                progress: row.try_get("progress")?,
                grade: row.try_get("grade")?,
                reason: row.try_get("grade_reason")?,
            })
        })
        .collect()
}

/// Stores a grading sheet made on `version` of the objective. Its period must be in
/// grading; a closed period takes only a `correction` (the caller checked it is an
/// admin), audited as such.
pub async fn save_grades(
    db: &Db,
    actor: Option<PersonId>,
    objective: ObjectiveId,
    version: i64,
    sheet: &GradedSheet,
    correction: bool,
) -> Result<i64, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    claim(&mut tx, "objectives", objective.0, version).await?;
    let before = load(&mut tx, objective).await?;
    let period = periods::period_in(&mut tx, before.period).await?;
    let action = match (period.state, correction) {
        (PeriodState::Grading, _) => Action::ObjectiveGrade,
        (PeriodState::Closed, true) => Action::ObjectiveGradeCorrection,
        (PeriodState::Closed, false) => return Err(StorageError::ClosedPeriod),
        _ => {
            return Err(Rule::NotGrading.into());
        }
    };
    let mut previous = Vec::new();
    for (kr, grade, reason) in &sheet.lines {
        let old: Option<(Option<f64>, Option<String>)> = sqlx::query(
            "SELECT grade, grade_reason FROM key_results WHERE id = $1 AND objective_id = $2",
        )
        .bind(kr)
        .bind(objective.0)
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| Ok::<_, sqlx::Error>((row.try_get("grade")?, row.try_get("grade_reason")?)))
        .transpose()?;
        let Some(old) = old else {
            return Err(StorageError::not_found("key_results", *kr));
        };
        previous.push(serde_json::json!({ "key_result": kr, "grade": old.0, "reason": old.1 }));
        sqlx::query(
            "UPDATE key_results SET grade = $1, grade_reason = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(grade.get())
        .bind(reason.as_ref().map(|r| r.as_str()))
        .bind(at)
        .bind(kr)
        .execute(&mut *tx)
        .await?;
    }
    let retrospective_before: Option<String> =
        sqlx::query_scalar("SELECT retrospective FROM objectives WHERE id = $1")
            .bind(objective.0)
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query(
        "UPDATE objectives SET grade = $1, retrospective = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(sheet.objective.map(Grade::get))
    .bind(sheet.retrospective.as_ref().map(|r| r.as_str()))
    .bind(at)
    .bind(objective.0)
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        at,
        Change {
            actor,
            action,
            entity: Entity::Objective,
            entity_id: objective.0,
            before: Some(json(&serde_json::json!({
                "grade": before.grade.map(Grade::get), "retrospective": retrospective_before, "key_results": previous,
            }))?),
            after: Some(json(&serde_json::json!({
                "grade": sheet.objective.map(Grade::get),
                "retrospective": sheet.retrospective.as_ref().map(|r| r.as_str()),
                "key_results": sheet.lines.iter().map(|(kr, g, r)| serde_json::json!({
                    "key_result": kr, "grade": g.get(), "reason": r.as_ref().map(|r| r.as_str()),
                })).collect::<Vec<_>>(),
            }))?),
            live: Some(LiveChange::Objective {
                objective: objective.0,
                period: before.period.0,
                version: version + 1,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    db.committed();
    Ok(version + 1)
}

/// Copies an objective of a grading or closed period, with its unfinished key
/// results and their open milestones, into an open period as a draft. Returns the
/// new objective.
pub async fn carry_forward(
    db: &Db,
    actor: Option<PersonId>,
    objective: ObjectiveId,
    to: PeriodId,
) -> Result<ObjectiveId, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let source = load(&mut tx, objective).await?;
    let from = periods::period_in(&mut tx, source.period).await?;
    if !matches!(from.state, PeriodState::Grading | PeriodState::Closed) {
        return Err(Rule::CarryFromOpenPeriod.into());
    }
    let target = periods::period_in(&mut tx, to).await?;
    if !matches!(target.state, PeriodState::Planning | PeriodState::Active) {
        return Err(StorageError::ClosedPeriod);
    }
    if target.id == from.id {
        return Err(Rule::CarryIntoSamePeriod.into());
    }
    let (unit, person) = match source.owner {
        Owner::Unit(u) => (Some(u.0), None),
        Owner::Person(p) => (None, Some(p.0)),
    };
    let position: i64 = sqlx::query_scalar(
        "SELECT coalesce(max(position), 0) + $2 FROM objectives WHERE period_id = $1",
    )
    .bind(to.0)
    .bind(crate::storage::objectives::alignment::POSITION_GAP)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO objectives (period_id, owner_unit_id, owner_person_id, title, description, commitment, state, \
         weight, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $9) RETURNING id",
    )
    .bind(to.0)
    .bind(unit)
    .bind(person)
    .bind(source.title.as_str())
    .bind(source.description.as_ref().map(|d| d.as_str()))
    .bind(source.commitment.as_str())
    .bind(source.weight.get())
    .bind(position)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let key_results: Vec<(i64, String)> = sqlx::query(
        "SELECT id, kind FROM key_results WHERE objective_id = $1 AND progress < 1 ORDER BY position, id",
    )
    .bind(objective.0)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|row| Ok((row.try_get("id")?, row.try_get("kind")?)))
    .collect::<Result<_, sqlx::Error>>()?;
    for (position, (kr, kind)) in key_results.iter().enumerate() {
        // A metric starts again from where it got to.
        let new_kr: i64 = sqlx::query_scalar(
            "INSERT INTO key_results (objective_id, title, kind, direction, start_value, target_value, unit_label, \
             weight, owner_person_id, position, created_at, updated_at) \
             SELECT $1, title, kind, direction, \
               CASE WHEN kind = 'metric' AND direction IN ('increase', 'decrease') THEN coalesce(current_value, start_value) ELSE start_value END, \
               target_value, unit_label, weight, owner_person_id, $2, $3, $3 FROM key_results WHERE id = $4 RETURNING id",
        )
        .bind(id)
        .bind(position as i64)
        .bind(at)
        .bind(kr)
        .fetch_one(&mut *tx)
        .await?;
        if kind == "milestones" {
            sqlx::query(
                "INSERT INTO milestones (key_result_id, title, weight, position) \
                 SELECT $1, title, weight, position FROM milestones WHERE key_result_id = $2 AND done_at IS NULL",
            )
            .bind(new_kr)
            .bind(kr)
            .execute(&mut *tx)
            .await?;
        }
    }
    record(
        &mut tx,
        at,
        Change {
            actor,
            action: Action::ObjectiveCarryForward,
            entity: Entity::Objective,
            entity_id: id,
            before: Some(json(&serde_json::json!({ "from": objective.0, "period": source.period.0 }))?),
            after: Some(json(&serde_json::json!({ "objective": id, "period": to.0, "key_results": key_results.len() }))?),
            live: Some(LiveChange::Objective {
                objective: id,
                period: to.0,
                version: 1,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    db.committed();
    Ok(ObjectiveId(id))
}

/// One row of a period's summary: a unit (or everyone's personal objectives).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SummaryRow {
    pub unit: Option<(i64, String)>,
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    pub ungraded: i64,
    pub committed_graded: i64,
    pub committed_met: i64,
    pub aspirational_grades: Vec<f64>,
}

/// Grades of a period's objectives by owning unit (personal objectives together).
pub async fn summary(db: &Db, period: PeriodId) -> Result<Vec<SummaryRow>, StorageError> {
    let rows = sqlx::query(
        "SELECT o.owner_unit_id, u.name, o.commitment, o.grade FROM objectives o \
         LEFT JOIN org_units u ON u.id = o.owner_unit_id \
         WHERE o.period_id = $1 AND o.state <> 'abandoned' ORDER BY u.name, o.id",
    )
    .bind(period.0)
    .fetch_all(db.reader())
    .await?;
    let mut out: Vec<SummaryRow> = Vec::new();
    for row in &rows {
        let unit: Option<i64> = row.try_get("owner_unit_id")?;
        let name: Option<String> = row.try_get("name")?;
        let key = unit.zip(name);
        let index = match out.iter().position(|r| r.unit == key) {
            Some(index) => index,
            None => {
                out.push(SummaryRow {
                    unit: key,
                    ..SummaryRow::default()
                });
                out.len() - 1
            }
        };
        let entry = &mut out[index];
        let commitment: String = row.try_get("commitment")?;
        match row
            .try_get::<Option<f64>, _>("grade")?
            .map(Grade::parse)
            .transpose()
            .map_err(StorageError::corrupt)?
        {
            None => entry.ungraded += 1,
            Some(grade) => {
                match grade.band() {
                    cairn::grading::Band::Red => entry.red += 1,
                    cairn::grading::Band::Yellow => entry.yellow += 1,
                    cairn::grading::Band::Green => entry.green += 1,
                }
                if commitment == "committed" {
                    entry.committed_graded += 1;
                    entry.committed_met +=
                        i64::from(grade.meets(cairn::grading::Commitment::Committed));
                } else {
                    entry.aspirational_grades.push(grade.get());
                }
            }
        }
    }
    // Personal objectives last.
    out.sort_by_key(|r| r.unit.is_none());
    Ok(out)
}

/// An objective's retrospective, if written.
pub async fn retrospective(
    db: &Db,
    objective: ObjectiveId,
) -> Result<Option<String>, StorageError> {
    Ok(sqlx::query_scalar::<_, Option<String>>(
        "SELECT retrospective FROM objectives WHERE id = $1",
    )
    .bind(objective.0)
    .fetch_optional(db.reader())
    .await?
    .flatten())
}
