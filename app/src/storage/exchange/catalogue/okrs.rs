//! The OKRs' records: objectives, key results, milestones, alignments and
//! initiatives, and their history: check-ins, comments, follows, the audit trail.

use super::*;

pub const OBJECTIVE: Record = Record {
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
};

pub const KEY_RESULT: Record = Record {
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
        opt(
            "notation",
            Kind::Choice(NOTATIONS),
            "For a metric written as a duration: \"duration\" (its values are seconds, shown as 2:37 or 1:05:00).",
        ),
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
};

pub const MILESTONE: Record = Record {
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
};

pub const ALIGNMENT: Record = Record {
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
};

pub const INITIATIVE: Record = Record {
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
};

pub const CHECK_IN: Record = Record {
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
};

pub const COMMENT: Record = Record {
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
};

pub const FOLLOW: Record = Record {
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
};

pub const AUDIT_EVENT: Record = Record {
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
};
