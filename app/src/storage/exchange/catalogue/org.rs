//! The organisation's records: units, people, their accounts, sign-in identities
//! and memberships, what mail they want, and the periods.

use super::*;

pub const UNIT: Record = Record {
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
};

pub const PERSON: Record = Record {
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
};

pub const ACCOUNT: Record = Record {
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
};

pub const IDENTITY: Record = Record {
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
};

pub const MEMBERSHIP: Record = Record {
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
};

pub const CADENCE: Record = Record {
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
};

pub const PREFERENCE: Record = Record {
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
};

pub const PERIOD: Record = Record {
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
};
