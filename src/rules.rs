//! The rules a change can break beyond the value of one field. Each refusal is a
//! variant: storage returns it, the wire carries it, and the interface has exactly
//! one message for each (a new rule without a message does not compile).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::period::PeriodError;

#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum Rule {
    /// A key result's kind is fixed once it exists: add a new one instead.
    #[error("a key result's kind cannot change once it exists; add a new key result instead")]
    KindFixed,
    /// A check-in reads as its key result measures: a number, done, or milestones.
    #[error("the check-in does not match the key result's kind")]
    ReadingKind,
    /// A milestone named in a check-in that is not one of the key result's.
    #[error("a milestone that is not part of this key result")]
    ForeignMilestone,
    /// Milestone key results need milestones, and only they have them.
    #[error("milestone key results need milestones, and only they have them")]
    MilestonesMismatch,
    /// Grades are given once the period moves to grading.
    #[error("grades are given once the period moves to grading")]
    NotGrading,
    /// Objectives are carried forward from a period in grading or closed.
    #[error("objectives are carried forward from a period in grading or closed")]
    CarryFromOpenPeriod,
    /// Carrying forward goes into another period.
    #[error("carry forward into another period")]
    CarryIntoSamePeriod,
    /// An objective is carried forward once; this is the copy it already has.
    #[error("this objective was already carried forward (objective {copy})")]
    AlreadyCarried { copy: crate::ids::ObjectiveId },
    /// Only a draft carried forward and left as it was can be undone.
    #[error("only an untouched carried draft can be undone")]
    CarryChanged,
    /// While a period is graded its readings stand: grades start from them.
    #[error("check-ins close when grading starts")]
    CheckInWhileGrading,
    /// A period's dates or its move along the lifecycle.
    #[error(transparent)]
    Period(#[from] PeriodError),
    /// Only the backlog has no dates; every other period has them.
    #[error("only the backlog has no dates")]
    UndatedPeriod,
    /// A period lies inside the period it belongs to.
    #[error("a period must lie inside its parent period")]
    OutsideParentPeriod,
    /// An email address belongs to one person only.
    #[error("that email address is already someone's")]
    EmailTaken,
    /// A unit cannot go under itself or under a unit below it.
    #[error("a unit cannot go under itself or a unit below it")]
    UnitCycle,
    /// The organisation stays at the top; every other unit has a parent.
    #[error("the organisation stays at the top; every other unit has a parent")]
    OrganisationOnTop,
    /// A new unit needs a parent unit.
    #[error("a new unit needs a parent")]
    ParentNeeded,
    /// Admins cannot deactivate themselves or take their own admin rights.
    #[error("admins cannot deactivate themselves or take their own rights")]
    NotYourself,
    /// Demo data and imports of a whole installation go into an empty database.
    #[error("the database already holds an organisation; this goes only into an empty database")]
    NotEmpty,
    /// A key result answers to a person who is in the organisation now.
    #[error("a key result's owner must be an active person")]
    OwnerNotActive,
    /// A check-in is corrected or deleted by the person who made it.
    #[error("only the person who made a check-in can correct or delete it")]
    NotYourCheckIn,
    /// Only a key result's newest check-in can be corrected or deleted: later ones
    /// were made from it.
    #[error("only the newest check-in of a key result can be corrected or deleted")]
    NotNewestCheckIn,
}

impl Rule {
    /// A stable, language-neutral name, for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Rule::KindFixed => "kind-fixed",
            Rule::ReadingKind => "reading-kind",
            Rule::ForeignMilestone => "foreign-milestone",
            Rule::MilestonesMismatch => "milestones-mismatch",
            Rule::NotGrading => "not-grading",
            Rule::CarryFromOpenPeriod => "carry-from-open-period",
            Rule::CarryIntoSamePeriod => "carry-into-same-period",
            Rule::AlreadyCarried { .. } => "already-carried",
            Rule::CarryChanged => "carry-changed",
            Rule::CheckInWhileGrading => "check-in-while-grading",
            Rule::Period(PeriodError::Overlap) => "period-overlap",
            Rule::Period(PeriodError::NoNext) => "period-no-next",
            Rule::Period(PeriodError::EndsBeforeStart) => "period-ends-before-start",
            Rule::Period(PeriodError::Transition { .. }) => "period-transition",
            Rule::Period(PeriodError::DateOutside { .. }) => "period-date-outside",
            Rule::Period(PeriodError::NoSuchQuarter) => "period-no-such-quarter",
            Rule::Period(PeriodError::NoSuchYear) => "period-no-such-year",
            Rule::UndatedPeriod => "undated-period",
            Rule::OutsideParentPeriod => "outside-parent-period",
            Rule::EmailTaken => "email-taken",
            Rule::UnitCycle => "unit-cycle",
            Rule::OrganisationOnTop => "organisation-on-top",
            Rule::ParentNeeded => "parent-needed",
            Rule::NotYourself => "not-yourself",
            Rule::NotEmpty => "not-empty",
            Rule::OwnerNotActive => "owner-not-active",
            Rule::NotYourCheckIn => "not-your-check-in",
            Rule::NotNewestCheckIn => "not-newest-check-in",
        }
    }
}
