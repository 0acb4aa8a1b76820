//! The catalogue: every record type of the exchange document and its fields, in
//! the order the document lists them, and what is left out on purpose.

use super::tables::{Field, Kind, Record, Rule};

const fn f(name: &'static str, kind: Kind, doc: &'static str) -> Field {
    Field {
        name,
        kind,
        nullable: false,
        refers: None,
        rule: Rule::Any,
        doc,
    }
}

const fn opt(name: &'static str, kind: Kind, doc: &'static str) -> Field {
    Field {
        name,
        kind,
        nullable: true,
        refers: None,
        rule: Rule::Any,
        doc,
    }
}

const fn to(name: &'static str, record: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        kind: Kind::Int,
        nullable: false,
        refers: Some(record),
        rule: Rule::Any,
        doc,
    }
}

const fn opt_to(name: &'static str, record: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        kind: Kind::Int,
        nullable: true,
        refers: Some(record),
        rule: Rule::Any,
        doc,
    }
}

const ID: Field = f(
    "id",
    Kind::Int,
    "The record's id; others refer to it by this number.",
);
const VERSION: Field = f(
    "version",
    Kind::Int,
    "How many times the row was changed, from 1.",
);
const POSITION: Field = f(
    "position",
    Kind::Int,
    "Order among its siblings, ascending.",
);
const CREATED: Field = f("created_at", Kind::Time, "When it was created.");

const UNIT_KINDS: &[&str] = &["organisation", "department", "team"];
const ROLES: &[&str] = &["member", "lead", "admin"];
const LANGUAGES: &[&str] = &["en", "nl"];
const PERIOD_KINDS: &[&str] = &["year", "quarter", "custom", "backlog"];
const PERIOD_STATES: &[&str] = &["planning", "active", "grading", "closed"];
const COMMITMENTS: &[&str] = &["committed", "aspirational"];
const OBJECTIVE_STATES: &[&str] = &["draft", "active", "completed", "abandoned"];
const MEASURES: &[&str] = &["metric", "binary", "milestones"];
const DIRECTIONS: &[&str] = &[
    "increase",
    "decrease",
    "stay_at_or_above",
    "stay_at_or_below",
];
const SOURCES: &[&str] = &["ui", "api", "import"];
const NOTICE_KINDS: &[&str] = &[
    "reminder",
    "escalation",
    "digest",
    "mention",
    "reply",
    "grading",
    "webhook",
];
const DELIVERIES: &[&str] = &["email", "in_app", "off"];

/// Every record type, in the order the document lists them: a record only refers
/// to records of its own type or of types listed before it.
pub const RECORDS: &[Record] = &[
    Record {
        name: "unit",
        plural: "units",
        table: "org_units",
        key: &["id"],
        doc: "A unit of the organisation: the organisation itself, a department or a team.",
        fields: &[
            ID,
            opt_to(
                "parent_id",
                "unit",
                "The unit it belongs to; none for the organisation.",
            ),
            f("name", Kind::Text, "Its name.").keeps(Rule::Name),
            f("kind", Kind::Choice(UNIT_KINDS), "What kind of unit it is."),
            f("active", Kind::Flag, "false once the unit was retired."),
            VERSION,
            CREATED,
        ],
    },
    Record {
        name: "person",
        plural: "people",
        table: "people",
        key: &["id"],
        doc: "Someone in the organisation.",
        fields: &[
            ID,
            f("name", Kind::Text, "Their name.").keeps(Rule::Name),
            f("email", Kind::Text, "Their email address, unique.").keeps(Rule::Email),
            f("active", Kind::Flag, "false once they left."),
            VERSION,
            CREATED,
            opt(
                "language",
                Kind::Choice(LANGUAGES),
                "The language they chose; none: the browser's.",
            ),
        ],
    },
    Record {
        name: "account",
        plural: "accounts",
        table: "accounts",
        key: &["person_id"],
        doc: "A person who may sign in. Password hashes are never exported: after an import, people sign in through the identity provider or a sign-in link, or set a new password.",
        fields: &[
            to("person_id", "person", "Whose account it is."),
            f(
                "is_admin",
                Kind::Flag,
                "Whether they administer the installation.",
            ),
            CREATED,
            opt(
                "password_changed_at",
                Kind::Time,
                "When their password was last set.",
            ),
        ],
    },
    Record {
        name: "identity",
        plural: "identities",
        table: "identities",
        key: &["provider", "subject"],
        doc: "A person's identity at the organisation's OpenID provider.",
        fields: &[
            f("provider", Kind::Text, "The provider's issuer."),
            f(
                "subject",
                Kind::Text,
                "The person's subject at that provider.",
            ),
            to("person_id", "person", "Who it is."),
            f("email", Kind::Text, "The address the provider gave."),
            CREATED,
            f(
                "last_sign_in_at",
                Kind::Time,
                "Their last sign-in through it.",
            ),
        ],
    },
    Record {
        name: "membership",
        plural: "memberships",
        table: "memberships",
        key: &["unit_id", "person_id"],
        doc: "A person's place in a unit.",
        fields: &[
            to("unit_id", "unit", "The unit."),
            to("person_id", "person", "The person."),
            f("role", Kind::Choice(ROLES), "What they may do there."),
        ],
    },
    Record {
        name: "cadence",
        plural: "cadences",
        table: "unit_cadences",
        key: &["unit_id"],
        doc: "A unit's weekly rhythm: when check-in reminders and digests go out.",
        fields: &[
            to("unit_id", "unit", "The unit."),
            f(
                "enabled",
                Kind::Flag,
                "Whether reminders and digests are sent.",
            ),
            f(
                "time_zone",
                Kind::Text,
                "The IANA time zone the days and minutes are in.",
            ),
            f(
                "reminder_day",
                Kind::Int,
                "Day of the reminder, 0 = Monday.",
            ),
            f("reminder_minute", Kind::Int, "Minute of that day."),
            f("digest_day", Kind::Int, "Day of the digest, 0 = Monday."),
            f("digest_minute", Kind::Int, "Minute of that day."),
            f(
                "grace",
                Kind::Int,
                "Days after the reminder before a lead hears of it.",
            ),
            VERSION,
        ],
    },
    Record {
        name: "preference",
        plural: "preferences",
        table: "notice_preferences",
        key: &["person_id", "kind"],
        doc: "How a person wants to hear of one kind of notice.",
        fields: &[
            to("person_id", "person", "Whose preference it is."),
            f("kind", Kind::Choice(NOTICE_KINDS), "The kind of notice."),
            f(
                "delivery",
                Kind::Choice(DELIVERIES),
                "By email, in the app only, or not at all.",
            ),
        ],
    },
    Record {
        name: "period",
        plural: "periods",
        table: "periods",
        key: &["id"],
        doc: "A year, a quarter, a custom period or the backlog.",
        fields: &[
            ID,
            f("kind", Kind::Choice(PERIOD_KINDS), "What kind of period."),
            f("name", Kind::Text, "How people see it: \"2027 Q1\".").keeps(Rule::Name),
            opt("starts_on", Kind::Day, "First day; none for the backlog."),
            opt("ends_on", Kind::Day, "Last day; none for the backlog."),
            opt_to(
                "parent_id",
                "period",
                "The period it lies in: a quarter's year.",
            ),
            f(
                "state",
                Kind::Choice(PERIOD_STATES),
                "Where it is in its cycle.",
            ),
            VERSION,
        ],
    },
    Record {
        name: "objective",
        plural: "objectives",
        table: "objectives",
        key: &["id"],
        doc: "An objective, owned by a unit or by a person.",
        fields: &[
            ID,
            to("period_id", "period", "The period it is set for."),
            opt_to(
                "owner_unit_id",
                "unit",
                "The owning unit (or owner_person_id).",
            ),
            opt_to(
                "owner_person_id",
                "person",
                "The owning person (or owner_unit_id).",
            ),
            f("title", Kind::Text, "What it wants to achieve.").keeps(Rule::Title),
            opt("description", Kind::Text, "Markdown.").keeps(Rule::LongText),
            f(
                "commitment",
                Kind::Choice(COMMITMENTS),
                "Committed or aspirational.",
            ),
            f("state", Kind::Choice(OBJECTIVE_STATES), "Its state."),
            f(
                "weight",
                Kind::Real,
                "Its weight in what it aligns to, above 0.",
            )
            .keeps(Rule::Weight),
            POSITION,
            f(
                "progress",
                Kind::Real,
                "0 to 1, rolled up from its key results.",
            )
            .keeps(Rule::Fraction),
            opt(
                "grade",
                Kind::Real,
                "0 to 1, given at the end of the period.",
            )
            .keeps(Rule::Fraction),
            opt("retrospective", Kind::Text, "What was learned, at grading.").keeps(Rule::LongText),
            VERSION,
            CREATED,
            f("updated_at", Kind::Time, "Last changed."),
            opt_to(
                "carried_from",
                "objective",
                "The objective of an earlier period it continues.",
            ),
        ],
    },
    Record {
        name: "key_result",
        plural: "key results",
        table: "key_results",
        key: &["id"],
        doc: "A key result of an objective: a number from a start to a target, done or not, or milestones.",
        fields: &[
            ID,
            to("objective_id", "objective", "Its objective."),
            f("title", Kind::Text, "What is measured.").keeps(Rule::Title),
            f("kind", Kind::Choice(MEASURES), "How it is measured."),
            opt(
                "direction",
                Kind::Choice(DIRECTIONS),
                "For a metric: which way is better.",
            ),
            opt("start_value", Kind::Real, "For a metric: where it starts.").keeps(Rule::Value),
            opt(
                "target_value",
                Kind::Real,
                "For a metric: where it should be.",
            )
            .keeps(Rule::Value),
            opt(
                "unit_label",
                Kind::Text,
                "For a metric: the unit (\"%\", \"EUR\").",
            )
            .keeps(Rule::UnitLabel),
            f(
                "weight",
                Kind::Real,
                "Its weight in the objective, above 0.",
            )
            .keeps(Rule::Weight),
            opt_to("owner_person_id", "person", "Who checks in on it."),
            opt("due_on", Kind::Day, "When it is due."),
            POSITION,
            opt(
                "current_value",
                Kind::Real,
                "The latest reading (1/0 when done or not).",
            )
            .keeps(Rule::Value),
            f("progress", Kind::Real, "0 to 1, from the latest reading.").keeps(Rule::Fraction),
            opt("confidence", Kind::Int, "The latest confidence, 0 to 10.").keeps(Rule::Confidence),
            opt(
                "last_check_in_at",
                Kind::Time,
                "When it was last checked in on.",
            ),
            opt(
                "grade",
                Kind::Real,
                "0 to 1, given at the end of the period.",
            )
            .keeps(Rule::Fraction),
            opt("grade_reason", Kind::Text, "Why that grade.").keeps(Rule::LongText),
            VERSION,
            CREATED,
            f("updated_at", Kind::Time, "Last changed."),
        ],
    },
    Record {
        name: "milestone",
        plural: "milestones",
        table: "milestones",
        key: &["id"],
        doc: "A milestone of a key result measured by milestones.",
        fields: &[
            ID,
            to("key_result_id", "key_result", "Its key result."),
            f("title", Kind::Text, "What is to be done.").keeps(Rule::Title),
            f("weight", Kind::Real, "Its weight, above 0.").keeps(Rule::Weight),
            POSITION,
            opt("done_at", Kind::Time, "When it was done."),
        ],
    },
    Record {
        name: "alignment",
        plural: "alignments",
        table: "alignments",
        key: &["id"],
        doc: "An objective aligned to a parent objective or key result, for a time: the history of the cascade.",
        fields: &[
            ID,
            to("child_id", "objective", "The aligned objective."),
            opt_to(
                "parent_objective_id",
                "objective",
                "The parent objective (or parent_key_result_id).",
            ),
            opt_to(
                "parent_key_result_id",
                "key_result",
                "The parent key result (or parent_objective_id).",
            ),
            f(
                "is_primary",
                Kind::Flag,
                "Whether it is the objective's place in the tree.",
            ),
            f("valid_from", Kind::Time, "Since when."),
            opt("valid_to", Kind::Time, "Until when; none while it holds."),
        ],
    },
    Record {
        name: "initiative",
        plural: "initiatives",
        table: "initiatives",
        key: &["id"],
        doc: "Work planned to move an objective.",
        fields: &[
            ID,
            to("objective_id", "objective", "Its objective."),
            f("title", Kind::Text, "What is to be done.").keeps(Rule::Title),
            f("done", Kind::Flag, "Whether it is done."),
            POSITION,
            VERSION,
        ],
    },
    Record {
        name: "check_in",
        plural: "check-ins",
        table: "check_ins",
        key: &["id"],
        doc: "A reading of a key result with a confidence, as it was given.",
        fields: &[
            ID,
            to("key_result_id", "key_result", "The key result."),
            opt_to("author_id", "person", "Who checked in; none for imports."),
            f("at", Kind::Time, "When."),
            opt(
                "value",
                Kind::Real,
                "The reading (1/0 for done or not); none for milestones.",
            )
            .keeps(Rule::Value),
            opt(
                "milestones_done",
                Kind::Text,
                "For milestones: the ids of the milestones done, separated by commas.",
            ),
            f("confidence", Kind::Int, "0 to 10.").keeps(Rule::Confidence),
            opt("note", Kind::Text, "What was said with it.").keeps(Rule::LongText),
            f("source", Kind::Choice(SOURCES), "Where it came from."),
            opt(
                "request_key",
                Kind::Text,
                "The idempotency key an API client sent.",
            ),
        ],
    },
    Record {
        name: "comment",
        plural: "comments",
        table: "comments",
        key: &["id"],
        doc: "A comment on an objective, perhaps about one check-in.",
        fields: &[
            ID,
            to("objective_id", "objective", "The objective."),
            opt_to("author_id", "person", "Who wrote it."),
            f("at", Kind::Time, "When."),
            f("body", Kind::Text, "Markdown.").keeps(Rule::LongText),
            opt_to("check_in_id", "check_in", "The check-in it is about."),
        ],
    },
    Record {
        name: "follow",
        plural: "follows",
        table: "follows",
        key: &["person_id", "objective_id"],
        doc: "A person following an objective.",
        fields: &[
            to("person_id", "person", "Who follows."),
            to("objective_id", "objective", "What they follow."),
            f("since", Kind::Time, "Since when."),
        ],
    },
    Record {
        name: "audit_event",
        plural: "audit events",
        table: "audit_events",
        key: &["id"],
        doc: "One entry of the audit trail: who changed what, before and after.",
        fields: &[
            ID,
            f("at", Kind::Time, "When."),
            opt_to("actor_id", "person", "Who; none for the system."),
            f("action", Kind::Text, "What was done (\"check_in.create\")."),
            f("entity", Kind::Text, "What kind of row."),
            f("entity_id", Kind::Int, "Which row."),
            opt("before", Kind::Text, "The row before, as JSON text."),
            opt("after", Kind::Text, "The row after, as JSON text."),
            opt(
                "via",
                Kind::Text,
                "How: the API token's name, the importer.",
            ),
        ],
    },
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
