use cairn::Progress;
use cairn::grading::{Grade, GradeLine, grade_sheet};
use cairn::ids::{ObjectiveId, PeriodId};
use cairn::period::PeriodState;

use super::model::{GradingStart, LineView, PeriodLine, PeriodList, PeriodSummary, UnitGrades};
use crate::auth::server::{admin, may_edit, signed_in};
use crate::error::AppError;
use crate::storage::{Db, accounts, objectives, objectives::grading, periods};

/// The grade a key result's final progress suggests.
pub fn suggested(progress: f64) -> Grade {
    Grade::suggested(Progress::from_ratio(progress.clamp(0.0, 1.0)).unwrap_or(Progress::ZERO))
}

pub async fn start(db: &Db, id: i64) -> Result<GradingStart, AppError> {
    let me = signed_in()?.actor;
    let objective = objectives::objective(db, ObjectiveId(id)).await?;
    let period = periods::period(db, objective.period).await?;
    let ownership = accounts::ownership(db, objective.id).await?;
    let editor = me.may_edit(&ownership);
    let may_grade = match period.state {
        PeriodState::Grading => editor,
        PeriodState::Closed => me.admin,
        _ => false,
    };
    let carry_targets =
        if editor && matches!(period.state, PeriodState::Grading | PeriodState::Closed) {
            periods::periods(db)
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
    })
}

pub async fn save(
    db: &Db,
    id: i64,
    version: i64,
    lines: Vec<GradeLine>,
    retrospective: String,
) -> Result<Option<f64>, AppError> {
    let me = may_edit(db, ObjectiveId(id)).await?;
    save_as(db, &me, Some(me.person), id, version, lines, retrospective).await
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
    lines: Vec<GradeLine>,
    retrospective: String,
) -> Result<Option<f64>, AppError> {
    crate::auth::server::check_edit(db, actor, ObjectiveId(id)).await?;
    let me = actor;
    let stored = grading::grading_lines(db, ObjectiveId(id)).await?;
    let key_results: Vec<(i64, f64, Grade)> = stored
        .iter()
        .map(|l| (l.key_result, l.weight, suggested(l.progress)))
        .collect();
    let sheet = grade_sheet(&lines, &retrospective, &key_results).map_err(AppError::Form)?;
    grading::save_grades(db, author, ObjectiveId(id), version, &sheet, me.admin).await?;
    Ok(sheet.objective.map(Grade::get))
}

pub async fn carry(db: &Db, id: i64, period: i64) -> Result<i64, AppError> {
    let me = may_edit(db, ObjectiveId(id)).await?;
    let new =
        grading::carry_forward(db, Some(me.person), ObjectiveId(id), PeriodId(period)).await?;
    Ok(new.0)
}

pub async fn list_periods(db: &Db) -> Result<PeriodList, AppError> {
    let me = signed_in()?.actor;
    let periods = periods::periods(db)
        .await?
        .into_iter()
        .map(|p| PeriodLine {
            id: p.id.0,
            name: p.name,
            kind: p.kind,
            state: p.state,
            version: p.version,
            next: p.state.next(),
        })
        .collect();
    Ok(PeriodList {
        periods,
        admin: me.admin,
    })
}

pub async fn advance(db: &Db, id: i64, version: i64) -> Result<String, AppError> {
    let me = admin()?;
    let period = periods::period(db, PeriodId(id)).await?;
    let next = period
        .state
        .next()
        .ok_or(AppError::Rule(cairn::rules::Rule::Period(
            cairn::period::PeriodError::Transition {
                from: period.state,
                to: period.state,
            },
        )))?;
    let postman = crate::state::postman();
    let moved =
        periods::set_state_with(db, &postman, Some(me.person), PeriodId(id), version, next).await?;
    Ok(moved.state.as_str().to_string())
}

pub async fn summary(db: &Db, id: i64) -> Result<PeriodSummary, AppError> {
    signed_in()?;
    let period = periods::period(db, PeriodId(id)).await?;
    let rows = grading::summary(db, PeriodId(id)).await?;
    let committed = rows.iter().fold((0, 0), |(met, graded), r| {
        (met + r.committed_met, graded + r.committed_graded)
    });
    let aspirational: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.aspirational_grades.iter().copied())
        .collect();
    let mean = (!aspirational.is_empty())
        .then(|| aspirational.iter().sum::<f64>() / aspirational.len() as f64);
    Ok(PeriodSummary {
        period: (period.id.0, period.name, period.state),
        units: rows
            .into_iter()
            .map(|r| UnitGrades {
                unit: r.unit,
                red: r.red,
                yellow: r.yellow,
                green: r.green,
                ungraded: r.ungraded,
            })
            .collect(),
        committed,
        aspirational: (mean, aspirational.len() as i64),
    })
}
