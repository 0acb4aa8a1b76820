//! On track, at risk or off track: from the owner's latest confidence and how far
//! progress trails the expected pace (linear through the period).

use serde::{Deserialize, Serialize};

use crate::progress::Progress;
use crate::values::Confidence;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    OnTrack,
    AtRisk,
    OffTrack,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Status::OnTrack, Status::AtRisk, Status::OffTrack]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// Progress more than this far behind the pace is off track.
pub const OFF_TRACK_GAP: f64 = 0.30;
/// Progress more than this far behind the pace is at risk.
pub const AT_RISK_GAP: f64 = 0.15;

/// The status of a key result (or objective) with `progress` when `expected` of the
/// period has passed. The worse of two signals wins: confidence 0-3 is off track,
/// 4-6 at risk; trailing the pace by more than 30 points is off track, by more than
/// 15 at risk. Done is on track whatever else. Without a check-in only pace counts.
pub fn status(progress: Progress, expected: f64, confidence: Option<Confidence>) -> Status {
    if progress == Progress::DONE {
        return Status::OnTrack;
    }
    let gap = if expected.is_finite() {
        expected.clamp(0.0, 1.0) - progress.ratio()
    } else {
        0.0
    };
    let by_pace = if gap > OFF_TRACK_GAP {
        Status::OffTrack
    } else if gap > AT_RISK_GAP {
        Status::AtRisk
    } else {
        Status::OnTrack
    };
    let by_confidence = match confidence.map(Confidence::get) {
        Some(0..=3) => Status::OffTrack,
        Some(4..=6) => Status::AtRisk,
        _ => Status::OnTrack,
    };
    worse(by_pace, by_confidence)
}

fn worse(a: Status, b: Status) -> Status {
    let rank = |s| match s {
        Status::OnTrack => 0,
        Status::AtRisk => 1,
        Status::OffTrack => 2,
    };
    if rank(a) >= rank(b) { a } else { b }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64) -> Progress {
        Progress::from_ratio(x).unwrap()
    }

    fn c(x: i64) -> Option<Confidence> {
        Some(Confidence::parse(x).unwrap())
    }

    #[test]
    fn on_pace_and_confident_is_on_track() {
        assert_eq!(status(p(0.5), 0.5, c(8)), Status::OnTrack);
        assert_eq!(
            status(p(0.4), 0.5, c(7)),
            Status::OnTrack,
            "ten points behind is within tolerance"
        );
    }

    #[test]
    fn low_confidence_wins_over_good_pace() {
        assert_eq!(status(p(0.9), 0.5, c(2)), Status::OffTrack);
        assert_eq!(status(p(0.9), 0.5, c(5)), Status::AtRisk);
    }

    #[test]
    fn trailing_the_pace_wins_over_high_confidence() {
        assert_eq!(status(p(0.3), 0.5, c(10)), Status::AtRisk);
        assert_eq!(status(p(0.1), 0.5, c(10)), Status::OffTrack);
    }

    #[test]
    fn done_is_on_track_and_no_check_in_uses_pace() {
        assert_eq!(status(Progress::DONE, 1.0, c(0)), Status::OnTrack);
        assert_eq!(status(p(0.0), 0.0, None), Status::OnTrack);
        assert_eq!(status(p(0.0), 0.9, None), Status::OffTrack);
        assert_eq!(status(p(0.0), f64::NAN, None), Status::OnTrack);
    }
}
