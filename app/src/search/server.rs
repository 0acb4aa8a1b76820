use cairn::period::PeriodState;

use super::SearchResult;
use crate::error::AppError;
use crate::storage::search::HitKind;
use crate::storage::{Db, search as store};

/// More than this is not a search, it is a paste: cut it down.
const MAX_QUERY_CHARS: usize = 200;
/// How many more hits than asked for are weighed, so that the current period's
/// come first even when older ones rank higher.
const WEIGHED: u32 = 3;

pub async fn search(db: &Db, query: &str, limit: u32) -> Result<Vec<SearchResult>, AppError> {
    let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let hits = store::search(db, &query, limit.saturating_mul(WEIGHED)).await?;
    let mut contexts = store::contexts(db, &hits).await?;
    let mut results: Vec<SearchResult> = hits
        .into_iter()
        .map(|hit| {
            let context = contexts.remove(&(hit.kind, hit.id)).unwrap_or_default();
            let href = match hit.kind {
                HitKind::Objective => format!("/objectives/{}", hit.id),
                HitKind::KeyResult => format!(
                    "/objectives/{}#kr-{}",
                    context.objective.unwrap_or(0),
                    hit.id
                ),
                HitKind::Person => format!("/people/{}", hit.id),
                HitKind::Unit => format!("/units/{}", hit.id),
            };
            SearchResult {
                kind: hit.kind,
                title: hit.title,
                href,
                owner: context.owner,
                period: context.period,
            }
        })
        .collect();
    // Running periods first, then those being planned, graded, closed; people and
    // units are always current. The sort is stable: rank decides within each.
    results.sort_by_key(|r| match r.period.as_ref().map(|p| p.1) {
        None | Some(PeriodState::Active) => 0,
        Some(PeriodState::Planning) => 1,
        Some(PeriodState::Grading) => 2,
        Some(PeriodState::Closed) => 3,
    });
    results.truncate(limit as usize);
    Ok(results)
}
