//! Server-side work behind the front page.

use cairn::Progress;
use cairn::model::UnitKind;
use cairn::period::PeriodState;
use cairn::status::{Status, status};

use super::{Attention, FrontPage, Overview};
use crate::error::AppError;
use crate::okr::server::{Names, expected, objective_views, overall, period_context};
use crate::storage::{Db, browse, instance, now_ms, org, queries};

/// How many key results each attention list shows.
const LIST_LENGTH: usize = 8;
/// A key result without a check-in for this long is stale.
const STALE_AFTER_MS: i64 = 14 * 24 * 60 * 60 * 1000;

pub async fn overview(db: &Db) -> Result<Overview, AppError> {
    let instance = instance::get(db).await?;
    let schema_version = instance::schema_version(db).await?;
    Ok(Overview {
        organisation: instance.name,
        since: instance.created_at,
        schema_version,
        database: db.engine().to_string(),
    })
}

pub async fn front_page(db: &Db, asked: Option<i64>) -> Result<FrontPage, AppError> {
    let overview = overview(db).await?;
    let Some((period, context)) = period_context(db, asked).await? else {
        return Ok(FrontPage {
            overview,
            organisation: None,
            period: None,
            objectives: Vec::new(),
            summary: overall(&[], 0.0),
            at_risk: Vec::new(),
            at_risk_count: 0,
            stale: Vec::new(),
            stale_count: 0,
        });
    };
    let expected = expected(&period);
    let root = org::units(db)
        .await?
        .into_iter()
        .find(|u| u.parent.is_none() && u.kind == UnitKind::Organisation);
    let okrs = match &root {
        Some(unit) => queries::unit_objectives(db, unit.id, period.id).await?,
        None => Vec::new(),
    };
    let names = Names::load(db, &okrs).await?;
    let objectives = objective_views(&okrs, &names, expected);
    let summary = overall(&objectives, expected);

    let lines = browse::period_key_results(db, period.id).await?;
    let attention = |line: &browse::KeyResultLine| {
        let progress = Progress::from_ratio(line.progress).unwrap_or(Progress::ZERO);
        let confidence = line
            .confidence
            .and_then(|c| cairn::values::Confidence::parse(c).ok());
        Attention {
            key_result: line.id.0,
            title: line.title.clone(),
            objective: line.objective.0,
            objective_title: line.objective_title.clone(),
            progress: line.progress,
            status: status(progress, expected, confidence),
            last_check_in_ms: line.last_check_in_ms,
        }
    };
    let mut at_risk: Vec<Attention> = lines
        .iter()
        .map(attention)
        .filter(|a| a.status != Status::OnTrack)
        .collect();
    // Off track first, then the furthest behind.
    at_risk.sort_by(|a, b| {
        (b.status == Status::OffTrack)
            .cmp(&(a.status == Status::OffTrack))
            .then(a.progress.total_cmp(&b.progress))
            .then(a.key_result.cmp(&b.key_result))
    });
    let at_risk_count = at_risk.len();
    at_risk.truncate(LIST_LENGTH);

    let running = period.state == PeriodState::Active
        && period
            .span
            .is_some_and(|s| (crate::okr::server::today() - s.start()).num_days() >= 14);
    let cutoff = now_ms() - STALE_AFTER_MS;
    let mut stale: Vec<Attention> = if running {
        lines
            .iter()
            .filter(|l| l.last_check_in_ms.is_none_or(|at| at < cutoff))
            .map(attention)
            .collect()
    } else {
        Vec::new()
    };
    stale.sort_by_key(|a| (a.last_check_in_ms.unwrap_or(0), a.key_result));
    let stale_count = stale.len();
    stale.truncate(LIST_LENGTH);

    Ok(FrontPage {
        overview,
        organisation: root.map(|u| (u.id.0, u.name.as_str().to_string())),
        period: Some(context),
        objectives,
        summary,
        at_risk,
        at_risk_count,
        stale,
        stale_count,
    })
}
