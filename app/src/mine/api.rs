use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::checkins::CheckInSpec;
use crate::error::AppError;
use crate::okr::{KeyResultView, ObjectiveView, PeriodContext};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyKeyResult {
    pub view: KeyResultView,
    /// The period is running and the last check-in is a week old, or there is none.
    pub due: bool,
    /// The check-in form, when I may check in and the period is open.
    pub check_in: Option<CheckInSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyObjective {
    pub view: ObjectiveView,
    /// Whether I may edit it (the edit link shows only then).
    pub editable: bool,
    pub key_results: Vec<MyKeyResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinePage {
    pub period: Option<PeriodContext>,
    pub objectives: Vec<MyObjective>,
    /// How many key results need a check-in.
    pub due: usize,
    /// Where this page's live stream starts.
    pub live_mark: i64,
}

#[server(prefix = "/api", endpoint = "my_okrs")]
pub async fn my_okrs(period: Option<i64>) -> Result<MinePage, AppError> {
    let db = crate::state::db()?;
    super::server::my_okrs(&db, period).await
}
