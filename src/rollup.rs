//! Weighted roll-up with its explanation: every figure says which inputs, with
//! which weights, made it, so the UI can explain any progress bar.

use serde::{Deserialize, Serialize};

use crate::ids::{KeyResultId, ObjectiveId, UnitId};
use crate::progress::Progress;

/// What an input to a roll-up is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Source {
    KeyResult(KeyResultId),
    Objective(ObjectiveId),
    Unit(UnitId),
}

/// Whether an input's progress was entered (a check-in) or is itself a roll-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Entered,
    RolledUp,
}

/// One input of a roll-up.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub source: Source,
    pub weight: f64,
    pub progress: Progress,
    pub origin: Origin,
}

/// A rolled-up figure and how it came about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rollup {
    pub progress: Progress,
    pub total_weight: f64,
    pub inputs: Vec<Contribution>,
}

impl Rollup {
    /// `sum(weight * progress) / sum(weight)` over inputs with a positive, finite
    /// weight. Without such inputs there is nothing to report: progress zero.
    pub fn of(inputs: Vec<Contribution>) -> Rollup {
        let counted = |c: &&Contribution| c.weight.is_finite() && c.weight > 0.0;
        let total_weight: f64 = inputs.iter().filter(counted).map(|c| c.weight).sum();
        let progress = if total_weight > 0.0 {
            let weighted: f64 = inputs
                .iter()
                .filter(counted)
                .map(|c| c.weight * c.progress.ratio())
                .sum();
            Progress::from_ratio(weighted / total_weight).unwrap_or(Progress::ZERO)
        } else {
            Progress::ZERO
        };
        Rollup {
            progress,
            total_weight,
            inputs,
        }
    }

    /// This roll-up as an input one level up.
    pub fn as_input(&self, source: Source, weight: f64) -> Contribution {
        Contribution {
            source,
            weight,
            progress: self.progress,
            origin: Origin::RolledUp,
        }
    }

    /// Each input's share of the result, in input order: what a tooltip lists.
    pub fn shares(&self) -> Vec<f64> {
        self.inputs
            .iter()
            .map(|c| {
                if self.total_weight > 0.0 && c.weight > 0.0 {
                    c.weight / self.total_weight
                } else {
                    0.0
                }
            })
            .collect()
    }
}

/// An objective aligned somewhere below another: its parent objective (the
/// objective whose key result it aligns to, if it aligns to one), own progress
/// and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Below {
    pub id: ObjectiveId,
    pub parent: ObjectiveId,
    pub progress: Progress,
    pub weight: f64,
}

/// An objective's figure with everything aligned below it, across periods (a year
/// objective counts the quarter objectives aligned to it): its own progress with
/// weight 1 and each aligned child's figure with the child's weight, children
/// first, as the tree's Σ. The roll-up of the top objective is returned, its
/// inputs being its own progress and then each direct child's figure.
pub fn with_aligned(top: ObjectiveId, own: Progress, below: &[Below]) -> Rollup {
    use std::collections::{HashMap, HashSet};
    let mut children: HashMap<ObjectiveId, Vec<&Below>> = HashMap::new();
    for b in below {
        children.entry(b.parent).or_default().push(b);
    }
    // Children first, recursively (alignment has no loops, and depth is a few
    // levels); an objective is counted once even if the rows were to repeat it.
    fn figure(
        id: ObjectiveId,
        own: Progress,
        children: &HashMap<ObjectiveId, Vec<&Below>>,
        seen: &mut HashSet<ObjectiveId>,
    ) -> Rollup {
        let mut inputs = vec![Contribution {
            source: Source::Objective(id),
            weight: 1.0,
            progress: own,
            origin: Origin::Entered,
        }];
        for child in children.get(&id).into_iter().flatten() {
            if seen.insert(child.id) {
                let below = figure(child.id, child.progress, children, seen);
                inputs.push(Contribution {
                    source: Source::Objective(child.id),
                    weight: child.weight,
                    progress: below.progress,
                    origin: Origin::RolledUp,
                });
            }
        }
        Rollup::of(inputs)
    }
    let mut seen = HashSet::from([top]);
    figure(top, own, &children, &mut seen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kr(id: i64, weight: f64, ratio: f64) -> Contribution {
        Contribution {
            source: Source::KeyResult(KeyResultId(id)),
            weight,
            progress: Progress::from_ratio(ratio).unwrap(),
            origin: Origin::Entered,
        }
    }

    #[test]
    fn weights_decide() {
        let r = Rollup::of(vec![kr(1, 3.0, 1.0), kr(2, 1.0, 0.0)]);
        assert_eq!(r.progress.percent(), 75);
        assert_eq!(r.total_weight, 4.0);
        assert_eq!(r.shares(), vec![0.75, 0.25]);
        assert_eq!(r.inputs.len(), 2, "the explanation keeps every input");
    }

    #[test]
    fn nothing_to_roll_up_is_zero() {
        let r = Rollup::of(vec![]);
        assert_eq!(r.progress, Progress::ZERO);
        assert_eq!(r.total_weight, 0.0);
    }

    #[test]
    fn unusable_weights_are_ignored_not_fatal() {
        let r = Rollup::of(vec![
            kr(1, f64::NAN, 1.0),
            kr(2, -1.0, 1.0),
            kr(3, 1.0, 0.5),
        ]);
        assert_eq!(r.progress.percent(), 50);
    }

    #[test]
    fn roll_ups_nest() {
        let objective = Rollup::of(vec![kr(1, 1.0, 0.5), kr(2, 1.0, 1.0)]);
        let input = objective.as_input(Source::Objective(ObjectiveId(9)), 2.0);
        assert_eq!(input.origin, Origin::RolledUp);
        let unit = Rollup::of(vec![input, kr(3, 2.0, 0.25)]);
        assert_eq!(unit.progress.percent(), 50);
    }

    proptest! {
        #[test]
        fn a_roll_up_lies_between_its_inputs(items in proptest::collection::vec((0.001f64..1000.0, 0.0f64..=1.0), 1..30)) {
            let inputs: Vec<_> = items.iter().enumerate().map(|(i, (w, p))| kr(i as i64, *w, *p)).collect();
            let r = Rollup::of(inputs).progress.ratio();
            let lo = items.iter().map(|x| x.1).fold(1.0, f64::min);
            let hi = items.iter().map(|x| x.1).fold(0.0, f64::max);
            prop_assert!(r >= lo - 1e-9 && r <= hi + 1e-9);
        }

        #[test]
        fn equal_weights_are_the_mean(ps in proptest::collection::vec(0.0f64..=1.0, 1..30), w in 0.01f64..100.0) {
            let inputs: Vec<_> = ps.iter().enumerate().map(|(i, p)| kr(i as i64, w, *p)).collect();
            let mean = ps.iter().sum::<f64>() / ps.len() as f64;
            prop_assert!((Rollup::of(inputs).progress.ratio() - mean).abs() < 1e-9);
        }
    }

    #[test]
    fn a_year_objective_counts_the_quarters_aligned_below_it() {
        let p = |x: f64| Progress::from_ratio(x).unwrap();
        let (year, q1, q2, team) = (
            ObjectiveId(1),
            ObjectiveId(2),
            ObjectiveId(3),
            ObjectiveId(4),
        );
        let below = [
            Below {
                id: q1,
                parent: year,
                progress: p(0.6),
                weight: 1.0,
            },
            Below {
                id: q2,
                parent: year,
                progress: p(0.0),
                weight: 2.0,
            },
            Below {
                id: team,
                parent: q2,
                progress: p(0.9),
                weight: 1.0,
            },
            // A repeated row counts once.
            Below {
                id: team,
                parent: q2,
                progress: p(0.9),
                weight: 1.0,
            },
        ];
        let rolled = with_aligned(year, p(0.3), &below);
        // q2 with its team objective: (0 + 0.9) / 2 = 0.45; the year: (0.3 + 0.6 + 2 × 0.45) / 4.
        assert!((rolled.progress.ratio() - 0.45).abs() < 1e-9, "{rolled:?}");
        assert_eq!(rolled.inputs.len(), 3, "own, then each direct child");
        assert!((rolled.inputs[2].progress.ratio() - 0.45).abs() < 1e-9);
        assert_eq!(with_aligned(year, p(0.3), &[]).progress, p(0.3));
    }
}
