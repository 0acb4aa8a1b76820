//! The entities of an OKR portal, as both sides of the wire see them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::alignment::Parent;
use crate::grading::{Commitment, Grade};
use crate::ids::*;
use crate::key_result::{Measure, Reading};
use crate::progress::Progress;
use crate::values::{Confidence, Email, LongText, Name, Title, Weight};

/// What kind of unit this is; the tree may nest any kind under any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Organisation,
    Department,
    Team,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Organisation => "organisation",
            UnitKind::Department => "department",
            UnitKind::Team => "team",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [UnitKind::Organisation, UnitKind::Department, UnitKind::Team]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

/// A node of the organisation tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub id: UnitId,
    pub parent: Option<UnitId>,
    pub name: Name,
    pub kind: UnitKind,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub name: Name,
    pub email: Email,
    pub active: bool,
    pub version: i64,
}

/// What a person may do in a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    Lead,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Lead => "lead",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Role::Member, Role::Lead, Role::Admin]
            .into_iter()
            .find(|r| r.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Membership {
    pub unit: UnitId,
    pub person: PersonId,
    pub role: Role,
}

/// Who an objective belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Owner {
    Unit(UnitId),
    Person(PersonId),
}

/// Where an objective stands in its own life, apart from its period's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveState {
    Draft,
    Active,
    Completed,
    Abandoned,
}

impl ObjectiveState {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectiveState::Draft => "draft",
            ObjectiveState::Active => "active",
            ObjectiveState::Completed => "completed",
            ObjectiveState::Abandoned => "abandoned",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Draft, Self::Active, Self::Completed, Self::Abandoned]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    pub id: ObjectiveId,
    pub period: PeriodId,
    pub owner: Owner,
    pub title: Title,
    pub description: Option<LongText>,
    pub commitment: Commitment,
    pub state: ObjectiveState,
    pub weight: Weight,
    /// Manual order among siblings; lower comes first.
    pub position: i64,
    /// Cached roll-up of its key results.
    pub progress: Progress,
    pub grade: Option<Grade>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyResult {
    pub id: KeyResultId,
    pub objective: ObjectiveId,
    pub title: Title,
    pub measure: Measure,
    pub weight: Weight,
    pub owner: Option<PersonId>,
    pub due: Option<NaiveDate>,
    pub position: i64,
    /// Cached from the latest check-in.
    pub reading: Option<Reading>,
    pub progress: Progress,
    pub confidence: Option<Confidence>,
    pub last_check_in_ms: Option<i64>,
    pub grade: Option<Grade>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub id: MilestoneId,
    pub key_result: KeyResultId,
    pub title: Title,
    pub weight: Weight,
    pub position: i64,
    pub done_at_ms: Option<i64>,
}

/// Where a check-in came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Ui,
    Api,
    Import,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Ui => "ui",
            Source::Api => "api",
            Source::Import => "import",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Source::Ui, Source::Api, Source::Import]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    pub id: CheckInId,
    pub key_result: KeyResultId,
    pub author: Option<PersonId>,
    pub at_ms: i64,
    pub reading: Reading,
    pub confidence: Confidence,
    pub note: Option<LongText>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Initiative {
    pub id: InitiativeId,
    pub objective: ObjectiveId,
    pub title: Title,
    pub done: bool,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: CommentId,
    pub objective: ObjectiveId,
    pub author: Option<PersonId>,
    pub at_ms: i64,
    pub body: LongText,
}

/// A versioned alignment link: open while `valid_to` is None.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub id: LinkId,
    pub child: ObjectiveId,
    pub parent: Parent,
    pub primary: bool,
    pub valid_from_ms: i64,
    pub valid_to_ms: Option<i64>,
}

impl Link {
    /// Whether the link existed at the instant `at_ms`.
    pub fn valid_at(&self, at_ms: i64) -> bool {
        self.valid_from_ms <= at_ms && self.valid_to_ms.is_none_or(|to| at_ms < to)
    }
}
