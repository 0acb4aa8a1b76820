use cairn::grading::GradeLine;
use leptos::prelude::*;

use crate::error::AppError;

use super::model::{GradingStart, PeriodList, PeriodSummary};

#[server(prefix = "/api", endpoint = "load_grading")]
pub async fn load_grading(objective: i64) -> Result<GradingStart, AppError> {
    let db = crate::state::db()?;
    super::server::start(&db, objective).await
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
    super::server::save(&db, objective, version, lines, retrospective).await
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
    super::server::list_periods(&db).await
}

/// Moves a period on in its lifecycle (admins only).
#[server(prefix = "/api", endpoint = "advance_period")]
pub async fn advance_period(period: i64, version: i64) -> Result<String, AppError> {
    let db = crate::state::db()?;
    super::server::advance(&db, period, version).await
}

#[server(prefix = "/api", endpoint = "summarise_period")]
pub async fn summarise_period(period: i64) -> Result<PeriodSummary, AppError> {
    let db = crate::state::db()?;
    super::server::summary(&db, period).await
}
