use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HitKind {
    Objective,
    KeyResult,
    Person,
}

impl HitKind {
    /// Its name in class names and the search page's markup.
    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Objective => "objective",
            HitKind::KeyResult => "key_result",
            HitKind::Person => "person",
        }
    }
}

/// One hit, ready to link to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    pub kind: HitKind,
    pub title: String,
    pub href: String,
}

/// Everything whose words start with the words typed, best first.
#[server(prefix = "/api", endpoint = "search")]
pub async fn search(query: String) -> Result<Vec<SearchResult>, AppError> {
    let db = crate::state::db()?;
    super::server::search(&db, &query, 12).await
}
