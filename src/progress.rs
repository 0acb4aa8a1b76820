//! Progress of a key result: how far a value has travelled from its start to its target.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A share of the way from start to target, always within `0.0..=1.0`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct Progress(f64);

impl Progress {
    /// Nothing achieved yet.
    pub const ZERO: Progress = Progress(0.0);
    /// The target is reached.
    pub const DONE: Progress = Progress(1.0);

    /// Clamps any finite ratio into `0.0..=1.0`; anything not finite is an error.
    pub fn from_ratio(ratio: f64) -> Result<Self, ProgressError> {
        if ratio.is_finite() {
            Ok(Progress(ratio.clamp(0.0, 1.0)))
        } else {
            Err(ProgressError::NotFinite)
        }
    }

    /// The share as a number within `0.0..=1.0`.
    pub fn ratio(self) -> f64 {
        self.0
    }

    /// Whole percent, rounded half away from zero (what a progress bar shows).
    pub fn percent(self) -> u8 {
        // The value is within 0..=1, so the product fits in u8.
        (self.0 * 100.0).round() as u8
    }
}

/// Why a progress figure cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum ProgressError {
    /// A start, target or current value was NaN or infinite.
    #[error("values must be finite numbers")]
    NotFinite,
}

/// Progress of a metric key result: `(current - start) / (target - start)`, clamped.
///
/// The one formula serves increasing and decreasing metrics alike: when the target is
/// below the start, both differences are negative. When start equals target the key
/// result has no distance to travel, so it counts as done exactly when the current value
/// sits on the target.
pub fn metric_progress(start: f64, target: f64, current: f64) -> Result<Progress, ProgressError> {
    if !(start.is_finite() && target.is_finite() && current.is_finite()) {
        return Err(ProgressError::NotFinite);
    }
    if start == target {
        return Ok(if current == target {
            Progress::DONE
        } else {
            Progress::ZERO
        });
    }
    Progress::from_ratio((current - start) / (target - start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn halfway_on_an_increasing_metric() {
        assert_eq!(metric_progress(0.0, 200.0, 100.0).unwrap().percent(), 50);
    }

    #[test]
    fn a_decreasing_metric_counts_the_way_down() {
        // Churn from 10 % down to 4 %: at 7 % we are halfway.
        assert_eq!(metric_progress(10.0, 4.0, 7.0).unwrap().percent(), 50);
        // Moving the wrong way is no progress, not negative progress.
        assert_eq!(metric_progress(10.0, 4.0, 12.0).unwrap(), Progress::ZERO);
    }

    #[test]
    fn overshooting_is_clamped_to_done() {
        assert_eq!(metric_progress(0.0, 10.0, 25.0).unwrap(), Progress::DONE);
    }

    #[test]
    fn start_equal_to_target_is_done_only_on_target() {
        assert_eq!(metric_progress(5.0, 5.0, 5.0).unwrap(), Progress::DONE);
        assert_eq!(metric_progress(5.0, 5.0, 4.0).unwrap(), Progress::ZERO);
    }

    #[test]
    fn non_finite_values_are_refused() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(
                metric_progress(bad, 1.0, 0.5),
                Err(ProgressError::NotFinite)
            );
            assert_eq!(
                metric_progress(0.0, bad, 0.5),
                Err(ProgressError::NotFinite)
            );
            assert_eq!(
                metric_progress(0.0, 1.0, bad),
                Err(ProgressError::NotFinite)
            );
        }
    }

    proptest! {
        #[test]
        fn progress_is_always_a_share(
            start in -1e12f64..1e12,
            target in -1e12f64..1e12,
            current in -1e12f64..1e12,
        ) {
            let p = metric_progress(start, target, current).unwrap().ratio();
            prop_assert!((0.0..=1.0).contains(&p));
        }

        #[test]
        fn moving_towards_the_target_never_lowers_progress(
            start in -1e6f64..1e6,
            distance in 1e-3f64..1e6,
            a in 0.0f64..1.0,
            b in 0.0f64..1.0,
            decreasing: bool,
        ) {
            let target = if decreasing { start - distance } else { start + distance };
            let (near, far) = if a <= b { (a, b) } else { (b, a) };
            let at = |share: f64| metric_progress(start, target, start + share * (target - start)).unwrap();
            prop_assert!(at(near) <= at(far));
        }
    }
}
