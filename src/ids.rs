//! Typed identifiers: a key result id can never be passed where an objective id is
//! expected. All are database row ids, positive 64-bit integers.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// An organisational unit: the organisation, a department, a team.
    UnitId,
    /// A person.
    PersonId,
    /// A year, quarter, custom period or the backlog.
    PeriodId,
    /// An objective.
    ObjectiveId,
    /// A key result.
    KeyResultId,
    /// A milestone of a milestone key result.
    MilestoneId,
    /// One check-in on a key result.
    CheckInId,
    /// An initiative: work that serves an objective.
    InitiativeId,
    /// A comment in the conversation around an objective.
    CommentId,
    /// A versioned alignment link.
    LinkId,
);
