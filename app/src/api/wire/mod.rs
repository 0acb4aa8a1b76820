//! The API's resources as JSON: its own types, versioned with `/api/v1` and
//! kept apart from the pages' (which change with the UI). Each is documented in
//! the OpenAPI description by its `ToSchema`. Check-ins, comments, grades, the
//! audit trail and the calling token are in `records`.

mod records;

pub use records::*;

use cairn::alignment::Parent;
use cairn::key_result::{Measure, Reading};
use cairn::model::{self, Owner};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A page of a list: its items, and the cursor of the next page (None: the last).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    /// organisation, department or team
    pub kind: String,
    pub parent_id: Option<i64>,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Membership {
    pub unit_id: i64,
    /// member, lead or admin
    pub role: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub active: bool,
    pub units: Vec<Membership>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Period {
    pub id: i64,
    pub name: String,
    /// year, quarter, custom or backlog
    pub kind: String,
    /// planning, active, grading or closed
    pub state: String,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub parent_id: Option<i64>,
    pub version: i64,
}

impl From<cairn::period::Period> for Period {
    fn from(p: cairn::period::Period) -> Period {
        Period {
            id: p.id.0,
            name: p.name,
            kind: p.kind.as_str().into(),
            state: p.state.as_str().into(),
            starts_on: p.span.map(|s| s.start().to_string()),
            ends_on: p.span.map(|s| s.end().to_string()),
            parent_id: p.parent.map(|p| p.0),
            version: p.version,
        }
    }
}

/// Who owns an objective: a unit or a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OwnerRef {
    /// unit or person
    pub kind: OwnerKind,
    pub id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OwnerKind {
    Unit,
    Person,
}

impl From<Owner> for OwnerRef {
    fn from(owner: Owner) -> OwnerRef {
        match owner {
            Owner::Unit(u) => OwnerRef {
                kind: OwnerKind::Unit,
                id: u.0,
            },
            Owner::Person(p) => OwnerRef {
                kind: OwnerKind::Person,
                id: p.0,
            },
        }
    }
}

impl From<OwnerRef> for Owner {
    fn from(owner: OwnerRef) -> Owner {
        match owner.kind {
            OwnerKind::Unit => Owner::Unit(cairn::ids::UnitId(owner.id)),
            OwnerKind::Person => Owner::Person(cairn::ids::PersonId(owner.id)),
        }
    }
}

/// What an objective aligns to: another objective, or a key result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ParentRef {
    /// objective or key_result
    pub kind: ParentKind,
    pub id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParentKind {
    Objective,
    KeyResult,
}

impl From<Parent> for ParentRef {
    fn from(parent: Parent) -> ParentRef {
        match parent {
            Parent::Objective(o) => ParentRef {
                kind: ParentKind::Objective,
                id: o.0,
            },
            Parent::KeyResult(k) => ParentRef {
                kind: ParentKind::KeyResult,
                id: k.0,
            },
        }
    }
}

impl From<ParentRef> for Parent {
    fn from(parent: ParentRef) -> Parent {
        match parent.kind {
            ParentKind::Objective => Parent::Objective(cairn::ids::ObjectiveId(parent.id)),
            ParentKind::KeyResult => Parent::KeyResult(cairn::ids::KeyResultId(parent.id)),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Milestone {
    pub id: i64,
    pub title: String,
    pub weight: f64,
    pub done: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct KeyResult {
    pub id: i64,
    pub objective_id: i64,
    pub title: String,
    /// metric, binary, milestones or duration (start, target and readings in
    /// seconds; shown as 2:37 or 1:05:00)
    pub kind: String,
    /// For metric and duration key results: increase, decrease, stay_at_or_above
    /// or stay_at_or_below.
    pub direction: Option<String>,
    pub start: Option<f64>,
    pub target: Option<f64>,
    /// The unit of measure (`%`, `EUR`, `min`).
    pub unit: Option<String>,
    /// The latest reading: a number (metric), 1 or 0 (binary), none for milestones.
    pub current: Option<f64>,
    /// 0 to 1.
    pub progress: f64,
    /// The latest check-in's confidence, 0 to 10.
    pub confidence: Option<u8>,
    pub weight: f64,
    pub owner_id: Option<i64>,
    pub due_on: Option<String>,
    /// Milliseconds since the epoch.
    pub last_check_in_at: Option<i64>,
    pub grade: Option<f64>,
    /// Only for milestone key results.
    pub milestones: Vec<Milestone>,
    /// Send it back in If-Match to change it.
    pub version: i64,
}

impl KeyResult {
    pub fn of(kr: &model::KeyResult, milestones: &[model::Milestone]) -> KeyResult {
        let unit = match &kr.measure {
            Measure::Metric { unit, .. } => unit.as_ref().map(|u| u.as_str().to_string()),
            _ => None,
        };
        let (direction, start, target) = match kr.measure.range() {
            Some((start, target, direction)) => (
                Some(direction.as_str().to_string()),
                Some(start.get()),
                Some(target.get()),
            ),
            None => (None, None, None),
        };
        let current = match &kr.reading {
            Some(Reading::Metric(v)) => Some(v.get()),
            Some(Reading::Binary(done)) => Some(if *done { 1.0 } else { 0.0 }),
            _ => None,
        };
        KeyResult {
            id: kr.id.0,
            objective_id: kr.objective.0,
            title: kr.title.as_str().to_string(),
            kind: kr.measure.kind().as_str().to_string(),
            direction,
            start,
            target,
            unit,
            current,
            progress: kr.progress.ratio(),
            confidence: kr.confidence.map(|c| c.get()),
            weight: kr.weight.get(),
            owner_id: kr.owner.map(|p| p.0),
            due_on: kr.due.map(|d| d.to_string()),
            last_check_in_at: kr.last_check_in_ms,
            grade: kr.grade.map(|g| g.get()),
            milestones: milestones
                .iter()
                .map(|m| Milestone {
                    id: m.id.0,
                    title: m.title.as_str().to_string(),
                    weight: m.weight.get(),
                    done: m.done_at_ms.is_some(),
                })
                .collect(),
            version: kr.version,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Initiative {
    pub title: String,
    pub done: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Objective {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
    pub period_id: i64,
    pub owner: OwnerRef,
    /// committed or aspirational
    pub commitment: String,
    /// draft, active, completed or abandoned
    pub state: String,
    pub weight: f64,
    /// 0 to 1: the weighted roll-up of its key results.
    pub progress: f64,
    /// on_track, at_risk or off_track, from progress against the period's pace
    /// and the lowest confidence of its key results.
    pub status: String,
    pub grade: Option<f64>,
    /// What it aligns to.
    pub parent: Option<ParentRef>,
    pub key_results: Vec<KeyResult>,
    pub initiatives: Vec<Initiative>,
    /// Milliseconds since the epoch.
    pub updated_at: i64,
    /// Also its ETag (`"3"`); send it back in If-Match to change it.
    pub version: i64,
}

/// Changes to an objective; what is left out stays as it is.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveChanges {
    pub title: Option<String>,
    /// An empty text removes it.
    pub description: Option<String>,
    /// committed or aspirational
    pub commitment: Option<String>,
    /// draft, active, completed or abandoned
    pub state: Option<String>,
    pub weight: Option<f64>,
}

/// A new objective, with its key results.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewObjective {
    pub period_id: i64,
    pub owner: OwnerRef,
    pub title: String,
    pub description: Option<String>,
    /// committed (the default) or aspirational
    pub commitment: Option<String>,
    /// draft or active (the default)
    pub state: Option<String>,
    pub weight: Option<f64>,
    pub parent: Option<ParentRef>,
    pub key_results: Vec<NewKeyResult>,
}

/// A new key result: a metric (start, target, direction), binary, or milestones.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKeyResult {
    pub title: String,
    /// metric, binary or milestones
    pub kind: String,
    pub start: Option<f64>,
    pub target: Option<f64>,
    /// increase (the default), decrease, stay_at_or_above or stay_at_or_below
    pub direction: Option<String>,
    pub unit: Option<String>,
    pub weight: Option<f64>,
    /// For milestone key results, in order.
    pub milestones: Option<Vec<String>>,
    /// The person who answers for it (an active person's id); the objective's
    /// owner when absent.
    #[serde(default)]
    pub owner: Option<i64>,
    /// When it is due, `2026-11-30`.
    #[serde(default)]
    pub due: Option<String>,
}
