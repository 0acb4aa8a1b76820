use cairn::grading::GradeLine;
use leptos::prelude::*;

use crate::error::AppError;

use super::model::{
    CloseCheck, GradingStart, ObjectiveGrades, PeriodList, PeriodSummary, UnitSheet,
};

#[server(prefix = "/api", endpoint = "load_grading")]
pub async fn load_grading(objective: i64) -> Result<GradingStart, AppError> {
    let db = crate::state::db()?;
    let mut start = super::server::start(&db, objective).await?;
    start.outcome = crate::forms::take_outcome(|form| form == "undo-carry").await;
    Ok(start)
}

/// Saves a grading sheet; returns the objective's rolled-up grade.
#[server(prefix = "/api", endpoint = "save_grades", input = server_fn::codec::Json)]
pub async fn save_grades(
    objective: i64,
    version: i64,
    lines: Vec<GradeLine>,
    retrospective: String,
) -> Result<Option<f64>, AppError> {
    let db = crate::state::db()?;
    let numbers = crate::ui::request_numbers();
    super::server::save(&db, objective, version, lines, retrospective, numbers).await
}

/// Carries an objective's unfinished key results into `period` as a draft; returns
/// the new objective's id.
#[server(prefix = "/api", endpoint = "carry_forward")]
pub async fn carry_forward(objective: i64, period: i64) -> Result<i64, AppError> {
    let db = crate::state::db()?;
    super::server::carry(&db, objective, period).await
}

#[server(prefix = "/api", endpoint = "list_periods")]
pub async fn list_periods() -> Result<PeriodList, AppError> {
    let db = crate::state::db()?;
    super::server::periods::list_periods(&db, crate::state::plan_ahead_days()).await
}

/// Moves a period on in its lifecycle (admins only).
#[server(prefix = "/api", endpoint = "advance_period")]
pub async fn advance_period(period: i64, version: i64) -> Result<String, AppError> {
    let db = crate::state::db()?;
    super::server::periods::advance(&db, period, version).await
}

#[server(prefix = "/api", endpoint = "summarise_period")]
pub async fn summarise_period(period: i64) -> Result<PeriodSummary, AppError> {
    let db = crate::state::db()?;
    super::server::summary::summary(&db, period).await
}

/// What closing a period would leave ungraded (admins only).
#[server(prefix = "/api", endpoint = "close_check")]
pub async fn load_close_check(period: i64) -> Result<CloseCheck, AppError> {
    let db = crate::state::db()?;
    super::server::periods::close_check(&db, period).await
}

/// A unit's grading sheet for a period (the latest in grading without one).
#[server(prefix = "/api", endpoint = "unit_sheet")]
pub async fn load_unit_sheet(unit: i64, period: Option<i64>) -> Result<UnitSheet, AppError> {
    let db = crate::state::db()?;
    super::server::unit_sheet(&db, unit, period).await
}

/// Saves a unit's grading sheet, every objective or none.
#[server(prefix = "/api", endpoint = "save_unit_grades", input = server_fn::codec::Json)]
pub async fn save_unit_grades(unit: i64, sheets: Vec<ObjectiveGrades>) -> Result<(), AppError> {
    let db = crate::state::db()?;
    super::server::save_unit(&db, unit, sheets, crate::ui::request_numbers()).await
}
