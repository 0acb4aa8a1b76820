//! The cascade as a tree: built from flat rows (objectives with their primary link),
//! children in manual order, children of key results kept apart from children of the
//! objective itself.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::alignment::Parent;
use crate::ids::{KeyResultId, ObjectiveId};
use crate::progress::Progress;
use crate::rollup::{Contribution, Origin, Rollup, Source};

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

impl AlignmentTree {
    /// Each objective's progress together with everything aligned below it: the
    /// weighted roll-up of its own progress (weight 1) and of each aligned child's
    /// figure (with the child's weight), children first. `own` gives an objective's
    /// progress (0..1) and weight; `key_results_of` its key results.
    pub fn cascade<'a>(
        &'a self,
        own: impl Fn(ObjectiveId) -> (Progress, f64),
        key_results_of: impl Fn(ObjectiveId) -> &'a [KeyResultId],
    ) -> HashMap<ObjectiveId, Progress> {
        let order = self.walk(&key_results_of);
        let mut figures: HashMap<ObjectiveId, Progress> = HashMap::with_capacity(order.len());
        for (_, id) in order.iter().rev() {
            let (progress, _) = own(*id);
            let mut inputs = vec![Contribution {
                source: Source::Objective(*id),
                weight: 1.0,
                progress,
                origin: Origin::Entered,
            }];
            let below = self.children(*id).iter().chain(
                key_results_of(*id)
                    .iter()
                    .flat_map(|kr| self.children_of_key_result(*kr)),
            );
            for child in below {
                if let Some(figure) = figures.get(child) {
                    inputs.push(Contribution {
                        source: Source::Objective(*child),
                        weight: own(*child).1,
                        progress: *figure,
                        origin: Origin::RolledUp,
                    });
                }
            }
            figures.insert(*id, Rollup::of(inputs).progress);
        }
        figures
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

    #[test]
    fn the_cascade_figure_rolls_up_aligned_work() {
        let o = |id| Some(Parent::Objective(ObjectiveId(id)));
        let owners = HashMap::from([(KeyResultId(10), ObjectiveId(1))]);
        let placements = [
            place(1, None, 0),
            place(2, o(1), 0),
            place(3, Some(Parent::KeyResult(KeyResultId(10))), 1),
            place(4, o(2), 0),
        ];
        let tree = AlignmentTree::build(&placements, &owners);
        let own = |id: ObjectiveId| {
            let p = match id.0 {
                1 => 0.0,
                2 => 1.0,
                3 => 0.5,
                _ => 0.0,
            };
            (
                Progress::from_ratio(p).unwrap(),
                if id.0 == 3 { 2.0 } else { 1.0 },
            )
        };
        let krs = [KeyResultId(10)];
        let figures = tree.cascade(own, |id| if id == ObjectiveId(1) { &krs } else { &[] });
        let at = |id| figures[&ObjectiveId(id)].ratio();
        assert!((at(4) - 0.0).abs() < 1e-9);
        // 2: itself (1.0) and 4 (0.0), equal weights.
        assert!((at(2) - 0.5).abs() < 1e-9);
        assert!((at(3) - 0.5).abs() < 1e-9);
        // 1: itself 0.0 (w 1), 2 at 0.5 (w 1), 3 at 0.5 (w 2): 1.5 / 4.
        assert!((at(1) - 0.375).abs() < 1e-9);
    }
}
