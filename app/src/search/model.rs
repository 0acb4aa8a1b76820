//! The wire contract of search: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use serde::{Deserialize, Serialize};

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
