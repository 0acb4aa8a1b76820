//! The wire contract of the strategy plan: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use serde::{Deserialize, Serialize};

use crate::okr::ObjectiveView;

/// A strategy: an objective aligned to the plan's objective, with what measures it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strategy {
    pub objective: ObjectiveView,
    /// The goal (key result) it hangs under, if any.
    pub goal: Option<String>,
    /// Actions: the strategy's initiatives, and whether each is done.
    pub actions: Vec<(String, bool)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanPage {
    pub period: (i64, String),
    pub objective: ObjectiveView,
    /// Its description's Markdown, rendered and sanitised on the server.
    pub description: Option<String>,
    pub strategies: Vec<Strategy>,
}
