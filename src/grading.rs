//! Grading at period close: 0.0 to 1.0, with colour bands and the committed vs
//! aspirational expectation (committed OKRs should land at 1.0, aspirational ones
//! around 0.7).

use serde::{Deserialize, Serialize};

use crate::progress::Progress;
use crate::values::ValueError;

/// Whether an objective is a promise or a stretch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Commitment {
    Committed,
    Aspirational,
}

impl Commitment {
    /// The grade a well-set objective of this kind is expected to reach.
    pub fn expected_grade(self) -> f64 {
        match self {
            Commitment::Committed => 1.0,
            Commitment::Aspirational => 0.7,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Commitment::Committed => "committed",
            Commitment::Aspirational => "aspirational",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "committed" => Some(Commitment::Committed),
            "aspirational" => Some(Commitment::Aspirational),
            _ => None,
        }
    }
}

/// A grade between 0.0 and 1.0, kept to two decimals.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Grade(f64);

/// The colour a grade is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// 0.0 to 0.3: we failed to make real progress.
    Red,
    /// 0.4 to 0.6: progress, short of the goal.
    Yellow,
    /// 0.7 to 1.0: delivered.
    Green,
}

impl Grade {
    pub fn parse(raw: f64) -> Result<Grade, ValueError> {
        if !raw.is_finite() {
            return Err(ValueError::NotFinite);
        }
        if !(0.0..=1.0).contains(&raw) {
            return Err(ValueError::OutOfRange { min: 0.0, max: 1.0 });
        }
        Ok(Grade((raw * 100.0).round() / 100.0))
    }

    /// The grade suggested by final progress, to the tenth, as owners usually grade.
    pub fn suggested(progress: Progress) -> Grade {
        Grade((progress.ratio() * 10.0).round() / 10.0)
    }

    pub fn get(self) -> f64 {
        self.0
    }

    /// Red up to 0.3, yellow 0.4 to 0.6, green from 0.7; a grade between two bands
    /// (0.35, 0.65) goes to the nearer one, rounding up.
    pub fn band(self) -> Band {
        if self.0 < 0.35 {
            Band::Red
        } else if self.0 < 0.65 {
            Band::Yellow
        } else {
            Band::Green
        }
    }

    /// Whether the grade reaches what this kind of objective is expected to reach.
    pub fn meets(self, commitment: Commitment) -> bool {
        self.0 + 1e-9 >= commitment.expected_grade()
    }

    /// The weighted mean of key result grades: an objective's grade.
    pub fn weighted_mean(grades: &[(Grade, f64)]) -> Option<Grade> {
        let total: f64 = grades
            .iter()
            .filter(|(_, w)| w.is_finite() && *w > 0.0)
            .map(|(_, w)| w)
            .sum();
        if total <= 0.0 {
            return None;
        }
        let sum: f64 = grades
            .iter()
            .filter(|(_, w)| w.is_finite() && *w > 0.0)
            .map(|(g, w)| g.0 * w)
            .sum();
        Grade::parse((sum / total).clamp(0.0, 1.0)).ok()
    }
}

impl TryFrom<f64> for Grade {
    type Error = ValueError;
    fn try_from(raw: f64) -> Result<Self, ValueError> {
        Grade::parse(raw)
    }
}

impl From<Grade> for f64 {
    fn from(grade: Grade) -> f64 {
        grade.0
    }
}

/// A grade differing from the suggestion by more than this is an override.
pub const OVERRIDE_TOLERANCE: f64 = 0.05;

/// One key result's line of a grading sheet, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GradeLine {
    pub key_result: i64,
    pub grade: String,
    pub reason: String,
}

/// A valid grading sheet: each key result's grade (with the reason for an
/// override), the retrospective, and the objective's grade they roll up to.
#[derive(Debug, Clone, PartialEq)]
pub struct GradedSheet {
    pub lines: Vec<(i64, Grade, Option<crate::values::LongText>)>,
    pub retrospective: Option<crate::values::LongText>,
    pub objective: Option<Grade>,
}

/// Checks a grading sheet against the key results it grades: `key_results` are
/// (id, weight, suggested grade). Every key result must be graded exactly once; a
/// grade away from the suggestion needs a reason.
pub fn grade_sheet(
    lines: &[GradeLine],
    retrospective: &str,
    key_results: &[(i64, f64, Grade)],
    numbers: crate::numbers::NumberStyle,
) -> Result<GradedSheet, Vec<crate::draft::Problem>> {
    use crate::draft::{FieldProblem, Problem};
    use crate::values::LongText;
    let mut problems = Vec::new();
    let mut refuse =
        |field: String, problem: FieldProblem| problems.push(Problem { field, problem });
    let mut graded = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((_, weight, suggested)) =
            key_results.iter().find(|(id, _, _)| *id == line.key_result)
        else {
            refuse(format!("grades.{i}"), FieldProblem::UnknownChoice);
            continue;
        };
        if graded
            .iter()
            .any(|(id, _, _, _): &(i64, Grade, Option<LongText>, f64)| *id == line.key_result)
        {
            refuse(format!("grades.{i}"), FieldProblem::UnknownChoice);
            continue;
        }
        let grade = match numbers.parse(&line.grade).and_then(Grade::parse) {
            Ok(grade) => grade,
            Err(error) => {
                refuse(format!("grades.{i}.grade"), error.into());
                continue;
            }
        };
        let reason = match line.reason.trim() {
            "" => None,
            text => match LongText::parse(text) {
                Ok(reason) => Some(reason),
                Err(error) => {
                    refuse(format!("grades.{i}.reason"), error.into());
                    continue;
                }
            },
        };
        if (grade.get() - suggested.get()).abs() > OVERRIDE_TOLERANCE + 1e-9 && reason.is_none() {
            refuse(format!("grades.{i}.reason"), FieldProblem::ReasonNeeded);
            continue;
        }
        graded.push((line.key_result, grade, reason, *weight));
    }
    for (id, _, _) in key_results {
        if !lines.iter().any(|l| l.key_result == *id) {
            refuse("grades".to_string(), FieldProblem::Missing);
        }
    }
    let retrospective = match retrospective.trim() {
        "" => None,
        text => match LongText::parse(text) {
            Ok(text) => Some(text),
            Err(error) => {
                refuse("retrospective".to_string(), error.into());
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let objective = Grade::weighted_mean(
        &graded
            .iter()
            .map(|(_, g, _, w)| (*g, *w))
            .collect::<Vec<_>>(),
    );
    Ok(GradedSheet {
        lines: graded.into_iter().map(|(id, g, r, _)| (id, g, r)).collect(),
        retrospective,
        objective,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn g(x: f64) -> Grade {
        Grade::parse(x).unwrap()
    }

    #[test]
    fn bands_follow_the_google_scale() {
        for (grade, band) in [
            (0.0, Band::Red),
            (0.3, Band::Red),
            (0.4, Band::Yellow),
            (0.6, Band::Yellow),
            (0.7, Band::Green),
            (1.0, Band::Green),
        ] {
            assert_eq!(g(grade).band(), band, "{grade}");
        }
    }

    #[test]
    fn expectations_differ_by_commitment() {
        assert!(g(0.7).meets(Commitment::Aspirational));
        assert!(!g(0.7).meets(Commitment::Committed));
        assert!(g(1.0).meets(Commitment::Committed));
        assert!(!g(0.6).meets(Commitment::Aspirational));
    }

    #[test]
    fn grades_are_bounded_and_finite() {
        assert!(Grade::parse(1.01).is_err());
        assert!(Grade::parse(-0.1).is_err());
        assert!(Grade::parse(f64::NAN).is_err());
        assert_eq!(g(0.456).get(), 0.46);
    }

    #[test]
    fn suggestions_round_progress_to_tenths() {
        assert_eq!(
            Grade::suggested(Progress::from_ratio(0.66).unwrap()).get(),
            0.7
        );
        assert_eq!(Grade::suggested(Progress::ZERO).get(), 0.0);
    }

    #[test]
    fn objective_grades_are_weighted() {
        assert_eq!(
            Grade::weighted_mean(&[(g(1.0), 3.0), (g(0.2), 1.0)])
                .unwrap()
                .get(),
            0.8
        );
        assert_eq!(Grade::weighted_mean(&[]), None);
    }

    proptest! {
        #[test]
        fn any_finite_value_in_range_is_a_grade(x in 0.0f64..=1.0) {
            let grade = g(x);
            prop_assert!((0.0..=1.0).contains(&grade.get()));
            prop_assert!((grade.get() - x).abs() <= 0.005 + 1e-12);
        }
    }

    #[test]
    fn a_sheet_grades_every_key_result_and_overrides_need_a_reason() {
        let krs = [
            (1, 1.0, Grade::parse(0.7).unwrap()),
            (2, 3.0, Grade::parse(0.3).unwrap()),
        ];
        let line = |kr: i64, grade: &str, reason: &str| GradeLine {
            key_result: kr,
            grade: grade.into(),
            reason: reason.into(),
        };
        let sheet = grade_sheet(
            &[line(1, "0,7", ""), line(2, "0.32", "")],
            "We learned",
            &krs,
            crate::numbers::NumberStyle::Point,
        )
        .unwrap();
        // (0.7 * 1 + 0.32 * 3) / 4 = 0.415
        assert_eq!(sheet.objective.unwrap().get(), 0.42);
        let codes = |result: Result<GradedSheet, Vec<crate::draft::Problem>>| {
            result
                .unwrap_err()
                .into_iter()
                .map(|p| (p.field, p.problem.code().to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(grade_sheet(
                &[line(1, "1.0", ""), line(2, "NaN", "")],
                "",
                &krs,
                crate::numbers::NumberStyle::Point
            )),
            vec![
                ("grades.0.reason".to_string(), "reason_needed".to_string()),
                ("grades.1.grade".to_string(), "not_finite".to_string()),
            ]
        );
        assert_eq!(
            codes(grade_sheet(
                &[line(1, "1.5", "")],
                "",
                &krs,
                crate::numbers::NumberStyle::Point
            )),
            vec![
                ("grades.0.grade".to_string(), "out_of_range".to_string()),
                ("grades".to_string(), "missing".to_string()),
            ]
        );
        assert_eq!(
            codes(grade_sheet(
                &[line(1, "0.7", ""), line(2, "0.3", ""), line(9, "0.3", "")],
                "",
                &krs,
                crate::numbers::NumberStyle::Point
            )),
            vec![("grades.2".to_string(), "unknown_choice".to_string())]
        );
        let overridden = grade_sheet(
            &[line(1, "1", "Shipped after the cut-off"), line(2, "-0", "")],
            "",
            &krs,
            crate::numbers::NumberStyle::Point,
        );
        assert!(overridden.is_err(), "-0 is far from 0.3 without a reason");
        assert!(
            grade_sheet(
                &[
                    line(1, "1", "Shipped after the cut-off"),
                    line(2, "0.3", "")
                ],
                "",
                &krs,
                crate::numbers::NumberStyle::Point
            )
            .is_ok()
        );
    }
}
