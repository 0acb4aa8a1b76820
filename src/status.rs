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

/// Why a status is what it is: the signals that made it worse than on track.
/// Both are named when both brought it to the same level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Reason {
    /// Done, or on pace with confidence 7 or more (or no check-in yet and on pace).
    OnPace,
    /// The owner's confidence (0-10) says so, whatever the progress.
    Confidence { confidence: u8 },
    /// Progress trails the pace: `progress` % where `expected` % of the period passed.
    BehindPace { progress: u8, expected: u8 },
    /// Both signals, each bad enough on its own.
    Both {
        confidence: u8,
        progress: u8,
        expected: u8,
    },
}

impl Reason {
    /// The reason in the reader's words, from their phrases for the two signals;
    /// nothing when on pace.
    pub fn describe(
        self,
        confidence: impl Fn(u8) -> String,
        behind: impl Fn(u8, u8) -> String,
    ) -> Option<String> {
        match self {
            Reason::OnPace => None,
            Reason::Confidence { confidence: c } => Some(confidence(c)),
            Reason::BehindPace { progress, expected } => Some(behind(progress, expected)),
            Reason::Both {
                confidence: c,
                progress,
                expected,
            } => Some(format!("{}; {}", confidence(c), behind(progress, expected))),
        }
    }
}

/// A status with its reason, as every page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub status: Status,
    pub reason: Reason,
}

impl Verdict {
    pub const ON_TRACK: Verdict = Verdict {
        status: Status::OnTrack,
        reason: Reason::OnPace,
    };
}

/// The status of a key result (or objective) with `progress` when `expected` of the
/// period has passed. The worse of two signals wins: confidence 0-3 is off track,
/// 4-6 at risk; trailing the pace by more than 30 points is off track, by more than
/// 15 at risk. Done is on track whatever else. Without a check-in only pace counts.
pub fn status(progress: Progress, expected: f64, confidence: Option<Confidence>) -> Status {
    verdict(progress, expected, confidence).status
}

/// [`status`] with the signals that decided it.
pub fn verdict(progress: Progress, expected: f64, confidence: Option<Confidence>) -> Verdict {
    if progress == Progress::DONE {
        return Verdict::ON_TRACK;
    }
    let expected = if expected.is_finite() {
        expected.clamp(0.0, 1.0)
    } else {
        progress.ratio()
    };
    let gap = expected - progress.ratio();
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
    let status = worse(by_pace, by_confidence);
    let pace = (status != Status::OnTrack && by_pace == status).then(|| {
        (
            progress.percent(),
            // Within 0..=1, so the product fits in u8.
            (expected * 100.0).round() as u8,
        )
    });
    let confidence = confidence
        .map(Confidence::get)
        .filter(|_| status != Status::OnTrack && by_confidence == status);
    let reason = match (confidence, pace) {
        (Some(confidence), Some((progress, expected))) => Reason::Both {
            confidence,
            progress,
            expected,
        },
        (Some(confidence), None) => Reason::Confidence { confidence },
        (None, Some((progress, expected))) => Reason::BehindPace { progress, expected },
        (None, None) => Reason::OnPace,
    };
    Verdict { status, reason }
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

    #[test]
    fn a_verdict_names_what_made_it_worse() {
        assert_eq!(
            verdict(p(0.86), 0.67, c(5)),
            Verdict {
                status: Status::AtRisk,
                reason: Reason::Confidence { confidence: 5 }
            },
            "ahead of the pace but not confident"
        );
        assert_eq!(
            verdict(p(0.4), 0.67, c(8)).reason,
            Reason::BehindPace {
                progress: 40,
                expected: 67
            }
        );
        assert_eq!(
            verdict(p(0.1), 0.67, c(5)),
            Verdict {
                status: Status::OffTrack,
                reason: Reason::BehindPace {
                    progress: 10,
                    expected: 67
                }
            },
            "only the signal that decided the level is named"
        );
        assert_eq!(
            verdict(p(0.45), 0.67, c(6)).reason,
            Reason::Both {
                confidence: 6,
                progress: 45,
                expected: 67
            }
        );
        assert_eq!(verdict(p(0.6), 0.67, c(9)), Verdict::ON_TRACK);
        assert_eq!(verdict(Progress::DONE, 0.2, c(1)), Verdict::ON_TRACK);
    }
}
