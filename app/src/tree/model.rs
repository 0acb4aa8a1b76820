//! The cascade as the tree view holds it: plain data from the server, and the
//! flattening into the rows on screen (expanded, focused, filtered). Shared by
//! server rendering and the browser, so both draw the same first rows.

use std::collections::{HashMap, HashSet};

use cairn::Progress;
use cairn::alignment::Parent;
use cairn::ids::{KeyResultId, ObjectiveId};
use cairn::tree::{AlignmentTree, Placement};
use serde::{Deserialize, Serialize};

pub use super::data::{KrData, NodeData, OwnerData, TreeData};
use crate::live::{CheckInChange, MoveChange};

/// What the reader chose to see; mirrored in the page's address.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ViewState {
    /// Objectives whose children are shown.
    pub expanded: HashSet<i64>,
    /// Show only this objective's sub-tree.
    pub focus: Option<i64>,
    /// Show only objectives of this owner ("unit:3"), with their ancestors.
    pub owner: Option<String>,
    /// Highlight objectives and key results whose title holds this text.
    pub query: String,
}

/// What a row of the tree shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    Objective(i64),
    KeyResult(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Row {
    pub kind: RowKind,
    pub depth: u16,
    /// The row matches the search or owner filter.
    pub hit: bool,
    /// Shown only to lead to hits below it.
    pub context: bool,
    /// An objective with key results or aligned children.
    pub has_children: bool,
    pub expanded: bool,
}

impl Row {
    /// The row's objective (its id) or key result (its id, negative): one number
    /// for either, as the keyboard's place in the tree.
    pub fn id(&self) -> i64 {
        match self.kind {
            RowKind::Objective(id) => id,
            RowKind::KeyResult(id) => -id,
        }
    }

    /// What identifies a rendered row: the row is drawn anew when any of this
    /// changes, and kept (its figures updating in place) otherwise.
    pub fn key(&self) -> (i64, u16, u8) {
        let id = self.id();
        let flags = u8::from(self.hit)
            | u8::from(self.context) << 1
            | u8::from(self.has_children) << 2
            | u8::from(self.expanded) << 3;
        (id, self.depth, flags)
    }
}

/// The tree with its indexes, rebuilt after a move.
#[derive(Debug, Clone, PartialEq)]
pub struct Forest {
    pub data: TreeData,
    tree: AlignmentTree,
    objective_at: HashMap<i64, usize>,
    key_result_at: HashMap<i64, usize>,
    /// Each objective's key results, in order.
    key_results_of: HashMap<ObjectiveId, Vec<KeyResultId>>,
    /// Each objective's parent objective (through a key result, too).
    parent_of: HashMap<i64, i64>,
}

impl Forest {
    pub fn new(data: TreeData) -> Forest {
        let mut forest = Forest {
            data,
            tree: AlignmentTree::default(),
            objective_at: HashMap::new(),
            key_result_at: HashMap::new(),
            key_results_of: HashMap::new(),
            parent_of: HashMap::new(),
        };
        forest.rebuild();
        forest
    }

    fn rebuild(&mut self) {
        self.objective_at = self
            .data
            .objectives
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id, i))
            .collect();
        self.key_result_at = self
            .data
            .key_results
            .iter()
            .enumerate()
            .map(|(i, k)| (k.id, i))
            .collect();
        self.key_results_of.clear();
        for k in &self.data.key_results {
            self.key_results_of
                .entry(ObjectiveId(k.objective))
                .or_default()
                .push(KeyResultId(k.id));
        }
        let owners: HashMap<KeyResultId, ObjectiveId> = self
            .data
            .key_results
            .iter()
            .map(|k| (KeyResultId(k.id), ObjectiveId(k.objective)))
            .collect();
        let placements: Vec<Placement> = self
            .data
            .objectives
            .iter()
            .map(|o| Placement {
                objective: ObjectiveId(o.id),
                parent: o.parent,
                position: o.position,
            })
            .collect();
        self.tree = AlignmentTree::build(&placements, &owners);
        self.parent_of = self
            .data
            .objectives
            .iter()
            .filter_map(|o| {
                let parent = match o.parent? {
                    Parent::Objective(p) => p,
                    Parent::KeyResult(k) => *owners.get(&k)?,
                };
                self.objective_at
                    .contains_key(&parent.0)
                    .then_some((o.id, parent.0))
            })
            .collect();
    }

    pub fn objective(&self, id: i64) -> Option<&NodeData> {
        self.objective_at
            .get(&id)
            .map(|i| &self.data.objectives[*i])
    }

    pub fn key_result(&self, id: i64) -> Option<&KrData> {
        self.key_result_at
            .get(&id)
            .map(|i| &self.data.key_results[*i])
    }

    /// Whether the reader may move this objective (owners they may edit).
    pub fn may_move(&self, id: i64) -> bool {
        self.objective(id).is_some_and(|o| {
            self.data
                .editable
                .get(o.owner as usize)
                .copied()
                .unwrap_or(false)
        })
    }

    pub fn owner(&self, index: u32) -> Option<&OwnerData> {
        self.data.owners.get(index as usize)
    }

    pub fn roots(&self) -> Vec<i64> {
        self.tree.roots().iter().map(|id| id.0).collect()
    }

    pub fn key_results_of(&self, objective: i64) -> &[KeyResultId] {
        self.key_results_of
            .get(&ObjectiveId(objective))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Objectives aligned directly to `parent` (None: the top level), in order.
    pub fn children(&self, parent: Option<Parent>) -> Vec<i64> {
        match parent {
            None => self.roots(),
            Some(Parent::Objective(id)) => self.tree.children(id).iter().map(|c| c.0).collect(),
            Some(Parent::KeyResult(id)) => self
                .tree
                .children_of_key_result(id)
                .iter()
                .map(|c| c.0)
                .collect(),
        }
    }

    /// The chain of parent objectives above `id`, nearest first.
    pub fn ancestors(&self, id: i64) -> Vec<i64> {
        let mut out = Vec::new();
        let mut at = id;
        while let Some(parent) = self.parent_of.get(&at) {
            if out.contains(parent) || *parent == id {
                break;
            }
            out.push(*parent);
            at = *parent;
        }
        out
    }

    /// Whether `id` lies in the sub-tree of `root` (itself included).
    pub fn is_within(&self, id: i64, root: i64) -> bool {
        id == root || self.ancestors(id).contains(&root)
    }

    fn has_children(&self, id: i64) -> bool {
        !self.key_results_of(id).is_empty() || !self.tree.children(ObjectiveId(id)).is_empty()
    }

    /// Each objective's figure with all work aligned below it (the domain's roll-up).
    pub fn cascade(&self) -> HashMap<i64, f64> {
        self.tree
            .cascade(
                |id| {
                    self.objective(id.0).map_or((Progress::ZERO, 0.0), |o| {
                        (
                            Progress::from_ratio(o.progress).unwrap_or(Progress::ZERO),
                            o.weight,
                        )
                    })
                },
                |id| self.key_results_of(id.0),
            )
            .into_iter()
            .map(|(id, p)| (id.0, p.ratio()))
            .collect()
    }

    /// The rows on screen for a view, top to bottom.
    pub fn rows(&self, view: &ViewState) -> Vec<Row> {
        let query = view.query.trim().to_lowercase();
        let filtering = !query.is_empty() || view.owner.is_some();
        let starts: Vec<i64> = match view.focus {
            Some(focus) if self.objective_at.contains_key(&focus) => vec![focus],
            _ => self.roots(),
        };
        // With a filter: the hits, and the objectives leading to them.
        let mut hits: HashSet<RowKind> = HashSet::new();
        let mut leads: HashSet<i64> = HashSet::new();
        if filtering {
            let title_hit = |title: &str| query.is_empty() || title.to_lowercase().contains(&query);
            for o in &self.data.objectives {
                if let Some(focus) = view.focus
                    && !self.is_within(o.id, focus)
                {
                    continue;
                }
                let owner_hit = view
                    .owner
                    .as_ref()
                    .is_none_or(|key| self.owner(o.owner).is_some_and(|owner| &owner.key == key));
                if !owner_hit {
                    continue;
                }
                let mut found = title_hit(&o.title);
                if found {
                    hits.insert(RowKind::Objective(o.id));
                }
                if !query.is_empty() {
                    for kr in self.key_results_of(o.id) {
                        if self.key_result(kr.0).is_some_and(|k| title_hit(&k.title)) {
                            hits.insert(RowKind::KeyResult(kr.0));
                            leads.insert(o.id);
                            found = true;
                        }
                    }
                }
                if found {
                    leads.extend(self.ancestors(o.id));
                }
            }
        }
        let mut rows = Vec::new();
        let mut stack: Vec<(u16, RowKind)> = starts
            .iter()
            .rev()
            .map(|id| (0, RowKind::Objective(*id)))
            .collect();
        let mut seen = HashSet::new();
        while let Some((depth, kind)) = stack.pop() {
            let hit = hits.contains(&kind);
            match kind {
                RowKind::KeyResult(kr) => {
                    rows.push(Row {
                        kind,
                        depth,
                        hit,
                        context: filtering && !hit,
                        has_children: false,
                        expanded: true,
                    });
                    let below = self.tree.children_of_key_result(KeyResultId(kr));
                    for child in below.iter().rev() {
                        if !filtering
                            || leads.contains(&child.0)
                            || hits.contains(&RowKind::Objective(child.0))
                        {
                            stack.push((depth + 1, RowKind::Objective(child.0)));
                        }
                    }
                }
                RowKind::Objective(id) => {
                    if !seen.insert(id) {
                        continue;
                    }
                    let leads_on = leads.contains(&id);
                    if filtering && !hit && !leads_on {
                        continue;
                    }
                    let expanded = view.expanded.contains(&id) || leads_on;
                    rows.push(Row {
                        kind,
                        depth,
                        hit,
                        context: filtering && !hit,
                        has_children: self.has_children(id),
                        expanded,
                    });
                    if !expanded {
                        continue;
                    }
                    // Below an objective: its key results (each with what aligns to
                    // it), then the objectives aligned to the objective itself.
                    let mut below: Vec<RowKind> = self
                        .key_results_of(id)
                        .iter()
                        .filter(|kr| {
                            !filtering
                                || view.expanded.contains(&id)
                                || hits.contains(&RowKind::KeyResult(kr.0))
                                || self.tree.children_of_key_result(**kr).iter().any(|c| {
                                    leads.contains(&c.0) || hits.contains(&RowKind::Objective(c.0))
                                })
                        })
                        .map(|kr| RowKind::KeyResult(kr.0))
                        .collect();
                    below.extend(
                        self.tree
                            .children(ObjectiveId(id))
                            .iter()
                            .filter(|c| {
                                !filtering
                                    || view.expanded.contains(&id)
                                    || leads.contains(&c.0)
                                    || hits.contains(&RowKind::Objective(c.0))
                            })
                            .map(|c| RowKind::Objective(c.0)),
                    );
                    stack.extend(below.into_iter().rev().map(|k| (depth + 1, k)));
                }
            }
        }
        rows
    }

    /// Applies a check-in: the key result's and its objective's figures.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub fn apply_check_in(&mut self, change: &CheckInChange) {
        if let Some(i) = self.key_result_at.get(&change.key_result) {
            let kr = &mut self.data.key_results[*i];
            kr.progress = change.progress;
            kr.confidence = Some(change.confidence);
        }
        if let Some(i) = self.objective_at.get(&change.objective) {
            self.data.objectives[*i].progress = change.objective_progress;
        }
    }

    /// Applies a move: the new parent, the new order of siblings, the new version.
    /// Returns false if the objective is not in this tree.
    pub fn apply_move(&mut self, change: &MoveChange) -> bool {
        let Some(i) = self.objective_at.get(&change.objective).copied() else {
            return false;
        };
        let node = &mut self.data.objectives[i];
        node.parent = change.parent;
        node.version = node.version.max(change.version);
        for (position, sibling) in change.siblings.iter().enumerate() {
            if let Some(j) = self.objective_at.get(sibling) {
                self.data.objectives[*j].position = i64::try_from(position).unwrap_or(i64::MAX);
            }
        }
        self.rebuild();
        true
    }

    /// Where a drop puts `moving`: the parent and the index among the new
    /// siblings (counted without `moving`), as the server's move expects.
    pub fn placement(&self, moving: i64, drop: Drop) -> (Option<Parent>, usize) {
        let siblings_without = |parent: Option<Parent>| -> Vec<i64> {
            let period = self.objective(moving).map(|o| o.period);
            self.children(parent)
                .into_iter()
                .filter(|id| *id != moving)
                // The top level holds objectives of one period; the year's
                // objectives above a quarter's are not its siblings.
                .filter(|id| parent.is_some() || self.objective(*id).map(|o| o.period) == period)
                .collect()
        };
        match drop {
            Drop::Onto(parent) => {
                let count = siblings_without(Some(parent)).len();
                (Some(parent), count)
            }
            Drop::Top => (None, 0),
            Drop::Before(target) | Drop::After(target) => {
                let parent = self
                    .objective(target)
                    .and_then(|o| o.parent)
                    .filter(|p| match p {
                        Parent::Objective(o) => self.objective_at.contains_key(&o.0),
                        Parent::KeyResult(k) => self.key_result_at.contains_key(&k.0),
                    });
                let siblings = siblings_without(parent);
                let at = siblings
                    .iter()
                    .position(|id| *id == target)
                    .unwrap_or(siblings.len());
                let index = if matches!(drop, Drop::After(_)) {
                    at + 1
                } else {
                    at
                };
                (parent, index.min(siblings.len()))
            }
        }
    }
}

/// Where something is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drop {
    /// Onto an objective or a key result: align to it, last among its children.
    Onto(Parent),
    /// Beside an objective, among its siblings.
    Before(i64),
    After(i64),
    /// The area above the tree: align to nothing.
    Top,
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
