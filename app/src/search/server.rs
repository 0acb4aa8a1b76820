use std::collections::HashMap;

use cairn::ids::KeyResultId;

use super::SearchResult;
use crate::error::AppError;
use crate::storage::search::HitKind;
use crate::storage::{Db, key_results, search as store};

/// More than this is not a search, it is a paste: cut it down.
const MAX_QUERY_CHARS: usize = 200;

pub async fn search(db: &Db, query: &str, limit: u32) -> Result<Vec<SearchResult>, AppError> {
    let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let hits = store::search(db, &query, limit).await?;
    let mut objective_of: HashMap<i64, i64> = HashMap::new();
    for hit in hits.iter().filter(|h| h.kind == HitKind::KeyResult) {
        let kr = key_results::key_result(db, KeyResultId(hit.id)).await?;
        objective_of.insert(hit.id, kr.objective.0);
    }
    Ok(hits
        .into_iter()
        .map(|hit| {
            let (kind, href) = match hit.kind {
                HitKind::Objective => (hit.kind, format!("/objectives/{}", hit.id)),
                HitKind::KeyResult => (
                    hit.kind,
                    format!(
                        "/objectives/{}#kr-{}",
                        objective_of.get(&hit.id).copied().unwrap_or(0),
                        hit.id
                    ),
                ),
                HitKind::Person => (hit.kind, format!("/people/{}", hit.id)),
            };
            SearchResult {
                kind,
                title: hit.title,
                href,
            }
        })
        .collect())
}
