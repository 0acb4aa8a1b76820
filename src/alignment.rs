//! Alignment: how objectives cascade. A child objective links to a parent objective
//! or to a parent key result. One primary link per child draws the tree; extra
//! "contributes to" links may exist. The graph of all open links stays acyclic.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ids::{KeyResultId, ObjectiveId};

/// What a child objective aligns to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Parent {
    Objective(ObjectiveId),
    KeyResult(KeyResultId),
}

/// Why an alignment was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum AlignmentError {
    #[error("an objective cannot align to itself or to its own key result")]
    SelfAlignment,
    /// The new link would close a loop; `path` runs from the proposed parent up to
    /// the child, so the UI can show the loop.
    #[error("this would make a loop in the cascade")]
    Cycle { path: Vec<ObjectiveId> },
    #[error(
        "an objective can only align to one of the same period or of the period that encloses it"
    )]
    PeriodOrder,
    #[error("the parent does not exist")]
    UnknownParent,
}

impl AlignmentError {
    /// A stable, language-neutral name, for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AlignmentError::SelfAlignment => "alignment-self",
            AlignmentError::Cycle { .. } => "alignment-cycle",
            AlignmentError::PeriodOrder => "alignment-period-order",
            AlignmentError::UnknownParent => "alignment-unknown-parent",
        }
    }
}

/// The open links of a period (or of everything), ready to check a new link.
#[derive(Debug, Default, Clone)]
pub struct AlignmentGraph {
    /// Child objective to the objectives it aligns to (via any link).
    parents: HashMap<ObjectiveId, Vec<ObjectiveId>>,
    /// Key result to its objective.
    key_result_owner: HashMap<KeyResultId, ObjectiveId>,
}

impl AlignmentGraph {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records which objective a key result belongs to.
    pub fn add_key_result(&mut self, key_result: KeyResultId, objective: ObjectiveId) {
        self.key_result_owner.insert(key_result, objective);
    }

    /// Records an open link.
    pub fn add_link(&mut self, child: ObjectiveId, parent: Parent) {
        if let Some(parent) = self.resolve(parent) {
            self.parents.entry(child).or_default().push(parent);
        }
    }

    /// Forgets a child's links, as a move does before adding the new one.
    pub fn remove_links_of(&mut self, child: ObjectiveId) {
        self.parents.remove(&child);
    }

    /// The objective a parent stands for: itself, or the key result's objective.
    pub fn resolve(&self, parent: Parent) -> Option<ObjectiveId> {
        match parent {
            Parent::Objective(id) => Some(id),
            Parent::KeyResult(kr) => self.key_result_owner.get(&kr).copied(),
        }
    }

    /// Whether linking `child` to `parent` keeps the graph acyclic. Walks up from
    /// the parent; reaching the child means the child is already above the parent.
    pub fn check(&self, child: ObjectiveId, parent: Parent) -> Result<(), AlignmentError> {
        let start = self.resolve(parent).ok_or(AlignmentError::UnknownParent)?;
        if start == child {
            return Err(AlignmentError::SelfAlignment);
        }
        // Breadth-first, remembering how each objective was reached.
        let mut came_from: HashMap<ObjectiveId, ObjectiveId> = HashMap::new();
        let mut seen: HashSet<ObjectiveId> = HashSet::from([start]);
        let mut queue = VecDeque::from([start]);
        while let Some(at) = queue.pop_front() {
            for &up in self.parents.get(&at).map(Vec::as_slice).unwrap_or(&[]) {
                if up == child {
                    let mut path = vec![child, at];
                    let mut cursor = at;
                    while let Some(&prev) = came_from.get(&cursor) {
                        path.push(prev);
                        cursor = prev;
                    }
                    path.reverse();
                    return Err(AlignmentError::Cycle { path });
                }
                if seen.insert(up) {
                    came_from.insert(up, at);
                    queue.push_back(up);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn o(id: i64) -> ObjectiveId {
        ObjectiveId(id)
    }

    #[test]
    fn a_chain_cannot_be_closed_into_a_loop() {
        // 3 -> 2 -> 1 (child -> parent)
        let mut g = AlignmentGraph::new();
        g.add_link(o(3), Parent::Objective(o(2)));
        g.add_link(o(2), Parent::Objective(o(1)));
        assert_eq!(
            g.check(o(1), Parent::Objective(o(3))),
            Err(AlignmentError::Cycle {
                path: vec![o(3), o(2), o(1)]
            })
        );
        assert_eq!(g.check(o(4), Parent::Objective(o(3))), Ok(()));
        assert_eq!(
            g.check(o(3), Parent::Objective(o(1))),
            Ok(()),
            "skipping a level is fine"
        );
    }

    #[test]
    fn aligning_to_a_key_result_counts_as_its_objective() {
        let mut g = AlignmentGraph::new();
        g.add_key_result(KeyResultId(10), o(1));
        g.add_key_result(KeyResultId(20), o(2));
        g.add_link(o(2), Parent::KeyResult(KeyResultId(10)));
        assert!(matches!(
            g.check(o(1), Parent::KeyResult(KeyResultId(20))),
            Err(AlignmentError::Cycle { .. })
        ));
        assert_eq!(
            g.check(o(1), Parent::KeyResult(KeyResultId(10))),
            Err(AlignmentError::SelfAlignment)
        );
        assert_eq!(
            g.check(o(1), Parent::KeyResult(KeyResultId(99))),
            Err(AlignmentError::UnknownParent)
        );
    }

    #[test]
    fn contributes_to_links_count_too() {
        let mut g = AlignmentGraph::new();
        g.add_link(o(2), Parent::Objective(o(1)));
        g.add_link(o(3), Parent::Objective(o(9)));
        g.add_link(o(3), Parent::Objective(o(2))); // a second, non-primary parent
        assert!(g.check(o(1), Parent::Objective(o(3))).is_err());
    }

    #[test]
    fn a_move_forgets_the_old_links() {
        let mut g = AlignmentGraph::new();
        g.add_link(o(2), Parent::Objective(o(1)));
        assert!(g.check(o(1), Parent::Objective(o(2))).is_err());
        g.remove_links_of(o(2));
        assert!(g.check(o(1), Parent::Objective(o(2))).is_ok());
    }

    proptest! {
        /// Adding only links that pass the check never creates a cycle.
        #[test]
        fn checked_links_keep_the_graph_acyclic(edges in proptest::collection::vec((0i64..25, 0i64..25), 0..120)) {
            let mut g = AlignmentGraph::new();
            let mut accepted: Vec<(i64, i64)> = vec![];
            for (child, parent) in edges {
                if g.check(o(child), Parent::Objective(o(parent))).is_ok() {
                    g.add_link(o(child), Parent::Objective(o(parent)));
                    accepted.push((child, parent));
                }
            }
            // Kahn's algorithm: every node can be removed in topological order.
            let mut indegree = [0usize; 25];
            for &(c, _) in &accepted { indegree[c as usize] += 1; }
            let mut ready: Vec<i64> = (0..25).filter(|n| indegree[*n as usize] == 0).collect();
            let mut removed = 0;
            while let Some(n) = ready.pop() {
                removed += 1;
                for &(c, p) in &accepted {
                    if p == n {
                        indegree[c as usize] -= 1;
                        if indegree[c as usize] == 0 { ready.push(c); }
                    }
                }
            }
            prop_assert_eq!(removed, 25);
        }
    }
}
