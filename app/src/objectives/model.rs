//! The wire contract of an objective's page: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use cairn::status::Verdict;
use serde::{Deserialize, Serialize};

use crate::okr::{KeyResultView, ObjectiveView, OwnerView};
use crate::ui::Chart;

/// An objective above or below this one in the cascade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relative {
    pub id: i64,
    pub title: String,
    pub owner: OwnerView,
    pub progress: f64,
    pub verdict: Verdict,
    /// The key result the link goes through, if it aligns to one.
    pub via_key_result: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub id: i64,
    pub at_ms: i64,
    pub reading: crate::okr::ReadingView,
    pub confidence: u8,
    pub note: Option<String>,
    pub author: Option<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyResultDetail {
    pub view: KeyResultView,
    /// Milestones and whether each is done.
    pub milestones: Vec<(String, bool)>,
    /// Oldest first.
    pub history: Vec<HistoryLine>,
    pub chart: Chart,
    /// The check-in form; None when the period is closed.
    pub check_in: Option<crate::checkins::CheckInSpec>,
}

/// An objective's figure together with everything aligned below it, in any
/// period (a year objective with the quarter objectives aligned to it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WithAligned {
    pub progress: f64,
    pub verdict: Verdict,
    /// The pace of the objective's own period.
    pub expected: f64,
    /// The share its own key results have in it.
    pub own_share: f64,
    /// Each directly aligned objective's figure (with all below it) and share.
    pub children: Vec<crate::okr::InputView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectivePage {
    pub objective: ObjectiveView,
    /// None when nothing is aligned below it.
    #[serde(default)]
    pub with_aligned: Option<WithAligned>,
    /// Its description's Markdown, rendered and sanitised on the server.
    pub description: Option<String>,
    pub period: (i64, String),
    pub parent: Option<Relative>,
    pub children: Vec<Relative>,
    pub key_results: Vec<KeyResultDetail>,
    pub chart: Chart,
    pub initiatives: Vec<(String, bool)>,
    pub comments: Vec<CommentView>,
    /// The period is not closed.
    pub open: bool,
    /// The reader may edit it (the edit link shows only then).
    pub editable: bool,
    /// The reader may grade it now (in grading; a closed period's admin correction).
    pub may_grade: bool,
    /// Where this page's live stream starts.
    pub live_mark: i64,
    pub period_state: cairn::period::PeriodState,
    pub grade: Option<f64>,
    pub retrospective: Option<String>,
    /// The reader's last comment here, when it was refused (kept to send again).
    pub comment_outcome: Option<crate::forms::Outcome>,
    /// Whether the reader follows it (for their weekly digest).
    pub following: bool,
    /// Carried forward from, and to.
    pub carried: (Option<Elsewhere>, Option<Elsewhere>),
}

/// The same objective in another period: its id and the period's name.
pub type Elsewhere = (i64, String);

/// A comment: its author (id, name), when, and what they wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    /// The check-in it answers: its key result's title and when it was.
    pub about: Option<(String, i64)>,
    pub author: Option<(i64, String)>,
    pub at_ms: i64,
    /// The comment's Markdown, rendered and sanitised on the server.
    pub html: String,
}
