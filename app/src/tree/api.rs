//! The tree's server functions.

use cairn::alignment::Parent;
use leptos::prelude::*;

use super::data::TreePage;
use crate::error::AppError;
use crate::live::MoveChange;

/// The cascade of a period (default: the current one), now or at the end of a
/// past day (`as_of`, "YYYY-MM-DD").
#[server(prefix = "/api", endpoint = "tree")]
pub async fn get_tree(period: Option<i64>, as_of: Option<String>) -> Result<TreePage, AppError> {
    let db = crate::state::db()?;
    let mark = crate::state::live()?.mark();
    let as_of = match as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Some(
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| AppError::Malformed("as_of: a date such as 2026-10-01".into()))?,
        ),
        None => None,
    };
    super::server::tree_page(&db, period, as_of, mark).await
}

/// Aligns an objective to `parent` (None: the top level) at `index` among its new
/// siblings, if its version is still `version`.
#[server(prefix = "/api", endpoint = "move_objective")]
pub async fn move_objective(
    objective: i64,
    version: i64,
    parent: Option<Parent>,
    index: u32,
) -> Result<MoveChange, AppError> {
    let db = crate::state::db()?;
    super::server::move_objective(&db, objective, version, parent, index).await
}
