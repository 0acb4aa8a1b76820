//! What a notice says, as the inbox keeps it and the pages show it: one type,
//! written by the code that makes a notice and read by the inbox and the mail.

use cairn::notify::{Delivery, NoticeKind};
use serde::{Deserialize, Serialize};

/// One notice to one person: which kind, and what it is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Notice {
    /// Someone mentioned you in a comment.
    Mention(CommentNote),
    /// Someone commented on your objective or answered your check-in.
    Reply(CommentNote),
    /// Key results of yours wait for this week's check-in.
    Reminder { key_results: Vec<DueKeyResult> },
    /// Key results in a unit you lead went unanswered past the grace period.
    Escalation {
        unit: i64,
        unit_name: String,
        /// Reminders left unanswered before leads hear of it.
        grace: u8,
        overdue: Vec<DueKeyResult>,
    },
    /// The week in your units and the OKRs you own or follow.
    Digest(Digest),
    /// A period with objectives of yours entered grading.
    Grading {
        period: i64,
        period_name: String,
        objectives: Vec<Titled>,
    },
    /// A webhook you made failed too often in a row and is switched off.
    WebhookOff {
        webhook: i64,
        url: String,
        failures: i64,
    },
}

impl Notice {
    pub fn kind(&self) -> NoticeKind {
        match self {
            Notice::Mention(_) => NoticeKind::Mention,
            Notice::Reply(_) => NoticeKind::Reply,
            Notice::Reminder { .. } => NoticeKind::Reminder,
            Notice::Escalation { .. } => NoticeKind::Escalation,
            Notice::Digest(_) => NoticeKind::Digest,
            Notice::Grading { .. } => NoticeKind::Grading,
            Notice::WebhookOff { .. } => NoticeKind::Webhook,
        }
    }

    /// The objective it is about, when it is about one.
    pub fn objective(&self) -> Option<i64> {
        match self {
            Notice::Mention(note) | Notice::Reply(note) => Some(note.objective.id),
            _ => None,
        }
    }
}

/// An objective (or key result) by id and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Titled {
    pub id: i64,
    pub title: String,
}

/// A comment someone is told of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentNote {
    pub comment: i64,
    pub objective: Titled,
    pub author: String,
    /// The comment's first words, as typed (plain text, shortened).
    pub excerpt: String,
    /// Whether it answers one of your check-ins (a reply only).
    #[serde(default)]
    pub on_your_check_in: bool,
}

/// A key result waiting for a check-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueKeyResult {
    pub key_result: Titled,
    pub objective: Titled,
    /// Who is asked to check in on it.
    pub person: String,
    /// Reminders in a row, this one included.
    pub reminders: u32,
    /// Days since its last check-in; None when it never had one.
    pub quiet_days: Option<i64>,
}

/// A week in someone's units and the OKRs they own or follow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    /// The first day of the week it covers (`2026-11-16`).
    pub week_of: String,
    pub changes: Vec<DigestChange>,
    /// Further changes not listed.
    pub more_changes: usize,
    pub at_risk: Vec<AtRisk>,
    pub to_do: Vec<DueKeyResult>,
}

impl Digest {
    /// A digest with nothing in it is not sent.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.at_risk.is_empty() && self.to_do.is_empty()
    }
}

/// What happened to an objective during the week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigestChange {
    pub objective: Titled,
    pub check_ins: u32,
    pub comments: u32,
    pub moves: u32,
    /// Edited (its state, title, key results) or graded.
    pub edits: u32,
    /// Its progress now, 0 to 1.
    pub progress: f64,
}

/// A key result at risk or off track now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AtRisk {
    pub key_result: Titled,
    pub objective: Titled,
    pub status: cairn::status::Status,
    pub progress: f64,
}

/// A notice in the inbox, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxItem {
    pub id: i64,
    pub at: i64,
    pub read: bool,
    pub notice: Notice,
}

/// What a notice says, in the reader's language: the same words its mail says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Told {
    pub headline: String,
    pub blocks: Vec<Block>,
    /// Where to act on it: a label and an address.
    pub action: Option<(String, String)>,
    /// Why it came.
    pub why: String,
}

/// A part of what a notice says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Block {
    Text(String),
    Heading(String),
    /// Lines, each with the address it is about.
    List(Vec<(String, Option<String>)>),
}

/// A notice in the inbox, told in the reader's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxEntry {
    pub id: i64,
    pub at: i64,
    pub read: bool,
    pub kind: NoticeKind,
    pub told: Told,
}

/// `/inbox`: the newest notices, and how many are unread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxPage {
    pub items: Vec<InboxEntry>,
    pub unread: i64,
    /// The id to page on from, when there are older ones.
    pub older: Option<i64>,
    /// The live mark the page was read at.
    pub live_mark: i64,
    /// Whether mail is sent at all on this installation.
    pub mail_on: bool,
}

/// How a person hears of each kind of notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preferences {
    pub choices: Vec<(NoticeKind, Delivery)>,
    /// The language mail is written in.
    pub language: String,
    pub mail_on: bool,
}

/// An unsubscribe link's page: what it stops, for whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unsubscribing {
    pub kind: NoticeKind,
    /// The address, partly hidden: `a…@waterland.example`.
    pub email: String,
    /// How that person hears of it now.
    pub now: Delivery,
    /// What the form posts to.
    pub action: String,
    /// What the last post did, when it was this link's.
    pub outcome: Option<crate::forms::Outcome>,
}

/// A unit's weekly rhythm as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rhythm {
    pub unit: i64,
    /// The rhythm it follows, if any, and the unit it comes from (itself or one above).
    pub follows: Option<(cairn::notify::Cadence, i64, String)>,
    /// The version of its own rhythm, when it has one.
    pub own_version: Option<i64>,
    /// Whether the signed-in person may change it (its leads, leads above, admins).
    pub may_change: bool,
    /// Every time zone as the form's `<option>`s, written once per process (only
    /// when it may be changed).
    pub zone_options: String,
}
