//! Grading on the server: one objective's sheet, a unit's sheet, carrying
//! forward (and undoing it); the lifecycle of periods in `periods`, the
//! quarter's summary in `summary`.

pub mod periods;
pub mod summary;

use cairn::Progress;
use cairn::grading::{Grade, GradeLine, GradedSheet, grade_sheet};
use cairn::ids::{ObjectiveId, PeriodId, UnitId};
use cairn::model::Owner;
use cairn::numbers::NumberStyle;
use cairn::period::PeriodState;

use super::model::{GradingStart, LineView, ObjectiveGrades, UnitSheet};
use crate::auth::server::{may_edit, may_edit_for, signed_in};
use crate::error::AppError;
use crate::storage::objectives::{carry, grading};
use crate::storage::{Db, accounts, objectives, periods as stored_periods, reads};

/// The grade a key result's final progress suggests.
pub fn suggested(progress: f64) -> Grade {
    Grade::suggested(Progress::from_ratio(progress.clamp(0.0, 1.0)).unwrap_or(Progress::ZERO))
}

pub async fn start(db: &Db, id: i64) -> Result<GradingStart, AppError> {
    let me = signed_in()?.actor;
    let objective = objectives::objective(db, ObjectiveId(id)).await?;
    let period = stored_periods::period(db, objective.period).await?;
    let ownership = accounts::ownership(db, objective.id).await?;
    let editor = me.may_edit(&ownership);
    let may_grade = match period.state {
        PeriodState::Grading => editor,
        PeriodState::Closed => me.admin,
        _ => false,
    };
    let links = carry::links(db, objective.id).await?;
    let carry_targets = if editor
        && links.to.is_none()
        && matches!(period.state, PeriodState::Grading | PeriodState::Closed)
    {
        stored_periods::periods(db)
            .await?
            .into_iter()
            .filter(|p| {
                matches!(p.state, PeriodState::Planning | PeriodState::Active)
                    && p.kind == period.kind
                    && p.id != period.id
            })
            .map(|p| (p.id.0, p.name))
            .collect()
    } else {
        Vec::new()
    };
    let lines = grading::grading_lines(db, objective.id)
        .await?
        .into_iter()
        .map(|l| LineView {
            key_result: l.key_result,
            suggested: suggested(l.progress).get(),
            title: l.title,
            weight: l.weight,
            progress: l.progress,
            grade: l.grade,
            reason: l.reason,
        })
        .collect();
    let unit = match objective.owner {
        Owner::Unit(u) => Some((u.0, unit_name(db, u).await?)),
        Owner::Person(_) => None,
    };
    Ok(GradingStart {
        objective: id,
        version: objective.version,
        title: objective.title.as_str().to_string(),
        committed: matches!(objective.commitment, cairn::grading::Commitment::Committed),
        expected: objective.commitment.expected_grade(),
        period_name: period.name,
        period_state: period.state,
        lines,
        retrospective: grading::retrospective(db, objective.id)
            .await?
            .unwrap_or_default(),
        may_grade,
        carry_targets,
        carried_from: links.from,
        carried_to: links.to,
        unit,
        outcome: None,
    })
}

pub async fn save(
    db: &Db,
    id: i64,
    version: i64,
    lines: Vec<GradeLine>,
    retrospective: String,
    numbers: NumberStyle,
) -> Result<Option<f64>, AppError> {
    let me = may_edit(db, ObjectiveId(id)).await?;
    let sheet = Sheet {
        lines,
        retrospective,
        numbers,
    };
    save_as(db, &me, Some(me.person), id, version, sheet).await
}

/// A grading sheet as typed: its lines, the retrospective, and how its numbers
/// are written.
pub struct Sheet {
    pub lines: Vec<GradeLine>,
    pub retrospective: String,
    pub numbers: NumberStyle,
}

/// Saves a grading sheet as `actor` (a page's reader, an API token's rights),
/// recorded as made by `author`. Admins may edit everything; in a closed period
/// only their corrections count.
pub async fn save_as(
    db: &Db,
    actor: &cairn::access::Actor,
    author: Option<cairn::ids::PersonId>,
    id: i64,
    version: i64,
    typed: Sheet,
) -> Result<Option<f64>, AppError> {
    crate::auth::server::check_edit(db, actor, ObjectiveId(id)).await?;
    let sheet = checked(db, id, &typed.lines, &typed.retrospective, typed.numbers)
        .await?
        .map_err(AppError::Form)?;
    grading::save_grades(db, author, ObjectiveId(id), version, &sheet, actor.admin).await?;
    Ok(sheet.objective.map(Grade::get))
}

/// A sheet checked against the objective's stored key results.
async fn checked(
    db: &Db,
    id: i64,
    lines: &[GradeLine],
    retrospective: &str,
    numbers: NumberStyle,
) -> Result<Result<GradedSheet, Vec<cairn::draft::Problem>>, AppError> {
    let stored = grading::grading_lines(db, ObjectiveId(id)).await?;
    let key_results: Vec<(i64, f64, Grade)> = stored
        .iter()
        .map(|l| (l.key_result, l.weight, suggested(l.progress)))
        .collect();
    Ok(grade_sheet(lines, retrospective, &key_results, numbers))
}

/// A unit's grading sheet for a period: every objective it owns there. Without a
/// period: the latest one in grading, else the latest closed.
pub async fn unit_sheet(db: &Db, unit: i64, period: Option<i64>) -> Result<UnitSheet, AppError> {
    let me = signed_in()?.actor;
    let name = unit_name(db, UnitId(unit)).await?;
    let gradable: Vec<cairn::period::Period> = stored_periods::periods(db)
        .await?
        .into_iter()
        .filter(|p| matches!(p.state, PeriodState::Grading | PeriodState::Closed))
        .filter(|p| p.kind != cairn::period::PeriodKind::Backlog)
        .collect();
    let chosen = match period {
        Some(id) => stored_periods::period(db, PeriodId(id)).await?,
        None => gradable
            .iter()
            .rev()
            .find(|p| p.state == PeriodState::Grading)
            .or(gradable.last())
            .cloned()
            .ok_or(AppError::NotFound)?,
    };
    let ownership = accounts::owner_ownership(db, Owner::Unit(UnitId(unit))).await?;
    let may_grade = match chosen.state {
        PeriodState::Grading => me.may_edit(&ownership),
        PeriodState::Closed => me.admin,
        _ => false,
    };
    let mut objectives = Vec::new();
    for id in grading::unit_objectives(db, UnitId(unit), chosen.id).await? {
        objectives.push(start(db, id.0).await?);
    }
    Ok(UnitSheet {
        unit: (unit, name),
        period: (chosen.id.0, chosen.name, chosen.state),
        periods: gradable.into_iter().map(|p| (p.id.0, p.name)).collect(),
        objectives,
        may_grade,
    })
}

/// Saves a unit's whole sheet, all or nothing. Each line's problems are named by
/// the objective's place on the sheet: `objectives.2.grades.0.grade`.
pub async fn save_unit(
    db: &Db,
    unit: i64,
    sheets: Vec<ObjectiveGrades>,
    numbers: NumberStyle,
) -> Result<(), AppError> {
    let me = may_edit_for(db, Owner::Unit(UnitId(unit))).await?;
    let mut problems = Vec::new();
    let mut valid = Vec::new();
    for (i, sheet) in sheets.iter().enumerate() {
        let ownership = accounts::ownership(db, ObjectiveId(sheet.objective)).await?;
        if ownership.owner != Owner::Unit(UnitId(unit)) {
            return Err(AppError::NotFound);
        }
        match checked(
            db,
            sheet.objective,
            &sheet.lines,
            &sheet.retrospective,
            numbers,
        )
        .await?
        {
            Ok(graded) => valid.push((ObjectiveId(sheet.objective), sheet.version, graded)),
            Err(found) => problems.extend(found.into_iter().map(|p| cairn::draft::Problem {
                field: format!("objectives.{i}.{}", p.field),
                problem: p.problem,
            })),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Form(problems));
    }
    grading::save_all(db, Some(me.person), &valid, me.admin).await?;
    Ok(())
}

pub async fn carry(db: &Db, id: i64, period: i64) -> Result<i64, AppError> {
    let me = may_edit(db, ObjectiveId(id)).await?;
    let new = carry::carry_forward(db, Some(me.person), ObjectiveId(id), PeriodId(period)).await?;
    Ok(new.0)
}

async fn unit_name(db: &Db, unit: UnitId) -> Result<String, AppError> {
    reads::unit_names(db, &[unit])
        .await?
        .remove(&unit)
        .ok_or(AppError::NotFound)
}
