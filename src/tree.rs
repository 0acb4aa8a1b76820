//! The cascade as a tree: built from flat rows (objectives with their primary link),
//! children in manual order, children of key results kept apart from children of the
//! objective itself.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::alignment::Parent;
use crate::ids::{KeyResultId, ObjectiveId};

/// One objective as the tree needs it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    pub objective: ObjectiveId,
    /// The primary link's parent, if any.
    pub parent: Option<Parent>,
    pub position: i64,
}

/// Parent-to-children maps of a set of objectives.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlignmentTree {
    roots: Vec<ObjectiveId>,
    children: HashMap<ObjectiveId, Vec<ObjectiveId>>,
    under_key_result: HashMap<KeyResultId, Vec<ObjectiveId>>,
}

impl AlignmentTree {
    /// Objectives whose parent is not among `placements` (for example an objective of
    /// another period) become roots, so nothing disappears from view.
    pub fn build(
        placements: &[Placement],
        key_result_owner: &HashMap<KeyResultId, ObjectiveId>,
    ) -> AlignmentTree {
        let present: HashMap<ObjectiveId, i64> = placements
            .iter()
            .map(|p| (p.objective, p.position))
            .collect();
        let mut tree = AlignmentTree::default();
        for p in placements {
            match p.parent {
                Some(Parent::Objective(parent))
                    if present.contains_key(&parent) && parent != p.objective =>
                {
                    tree.children.entry(parent).or_default().push(p.objective);
                }
                Some(Parent::KeyResult(kr))
                    if key_result_owner
                        .get(&kr)
                        .is_some_and(|o| present.contains_key(o) && *o != p.objective) =>
                {
                    tree.under_key_result
                        .entry(kr)
                        .or_default()
                        .push(p.objective);
                }
                _ => tree.roots.push(p.objective),
            }
        }
        let order = |ids: &mut Vec<ObjectiveId>| ids.sort_by_key(|id| (present[id], *id));
        order(&mut tree.roots);
        tree.children.values_mut().for_each(order);
        tree.under_key_result.values_mut().for_each(order);
        tree
    }

    pub fn roots(&self) -> &[ObjectiveId] {
        &self.roots
    }

    /// Objectives aligned directly to `objective`.
    pub fn children(&self, objective: ObjectiveId) -> &[ObjectiveId] {
        self.children
            .get(&objective)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Objectives aligned to the key result `kr`.
    pub fn children_of_key_result(&self, kr: KeyResultId) -> &[ObjectiveId] {
        self.under_key_result
            .get(&kr)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every objective with its depth, parents before children, in display order.
    /// Children of an objective's key results follow its direct children, in the
    /// order `key_results_of` gives the key results.
    pub fn walk<'a>(
        &'a self,
        key_results_of: impl Fn(ObjectiveId) -> &'a [KeyResultId],
    ) -> Vec<(usize, ObjectiveId)> {
        let mut out = Vec::new();
        // Each objective once, even if a caller's key result list claims otherwise.
        let mut seen = std::collections::HashSet::new();
        let mut stack: Vec<(usize, ObjectiveId)> =
            self.roots.iter().rev().map(|id| (0, *id)).collect();
        while let Some((depth, id)) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            out.push((depth, id));
            let mut below: Vec<ObjectiveId> = self.children(id).to_vec();
            for kr in key_results_of(id) {
                below.extend_from_slice(self.children_of_key_result(*kr));
            }
            stack.extend(below.into_iter().rev().map(|child| (depth + 1, child)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(id: i64, parent: Option<Parent>, position: i64) -> Placement {
        Placement {
            objective: ObjectiveId(id),
            parent,
            position,
        }
    }

    #[test]
    fn children_follow_their_parents_in_manual_order() {
        let o = |id| Some(Parent::Objective(ObjectiveId(id)));
        let placements = [
            place(1, None, 0),
            place(2, o(1), 2),
            place(3, o(1), 1),
            place(4, o(3), 0),
            place(5, None, -1),
        ];
        let tree = AlignmentTree::build(&placements, &HashMap::new());
        assert_eq!(tree.roots(), &[ObjectiveId(5), ObjectiveId(1)]);
        assert_eq!(
            tree.children(ObjectiveId(1)),
            &[ObjectiveId(3), ObjectiveId(2)]
        );
        let walk: Vec<(usize, i64)> = tree
            .walk(|_| &[])
            .into_iter()
            .map(|(d, id)| (d, id.0))
            .collect();
        assert_eq!(walk, vec![(0, 5), (0, 1), (1, 3), (2, 4), (1, 2)]);
    }

    #[test]
    fn key_result_children_hang_under_their_key_result() {
        let owners = HashMap::from([(KeyResultId(10), ObjectiveId(1))]);
        let placements = [
            place(1, None, 0),
            place(2, Some(Parent::KeyResult(KeyResultId(10))), 0),
        ];
        let tree = AlignmentTree::build(&placements, &owners);
        assert_eq!(
            tree.children_of_key_result(KeyResultId(10)),
            &[ObjectiveId(2)]
        );
        let krs = [KeyResultId(10)];
        let walk = tree.walk(|o| if o == ObjectiveId(1) { &krs } else { &[] });
        assert_eq!(walk, vec![(0, ObjectiveId(1)), (1, ObjectiveId(2))]);
        // A wrong key result list cannot make the walk loop.
        assert_eq!(tree.walk(|_| &krs).len(), 2);
    }

    #[test]
    fn parents_outside_the_set_make_roots() {
        let placements = [place(2, Some(Parent::Objective(ObjectiveId(99))), 0)];
        let tree = AlignmentTree::build(&placements, &HashMap::new());
        assert_eq!(tree.roots(), &[ObjectiveId(2)]);
    }
}
