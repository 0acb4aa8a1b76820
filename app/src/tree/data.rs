//! The cascade as it travels from server to browser: compact rows, no field names
//! repeated per node.

use cairn::alignment::Parent;
use cairn::ids::{KeyResultId, ObjectiveId};
use serde::{Deserialize, Serialize};

use crate::okr::PeriodContext;

/// A period's cascade, compact enough to send whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeData {
    pub period: i64,
    /// Share of the period passed, 0..1: the expected pace.
    pub elapsed: f64,
    pub objectives: Vec<NodeData>,
    pub key_results: Vec<KrData>,
    /// Owners, referred to by index.
    pub owners: Vec<OwnerData>,
    /// Nothing can be moved: the tree of a past date, or a closed period.
    pub read_only: bool,
    /// The live mark the data was read at: the event stream starts here.
    pub mark: i64,
    /// Per owner (same order as `owners`): whether the reader may move their objectives.
    #[serde(default)]
    pub editable: Vec<bool>,
    /// The expected pace of each period with objectives in the tree (a year's
    /// objectives above a quarter's are judged against the year's).
    #[serde(default)]
    pub paces: Vec<(i64, f64)>,
    /// The names of those periods, for telling equal titles apart.
    #[serde(default)]
    pub period_names: Vec<(i64, String)>,
    /// In a year's tree: each year objective's figure with everything aligned below
    /// it in any period (Σ), for those with something aligned.
    #[serde(default)]
    pub beyond: Vec<(i64, f64)>,
}

impl TreeData {
    /// The expected pace of an objective of `period`: its own period's.
    pub fn pace(&self, period: i64) -> f64 {
        self.paces
            .iter()
            .find(|(p, _)| *p == period)
            .map_or(self.elapsed, |(_, pace)| *pace)
    }

    /// An objective's figure with what is aligned below it in other periods.
    pub fn beyond(&self, objective: i64) -> Option<f64> {
        self.beyond
            .iter()
            .find(|(id, _)| *id == objective)
            .map(|(_, figure)| *figure)
    }

    /// Whose an objective is and when: "Team Data · 2026 Q3".
    pub fn context_of(&self, objective: &NodeData) -> String {
        let owner = self
            .owners
            .get(objective.owner as usize)
            .map(|o| o.name.as_str())
            .unwrap_or_default();
        match self
            .period_names
            .iter()
            .find(|(p, _)| *p == objective.period)
        {
            Some((_, period)) => format!("{owner} · {period}"),
            None => owner.to_string(),
        }
    }
}

/// Objectives, key results and owners travel as arrays, not objects: a tree of
/// thousands of nodes is sent without repeating field names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "NodeWire", from = "NodeWire")]
pub struct NodeData {
    pub id: i64,
    pub period: i64,
    pub title: String,
    pub owner: u32,
    pub progress: f64,
    pub weight: f64,
    pub parent: Option<Parent>,
    pub position: i64,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "KrWire", from = "KrWire")]
pub struct KrData {
    pub id: i64,
    pub objective: i64,
    pub title: String,
    pub progress: f64,
    pub confidence: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "(String, String)", from = "(String, String)")]
pub struct OwnerData {
    /// "unit:3" or "person:12": how the owner filter names it.
    pub key: String,
    pub name: String,
}

impl OwnerData {
    /// The owner's page.
    pub fn href(&self) -> String {
        match self.key.split_once(':') {
            Some(("unit", id)) => format!("/units/{id}"),
            Some(("person", id)) => format!("/people/{id}"),
            _ => "/".to_string(),
        }
    }
}

impl From<OwnerData> for (String, String) {
    fn from(o: OwnerData) -> Self {
        (o.key, o.name)
    }
}

impl From<(String, String)> for OwnerData {
    fn from((key, name): (String, String)) -> Self {
        OwnerData { key, name }
    }
}

/// id, period, title, owner, progress, weight, parent (objective id, minus a key
/// result's id, or 0), position, version.
type NodeWire = (i64, i64, String, u32, f64, f64, i64, i64, i64);

impl From<NodeData> for NodeWire {
    fn from(n: NodeData) -> Self {
        let parent = match n.parent {
            Some(Parent::Objective(o)) => o.0,
            Some(Parent::KeyResult(k)) => -k.0,
            None => 0,
        };
        (
            n.id, n.period, n.title, n.owner, n.progress, n.weight, parent, n.position, n.version,
        )
    }
}

impl From<NodeWire> for NodeData {
    fn from(
        (id, period, title, owner, progress, weight, parent, position, version): NodeWire,
    ) -> Self {
        let parent = match parent {
            0 => None,
            p if p > 0 => Some(Parent::Objective(ObjectiveId(p))),
            p => Some(Parent::KeyResult(KeyResultId(-p))),
        };
        NodeData {
            id,
            period,
            title,
            owner,
            progress,
            weight,
            parent,
            position,
            version,
        }
    }
}

/// id, objective, title, progress, confidence.
type KrWire = (i64, i64, String, f64, Option<u8>);

impl From<KrData> for KrWire {
    fn from(k: KrData) -> Self {
        (k.id, k.objective, k.title, k.progress, k.confidence)
    }
}

impl From<KrWire> for KrData {
    fn from((id, objective, title, progress, confidence): KrWire) -> Self {
        KrData {
            id,
            objective,
            title,
            progress,
            confidence,
        }
    }
}

/// A period's tree page: the switcher's periods and the cascade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreePage {
    pub context: PeriodContext,
    pub data: TreeData,
    /// The past date shown ("2026-10-01"), if any.
    pub as_of: Option<String>,
}
