//! The wire contract of search: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use serde::{Deserialize, Serialize};

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HitKind {
    Objective,
    KeyResult,
    Person,
    Unit,
}

impl HitKind {
    pub const ALL: [HitKind; 4] = [
        HitKind::Objective,
        HitKind::KeyResult,
        HitKind::Person,
        HitKind::Unit,
    ];

    /// Its name in class names and the search page's markup.
    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Objective => "objective",
            HitKind::KeyResult => "key_result",
            HitKind::Person => "person",
            HitKind::Unit => "unit",
        }
    }
}

/// One hit, ready to link to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    pub kind: HitKind,
    pub title: String,
    pub href: String,
    /// Whose it is: an objective's owner (a key result's objective's), a person's
    /// units, a unit's parent.
    pub owner: Option<String>,
    /// The period of an objective or key result, and its state.
    pub period: Option<(String, cairn::period::PeriodState)>,
}

impl SearchResult {
    /// What tells it apart, in words: "Sales · 2026 Q3", "Marketing, Sales",
    /// "Sales · 2026 Q2 (closed)", with `state` naming a period not running.
    pub fn context(&self, state: impl Fn(cairn::period::PeriodState) -> String) -> Option<String> {
        let period = self.period.as_ref().map(|(name, s)| match s {
            cairn::period::PeriodState::Active => name.clone(),
            other => format!("{name} ({})", state(*other)),
        });
        match (self.owner.as_deref(), period) {
            (Some(owner), Some(period)) => Some(format!("{owner} · {period}")),
            (Some(owner), None) => Some(owner.to_string()),
            (None, period) => period,
        }
    }
}
