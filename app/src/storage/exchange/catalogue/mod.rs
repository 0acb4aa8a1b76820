//! The catalogue: every record type of the exchange document and its fields, in
//! the order the document lists them, and what is left out on purpose. The
//! records themselves: the organisation and its people ([`org`]), the OKRs and
//! their history ([`okrs`]).

use super::tables::{Field, Kind, Record, Rule};

mod okrs;
mod org;

use okrs::*;
use org::*;

pub(super) const fn f(name: &'static str, kind: Kind, doc: &'static str) -> Field {
    Field {
        name,
        kind,
        nullable: false,
        refers: None,
        rule: Rule::Any,
        doc,
    }
}

pub(super) const fn opt(name: &'static str, kind: Kind, doc: &'static str) -> Field {
    Field {
        name,
        kind,
        nullable: true,
        refers: None,
        rule: Rule::Any,
        doc,
    }
}

pub(super) const fn to(name: &'static str, record: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        kind: Kind::Int,
        nullable: false,
        refers: Some(record),
        rule: Rule::Any,
        doc,
    }
}

pub(super) const fn opt_to(name: &'static str, record: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        kind: Kind::Int,
        nullable: true,
        refers: Some(record),
        rule: Rule::Any,
        doc,
    }
}

pub(super) const ID: Field = f(
    "id",
    Kind::Int,
    "The record's id; others refer to it by this number.",
);
pub(super) const VERSION: Field = f(
    "version",
    Kind::Int,
    "How many times the row was changed, from 1.",
);
pub(super) const POSITION: Field = f(
    "position",
    Kind::Int,
    "Order among its siblings, ascending.",
);
pub(super) const CREATED: Field = f("created_at", Kind::Time, "When it was created.");

pub(super) const UNIT_KINDS: &[&str] = &["organisation", "department", "team"];
pub(super) const ROLES: &[&str] = &["member", "lead", "admin"];
pub(super) const LANGUAGES: &[&str] = &["en", "nl"];
pub(super) const PERIOD_KINDS: &[&str] = &["year", "quarter", "custom", "backlog"];
pub(super) const PERIOD_STATES: &[&str] = &["planning", "active", "grading", "closed"];
pub(super) const COMMITMENTS: &[&str] = &["committed", "aspirational"];
pub(super) const OBJECTIVE_STATES: &[&str] = &["draft", "active", "completed", "abandoned"];
pub(super) const MEASURES: &[&str] = &["metric", "binary", "milestones"];
pub(super) const NOTATIONS: &[&str] = &["duration"];
pub(super) const DIRECTIONS: &[&str] = &[
    "increase",
    "decrease",
    "stay_at_or_above",
    "stay_at_or_below",
];
pub(super) const SOURCES: &[&str] = &["ui", "api", "import"];
pub(super) const NOTICE_KINDS: &[&str] = &[
    "reminder",
    "escalation",
    "digest",
    "mention",
    "reply",
    "grading",
    "webhook",
];
pub(super) const DELIVERIES: &[&str] = &["email", "in_app", "off"];

/// Every record type, in the order the document lists them: a record only refers
/// to records of its own type or of types listed before it.
pub const RECORDS: &[Record] = &[
    UNIT,
    PERSON,
    ACCOUNT,
    IDENTITY,
    MEMBERSHIP,
    CADENCE,
    PREFERENCE,
    PERIOD,
    OBJECTIVE,
    KEY_RESULT,
    MILESTONE,
    ALIGNMENT,
    INITIATIVE,
    CHECK_IN,
    COMMENT,
    FOLLOW,
    AUDIT_EVENT,
];

/// Columns the document leaves out on purpose, table by table: secrets, and
/// what only makes sense inside one running installation.
pub const LEFT_OUT: &[(&str, &[&str], &str)] = &[
    (
        "instance",
        &["id", "secret"],
        "the installation's own signing secret",
    ),
    ("accounts", &["password_hash"], "a secret"),
    (
        "check_ins",
        &["api_token_id"],
        "API tokens are secrets and are not exported",
    ),
];

/// Tables the document leaves out whole, and why.
pub const TABLES_LEFT_OUT: &[(&str, &str)] = &[
    ("events", "live events for open browsers, kept for minutes"),
    ("sessions", "secrets"),
    ("sign_in_links", "secrets"),
    ("sign_in_failures", "rate limiting, kept for minutes"),
    ("link_requests", "rate limiting, kept for minutes"),
    ("api_tokens", "secrets"),
    ("webhooks", "they hold signing secrets"),
    ("webhook_deliveries", "the delivery log of webhooks"),
    ("outbox", "mail waiting to be sent"),
    ("outbox_attempts", "the delivery log of mail"),
    ("notices", "the inbox: made again from what happens next"),
    ("schedule_runs", "when reminders last went out"),
];
