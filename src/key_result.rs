//! Key results: how each kind is measured, and how far along it is.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::duration::Notation;
use crate::ids::MilestoneId;
use crate::progress::{Progress, metric_progress};
use crate::values::{UnitLabel, Value, Weight};

/// Which way a metric should go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From a lower start up to a higher target.
    Increase,
    /// From a higher start down to a lower target.
    Decrease,
    /// Keep at or above the target: met or not met.
    StayAtOrAbove,
    /// Keep at or below the target: met or not met.
    StayAtOrBelow,
}

impl Direction {
    pub const ALL: [Direction; 4] = [
        Self::Increase,
        Self::Decrease,
        Self::StayAtOrAbove,
        Self::StayAtOrBelow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Increase => "increase",
            Self::Decrease => "decrease",
            Self::StayAtOrAbove => "stay_at_or_above",
            Self::StayAtOrBelow => "stay_at_or_below",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == raw)
    }

    /// Whether this direction is a threshold to hold rather than a distance to travel.
    pub fn is_threshold(self) -> bool {
        matches!(self, Self::StayAtOrAbove | Self::StayAtOrBelow)
    }
}

/// How a key result is measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    /// A number moving from `start` towards `target`.
    Metric {
        start: Value,
        target: Value,
        direction: Direction,
        unit: Option<UnitLabel>,
    },
    /// Done or not done.
    Binary,
    /// Weighted milestones; progress is the done share of their weight.
    Milestones,
    /// A duration in seconds moving from `start` towards `target` (a call answered
    /// within 2:37, a run under 1:05:00): a metric written as a duration.
    Duration {
        start: Value,
        target: Value,
        direction: Direction,
    },
}

/// Which of the four ways a key result is measured, without its figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    Metric,
    Binary,
    Milestones,
    Duration,
}

impl MeasureKind {
    pub const ALL: [MeasureKind; 4] =
        [Self::Metric, Self::Binary, Self::Milestones, Self::Duration];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Metric => "metric",
            Self::Binary => "binary",
            Self::Milestones => "milestones",
            Self::Duration => "duration",
        }
    }

    /// How values of this kind are written; milestones and binary ones have none
    /// but their progress.
    pub fn notation(self) -> Notation {
        match self {
            Self::Duration => Notation::Duration,
            Self::Metric | Self::Binary | Self::Milestones => Notation::Number,
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// Why a key result's definition was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum MeasureError {
    #[error("to increase, the target must be above the start")]
    TargetNotAboveStart,
    #[error("to decrease, the target must be below the start")]
    TargetNotBelowStart,
}

impl Measure {
    /// A metric whose direction agrees with its start and target. Thresholds only use
    /// the target; their start is kept as the baseline.
    pub fn metric(
        start: Value,
        target: Value,
        direction: Direction,
        unit: Option<UnitLabel>,
    ) -> Result<Measure, MeasureError> {
        match direction {
            Direction::Increase if target.get() <= start.get() => {
                Err(MeasureError::TargetNotAboveStart)
            }
            Direction::Decrease if target.get() >= start.get() => {
                Err(MeasureError::TargetNotBelowStart)
            }
            _ => Ok(Measure::Metric {
                start,
                target,
                direction,
                unit,
            }),
        }
    }

    /// A duration whose direction agrees with its start and target, as for a
    /// metric (see [`Measure::metric`]); values in seconds.
    pub fn duration(
        start: Value,
        target: Value,
        direction: Direction,
    ) -> Result<Measure, MeasureError> {
        Measure::metric(start, target, direction, None).map(|_| Measure::Duration {
            start,
            target,
            direction,
        })
    }

    pub fn kind(&self) -> MeasureKind {
        match self {
            Measure::Metric { .. } => MeasureKind::Metric,
            Measure::Binary => MeasureKind::Binary,
            Measure::Milestones => MeasureKind::Milestones,
            Measure::Duration { .. } => MeasureKind::Duration,
        }
    }

    /// How its values are written.
    pub fn notation(&self) -> Notation {
        self.kind().notation()
    }

    /// Start, target and direction of a measure that travels between two values
    /// (metrics and durations).
    pub fn range(&self) -> Option<(Value, Value, Direction)> {
        match self {
            Measure::Metric {
                start,
                target,
                direction,
                ..
            }
            | Measure::Duration {
                start,
                target,
                direction,
            } => Some((*start, *target, *direction)),
            Measure::Binary | Measure::Milestones => None,
        }
    }

    pub fn kind_str(&self) -> &'static str {
        self.kind().as_str()
    }
}

/// A milestone's weight and whether it is done, as progress needs it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MilestoneState {
    pub id: MilestoneId,
    pub weight: Weight,
    pub done: bool,
}

/// The latest known state of a key result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Reading {
    Metric(Value),
    Binary(bool),
    Milestones(Vec<MilestoneState>),
}

/// Progress of a key result from its latest reading. A reading of another kind than
/// the measure (which storage never produces) and no reading at all both count as
/// no progress, so a figure can always be shown.
pub fn key_result_progress(measure: &Measure, reading: Option<&Reading>) -> Progress {
    match (measure.range(), reading) {
        (Some((start, target, direction)), Some(Reading::Metric(current))) => {
            let (current, target) = (current.get(), target.get());
            match direction {
                Direction::StayAtOrAbove => met(current >= target),
                Direction::StayAtOrBelow => met(current <= target),
                Direction::Increase | Direction::Decrease => {
                    // Values are bounded to ±1e15, so the formula cannot fail.
                    metric_progress(start.get(), target, current).unwrap_or(Progress::ZERO)
                }
            }
        }
        (None, Some(Reading::Binary(done))) if *measure == Measure::Binary => met(*done),
        (None, Some(Reading::Milestones(milestones))) if *measure == Measure::Milestones => {
            milestone_progress(milestones)
        }
        _ => Progress::ZERO,
    }
}

fn met(yes: bool) -> Progress {
    if yes { Progress::DONE } else { Progress::ZERO }
}

/// The done share of the milestones' total weight; no milestones, no progress.
pub fn milestone_progress(milestones: &[MilestoneState]) -> Progress {
    let total: f64 = milestones.iter().map(|m| m.weight.get()).sum();
    if total <= 0.0 {
        return Progress::ZERO;
    }
    let done: f64 = milestones
        .iter()
        .filter(|m| m.done)
        .map(|m| m.weight.get())
        .sum();
    Progress::from_ratio(done / total).unwrap_or(Progress::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(x: f64) -> Value {
        Value::parse(x).unwrap()
    }

    fn metric(start: f64, target: f64, direction: Direction) -> Measure {
        Measure::metric(v(start), v(target), direction, None).unwrap()
    }

    fn reading(x: f64) -> Reading {
        Reading::Metric(v(x))
    }

    #[test]
    fn increasing_and_decreasing_metrics() {
        assert_eq!(
            key_result_progress(
                &metric(0.0, 100.0, Direction::Increase),
                Some(&reading(25.0))
            )
            .percent(),
            25
        );
        // Cut response time from 800 ms to 200 ms: at 350 ms, three quarters done.
        assert_eq!(
            key_result_progress(
                &metric(800.0, 200.0, Direction::Decrease),
                Some(&reading(350.0))
            )
            .percent(),
            75
        );
    }

    #[test]
    fn thresholds_are_met_or_not() {
        let above = metric(0.0, 95.0, Direction::StayAtOrAbove);
        assert_eq!(
            key_result_progress(&above, Some(&reading(95.0))),
            Progress::DONE
        );
        assert_eq!(
            key_result_progress(&above, Some(&reading(94.9))),
            Progress::ZERO
        );
        let below = metric(0.0, 2.0, Direction::StayAtOrBelow);
        assert_eq!(
            key_result_progress(&below, Some(&reading(2.0))),
            Progress::DONE
        );
        assert_eq!(
            key_result_progress(&below, Some(&reading(2.1))),
            Progress::ZERO
        );
    }

    #[test]
    fn directions_must_agree_with_start_and_target() {
        assert_eq!(
            Measure::metric(v(10.0), v(5.0), Direction::Increase, None),
            Err(MeasureError::TargetNotAboveStart)
        );
        assert_eq!(
            Measure::metric(v(5.0), v(5.0), Direction::Increase, None),
            Err(MeasureError::TargetNotAboveStart)
        );
        assert_eq!(
            Measure::metric(v(5.0), v(10.0), Direction::Decrease, None),
            Err(MeasureError::TargetNotBelowStart)
        );
        assert!(Measure::metric(v(5.0), v(5.0), Direction::StayAtOrAbove, None).is_ok());
    }

    #[test]
    fn binary_and_missing_readings() {
        assert_eq!(
            key_result_progress(&Measure::Binary, Some(&Reading::Binary(true))),
            Progress::DONE
        );
        assert_eq!(
            key_result_progress(&Measure::Binary, Some(&Reading::Binary(false))),
            Progress::ZERO
        );
        assert_eq!(key_result_progress(&Measure::Binary, None), Progress::ZERO);
        assert_eq!(
            key_result_progress(&Measure::Binary, Some(&reading(1.0))),
            Progress::ZERO
        );
    }

    #[test]
    fn milestones_count_by_weight() {
        let m = |id, weight, done| MilestoneState {
            id: MilestoneId(id),
            weight: Weight::parse(weight).unwrap(),
            done,
        };
        let ms = vec![m(1, 1.0, true), m(2, 3.0, false)];
        assert_eq!(
            key_result_progress(&Measure::Milestones, Some(&Reading::Milestones(ms))).percent(),
            25
        );
        assert_eq!(milestone_progress(&[]), Progress::ZERO);
    }

    proptest! {
        #[test]
        fn metric_progress_is_a_share_for_any_direction(
            start in -1e9f64..1e9, target in -1e9f64..1e9, current in -1e9f64..1e9, d in 0usize..4,
        ) {
            let direction = Direction::ALL[d];
            if let Ok(measure) = Measure::metric(v(start), v(target), direction, None) {
                let p = key_result_progress(&measure, Some(&reading(current))).ratio();
                prop_assert!((0.0..=1.0).contains(&p));
            }
        }

        #[test]
        fn milestone_progress_is_a_share(weights in proptest::collection::vec((0.001f64..1000.0, any::<bool>()), 0..20)) {
            let ms: Vec<_> = weights.iter().enumerate()
                .map(|(i, (w, done))| MilestoneState { id: MilestoneId(i as i64), weight: Weight::parse(*w).unwrap(), done: *done })
                .collect();
            let p = milestone_progress(&ms).ratio();
            prop_assert!((0.0..=1.0).contains(&p));
            if !ms.is_empty() && ms.iter().all(|m| m.done) { prop_assert!((p - 1.0).abs() < 1e-9); }
            if ms.iter().all(|m| !m.done) { prop_assert_eq!(p, 0.0); }
        }
    }
}
