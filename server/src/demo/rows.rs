//! The rows the generator produces, before they are written.

use cairn::key_result::Measure;
use cairn::period::{PeriodState, Span};
use chrono::{NaiveDate, NaiveTime};

/// Ids handed out in creation order, so rows can refer to each other before they
/// are written.
#[derive(Default)]
pub struct Ids {
    pub objective: i64,
    pub key_result: i64,
    pub milestone: i64,
    pub check_in: i64,
    pub link: i64,
    pub initiative: i64,
    pub comment: i64,
}

/// A period the generator fills.
pub struct PeriodPlan {
    pub id: i64,
    pub span: Span,
    pub state: PeriodState,
    pub is_year: bool,
}

#[derive(Clone, Copy)]
pub enum OwnerRef {
    Unit(i64),
    Person(i64),
}

pub struct ObjectiveRow {
    pub id: i64,
    pub period: i64,
    pub owner: OwnerRef,
    pub title: String,
    pub description: Option<&'static str>,
    pub committed: bool,
    pub state: &'static str,
    pub weight: f64,
    pub position: i64,
    pub progress: f64,
    pub grade: Option<f64>,
    pub created_at: i64,
}

pub struct KeyResultRow {
    pub id: i64,
    pub objective: i64,
    pub title: String,
    pub measure: Measure,
    pub weight: f64,
    pub owner: i64,
    pub position: i64,
    pub current_value: Option<f64>,
    pub progress: f64,
    pub confidence: Option<i64>,
    pub last_check_in_at: Option<i64>,
    pub grade: Option<f64>,
    pub created_at: i64,
}

pub struct MilestoneRow {
    pub id: i64,
    pub key_result: i64,
    pub title: String,
    pub position: i64,
    pub done_at: Option<i64>,
}

pub struct CheckInRow {
    pub id: i64,
    pub key_result: i64,
    pub author: i64,
    pub at: i64,
    pub value: Option<f64>,
    pub milestones_done: Option<String>,
    pub confidence: i64,
    pub note: Option<String>,
}

pub struct InitiativeRow {
    pub id: i64,
    pub objective: i64,
    pub title: &'static str,
    pub done: bool,
    pub position: i64,
}

pub struct CommentRow {
    pub id: i64,
    pub objective: i64,
    pub author: i64,
    pub at: i64,
    pub body: &'static str,
}

pub struct LinkRow {
    pub id: i64,
    pub child: i64,
    pub parent_objective: Option<i64>,
    pub parent_key_result: Option<i64>,
    pub at: i64,
}

#[derive(Default)]
pub struct PeriodOkrs {
    pub objectives: Vec<ObjectiveRow>,
    pub key_results: Vec<KeyResultRow>,
    pub milestones: Vec<MilestoneRow>,
    pub check_ins: Vec<CheckInRow>,
    pub links: Vec<LinkRow>,
    pub initiatives: Vec<InitiativeRow>,
    pub comments: Vec<CommentRow>,
}

pub fn ms(date: NaiveDate, hour: u32) -> i64 {
    date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default())
        .and_utc()
        .timestamp_millis()
}
