//! Grading at period close, admin corrections of closed periods, carrying
//! unfinished objectives forward, and the quarter's summary.

use cairn::audit::{Action, Entity};
use cairn::grading::{Grade, GradedSheet};
use cairn::ids::{ObjectiveId, PeriodId, PersonId};
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
    save_all(
        db,
        actor,
        &[(objective, version, sheet.clone())],
        correction,
    )
    .await?;
    Ok(version + 1)
}

/// Stores several objectives' grading sheets (a unit's, at once), each made on its
/// version, all or nothing, as `save_grades` says of one.
pub async fn save_all(
    db: &Db,
    actor: Option<PersonId>,
    sheets: &[(ObjectiveId, i64, GradedSheet)],
    correction: bool,
) -> Result<(), StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    for (objective, version, sheet) in sheets {
        save_in(&mut tx, at, actor, *objective, *version, sheet, correction).await?;
    }
    tx.commit().await?;
    db.committed();
    Ok(())
}

async fn save_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    at: i64,
    actor: Option<PersonId>,
    objective: ObjectiveId,
    version: i64,
    sheet: &GradedSheet,
    correction: bool,
) -> Result<(), StorageError> {
    claim(tx, "objectives", objective.0, version).await?;
    let before = load(tx, objective).await?;
    let period = periods::period_in(tx, before.period).await?;
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
        .fetch_optional(&mut **tx)
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
        .execute(&mut **tx)
        .await?;
    }
    let retrospective_before: Option<String> =
        sqlx::query_scalar("SELECT retrospective FROM objectives WHERE id = $1")
            .bind(objective.0)
            .fetch_one(&mut **tx)
            .await?;
    sqlx::query(
        "UPDATE objectives SET grade = $1, retrospective = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(sheet.objective.map(Grade::get))
    .bind(sheet.retrospective.as_ref().map(|r| r.as_str()))
    .bind(at)
    .bind(objective.0)
    .execute(&mut **tx)
    .await?;
    record(
        tx,
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
    Ok(())
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
    pub grades: Vec<f64>,
    /// (objective, title) carried into a later period.
    pub carried: Vec<(i64, String)>,
    /// (objective, title) left unfinished and not carried, or abandoned.
    pub dropped: Vec<(i64, String)>,
    /// (objective, title, text).
    pub retrospectives: Vec<(i64, String, String)>,
}

/// Grades of a period's objectives by owning unit (personal objectives together),
/// with what was carried forward, what was dropped and the retrospectives.
pub async fn summary(db: &Db, period: PeriodId) -> Result<Vec<SummaryRow>, StorageError> {
    let rows = sqlx::query(
        "SELECT o.id, o.title, o.owner_unit_id, u.name, o.commitment, o.grade, o.state, o.progress, \
           o.retrospective, (SELECT count(*) FROM objectives c WHERE c.carried_from = o.id) AS carried \
         FROM objectives o LEFT JOIN org_units u ON u.id = o.owner_unit_id \
         WHERE o.period_id = $1 ORDER BY u.name, o.position, o.id",
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
        let id: i64 = row.try_get("id")?;
        let title: String = row.try_get("title")?;
        let state: String = row.try_get("state")?;
        let progress: f64 = row.try_get("progress")?;
        let carried: i64 = row.try_get("carried")?;
        if carried > 0 {
            entry.carried.push((id, title.clone()));
        } else if state == "abandoned" || progress < 1.0 {
            entry.dropped.push((id, title.clone()));
        }
        if let Some(text) = row
            .try_get::<Option<String>, _>("retrospective")?
            .filter(|t| !t.trim().is_empty())
        {
            entry.retrospectives.push((id, title.clone(), text));
        }
        if state == "abandoned" {
            continue;
        }
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
                entry.grades.push(grade.get());
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

/// A period's objectives left ungraded (not abandoned): (id, title, owner's name, unit).
pub async fn ungraded(
    db: &Db,
    period: PeriodId,
) -> Result<(Vec<(i64, String, String, Option<i64>)>, i64), StorageError> {
    let rows = sqlx::query(
        "SELECT o.id, o.title, o.grade, o.owner_unit_id, coalesce(u.name, p.name) AS owner FROM objectives o \
         LEFT JOIN org_units u ON u.id = o.owner_unit_id LEFT JOIN people p ON p.id = o.owner_person_id \
         WHERE o.period_id = $1 AND o.state <> 'abandoned' ORDER BY owner, o.position, o.id",
    )
    .bind(period.0)
    .fetch_all(db.reader())
    .await?;
    let mut open = Vec::new();
    for row in &rows {
        if row.try_get::<Option<f64>, _>("grade")?.is_none() {
            open.push((
                row.try_get("id")?,
                row.try_get("title")?,
                row.try_get("owner")?,
                row.try_get("owner_unit_id")?,
            ));
        }
    }
    Ok((open, rows.len() as i64))
}

/// A unit's objectives in a period, in their order (abandoned ones left out).
pub async fn unit_objectives(
    db: &Db,
    unit: cairn::ids::UnitId,
    period: PeriodId,
) -> Result<Vec<ObjectiveId>, StorageError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM objectives WHERE owner_unit_id = $1 AND period_id = $2 \
         AND state <> 'abandoned' ORDER BY position, id",
    )
    .bind(unit.0)
    .bind(period.0)
    .fetch_all(db.reader())
    .await?;
    Ok(ids.into_iter().map(ObjectiveId).collect())
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
