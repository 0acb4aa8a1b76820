//! An objective with its key results and initiatives as people type them into the
//! editor, and the one validation both the browser (as they type) and the server
//! (before anything is stored) run on it.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::duration::Notation;
use crate::grading::Commitment;
use crate::key_result::{Direction, Measure, MeasureError, MeasureKind};
use crate::model::ObjectiveState;
use crate::numbers::NumberStyle;
use crate::values::{LongText, Title, UnitLabel, Value, ValueError, Weight};

/// At most this many key results per objective (the method says three to five).
pub const MAX_KEY_RESULTS: usize = 10;
/// At most this many milestones per key result, and initiatives per objective.
pub const MAX_ITEMS: usize = 30;

/// The editor's form, every field as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveDraft {
    pub title: String,
    pub description: String,
    /// "committed" or "aspirational".
    pub commitment: String,
    /// "draft" or "active" (and, when editing, "completed" or "abandoned").
    pub state: String,
    pub weight: String,
    pub key_results: Vec<KeyResultDraft>,
    pub initiatives: Vec<String>,
    /// How the numbers were typed (the writer's language); plain when absent.
    #[serde(default)]
    pub numbers: NumberStyle,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyResultDraft {
    /// The stored key result this row edits; None for a new one.
    pub id: Option<i64>,
    pub title: String,
    /// "metric", "binary", "milestones" or "duration" (start and target then
    /// `m:ss` or `h:mm:ss`).
    pub kind: String,
    pub direction: String,
    pub start: String,
    pub target: String,
    pub unit: String,
    pub weight: String,
    /// Milestones: the stored id (None for new ones) and the title.
    pub milestones: Vec<(Option<i64>, String)>,
    /// The person who answers for it (their id), or empty: the objective's owner.
    #[serde(default)]
    pub owner: String,
    /// When it is due, `2026-11-30`, or empty.
    #[serde(default)]
    pub due: String,
}

/// A field and why it was refused: `field` is a path such as `title`,
/// `key_results.1.target` or `key_results.0.milestones.2`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub field: String,
    pub problem: FieldProblem,
}

/// Why one field of a form was refused.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
pub enum FieldProblem {
    #[error(transparent)]
    Value(#[from] ValueError),
    #[error("is not one of the choices")]
    UnknownChoice,
    #[error("has too many entries")]
    TooMany,
    #[error("must lie above the start, to increase")]
    TargetNotAboveStart,
    #[error("must lie below the start, to decrease")]
    TargetNotBelowStart,
    #[error("departs from the suggestion, so it needs a reason")]
    ReasonNeeded,
    #[error("is missing")]
    Missing,
    #[error("does not match")]
    NoMatch,
    #[error("is not the password")]
    WrongPassword,
    /// A webhook's address that may not be used.
    #[error(transparent)]
    Address(#[from] crate::webhooks::UrlProblem),
}

impl FieldProblem {
    /// A stable, language-neutral name, for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            FieldProblem::Value(value) => value.code(),
            FieldProblem::UnknownChoice => "unknown_choice",
            FieldProblem::TooMany => "too_many",
            FieldProblem::TargetNotAboveStart => "target_not_above_start",
            FieldProblem::TargetNotBelowStart => "target_not_below_start",
            FieldProblem::ReasonNeeded => "reason_needed",
            FieldProblem::Missing => "missing",
            FieldProblem::NoMatch => "no_match",
            FieldProblem::WrongPassword => "wrong_password",
            FieldProblem::Address(problem) => problem.code(),
        }
    }
}

/// A valid objective definition.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidObjective {
    pub title: Title,
    pub description: Option<LongText>,
    pub commitment: Commitment,
    pub state: ObjectiveState,
    pub weight: Weight,
    pub key_results: Vec<ValidKeyResult>,
    pub initiatives: Vec<Title>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidKeyResult {
    pub id: Option<i64>,
    pub title: Title,
    pub measure: Measure,
    pub weight: Weight,
    pub milestones: Vec<(Option<i64>, Title)>,
    pub owner: Option<crate::ids::PersonId>,
    pub due: Option<chrono::NaiveDate>,
}

struct Collect(Vec<Problem>);

impl Collect {
    fn take<T>(&mut self, field: impl Into<String>, result: Result<T, ValueError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.refuse(field, FieldProblem::Value(error));
                None
            }
        }
    }

    fn refuse(&mut self, field: impl Into<String>, problem: FieldProblem) {
        self.0.push(Problem {
            field: field.into(),
            problem,
        });
    }
}

/// A day as a date field sends it: `2026-11-30`.
fn day(text: &str) -> Result<chrono::NaiveDate, ValueError> {
    let mut parts = text.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    match (
        parts.next().flatten(),
        parts.next().flatten(),
        parts.next().flatten(),
    ) {
        (Some(year), Some(month), Some(day)) if text.len() == 10 => i32::try_from(year)
            .ok()
            .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, month, day))
            .ok_or(ValueError::NotADate),
        _ => Err(ValueError::NotADate),
    }
}

/// A weight as typed; empty means 1.
fn weight(text: &str, numbers: NumberStyle) -> Result<Weight, ValueError> {
    if text.trim().is_empty() {
        return Weight::parse(1.0);
    }
    Weight::parse(numbers.parse(text)?)
}

impl ObjectiveDraft {
    /// The same draft with its numbers written in `style` (a stored objective,
    /// written plainly, shown to a Dutch reader as `12000,5`). A field that is
    /// no number is left as it is, for validation to name.
    pub fn written_in(mut self, style: NumberStyle) -> ObjectiveDraft {
        let from = self.numbers;
        let rewrite = |text: &mut String| {
            if let Ok(value) = from.parse(text) {
                *text = style.write(value);
            }
        };
        rewrite(&mut self.weight);
        for kr in &mut self.key_results {
            if kr.kind == MeasureKind::Duration.as_str() {
                // Durations read alike in every style; plain seconds (from a file
                // or the API) are written as one.
                for text in [&mut kr.start, &mut kr.target] {
                    if let Ok(seconds) = Notation::Duration.parse(from, text) {
                        *text = Notation::Duration.write(style, seconds);
                    }
                }
            } else {
                rewrite(&mut kr.start);
                rewrite(&mut kr.target);
            }
            rewrite(&mut kr.weight);
        }
        self.numbers = style;
        self
    }

    /// The valid definition, or every problem at once (so the form can mark them all).
    pub fn validate(&self) -> Result<ValidObjective, Vec<Problem>> {
        let mut problems = Collect(Vec::new());
        let title = problems.take("title", Title::parse(&self.title));
        let description = match self.description.trim() {
            "" => Some(None),
            text => problems.take("description", LongText::parse(text).map(Some)),
        };
        let commitment = match self.commitment.as_str() {
            "committed" => Some(Commitment::Committed),
            "aspirational" => Some(Commitment::Aspirational),
            _ => {
                problems.refuse("commitment", FieldProblem::UnknownChoice);
                None
            }
        };
        let state = ObjectiveState::parse(&self.state);
        if state.is_none() {
            problems.refuse("state", FieldProblem::UnknownChoice);
        }
        let weight = problems.take("weight", weight(&self.weight, self.numbers));
        if self.key_results.len() > MAX_KEY_RESULTS {
            problems.refuse("key_results", FieldProblem::TooMany);
        }
        let key_results: Vec<Option<ValidKeyResult>> = self
            .key_results
            .iter()
            .take(MAX_KEY_RESULTS)
            .enumerate()
            .map(|(i, kr)| kr.validate(&format!("key_results.{i}"), self.numbers, &mut problems))
            .collect();
        if self.initiatives.len() > MAX_ITEMS {
            problems.refuse("initiatives", FieldProblem::TooMany);
        }
        let initiatives: Vec<Option<Title>> = self
            .initiatives
            .iter()
            .take(MAX_ITEMS)
            .enumerate()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(i, text)| problems.take(format!("initiatives.{i}"), Title::parse(text)))
            .collect();
        match (title, description, commitment, state, weight) {
            (Some(title), Some(description), Some(commitment), Some(state), Some(weight))
                if problems.0.is_empty() =>
            {
                Ok(ValidObjective {
                    title,
                    description,
                    commitment,
                    state,
                    weight,
                    key_results: key_results.into_iter().flatten().collect(),
                    initiatives: initiatives.into_iter().flatten().collect(),
                })
            }
            _ => Err(problems.0),
        }
    }
}

impl KeyResultDraft {
    /// The measure, or its target refused for lying on the wrong side of the start.
    fn checked(
        &self,
        measure: Result<Measure, MeasureError>,
        field: &dyn Fn(&str) -> String,
        problems: &mut Collect,
    ) -> Option<Measure> {
        match measure {
            Ok(measure) => Some(measure),
            Err(MeasureError::TargetNotAboveStart) => {
                problems.refuse(field("target"), FieldProblem::TargetNotAboveStart);
                None
            }
            Err(MeasureError::TargetNotBelowStart) => {
                problems.refuse(field("target"), FieldProblem::TargetNotBelowStart);
                None
            }
        }
    }

    fn validate(
        &self,
        at: &str,
        numbers: NumberStyle,
        problems: &mut Collect,
    ) -> Option<ValidKeyResult> {
        let field = |name: &str| format!("{at}.{name}");
        let title = problems.take(field("title"), Title::parse(&self.title));
        let weight = problems.take(field("weight"), weight(&self.weight, numbers));
        let owner = match self.owner.trim() {
            "" => Some(None),
            text => match text.parse::<i64>() {
                Ok(id) if id > 0 => Some(Some(crate::ids::PersonId(id))),
                _ => {
                    problems.refuse(field("owner"), FieldProblem::UnknownChoice);
                    None
                }
            },
        };
        let due = match self.due.trim() {
            "" => Some(None),
            text => problems.take(field("due"), day(text).map(Some)),
        };
        let mut milestones = Vec::new();
        let measure = match self.kind.as_str() {
            "duration" => {
                let read = |text: &str| {
                    Notation::Duration
                        .parse(numbers, text)
                        .and_then(Value::parse)
                };
                let start = problems.take(field("start"), read(&self.start));
                let target = problems.take(field("target"), read(&self.target));
                let direction = Direction::parse(&self.direction);
                if direction.is_none() {
                    problems.refuse(field("direction"), FieldProblem::UnknownChoice);
                }
                match (start, target, direction) {
                    (Some(start), Some(target), Some(direction)) => self.checked(
                        Measure::duration(start, target, direction),
                        &field,
                        problems,
                    ),
                    _ => None,
                }
            }
            "metric" => {
                let start = problems.take(
                    field("start"),
                    numbers.parse(&self.start).and_then(Value::parse),
                );
                let target = problems.take(
                    field("target"),
                    numbers.parse(&self.target).and_then(Value::parse),
                );
                let direction = Direction::parse(&self.direction);
                if direction.is_none() {
                    problems.refuse(field("direction"), FieldProblem::UnknownChoice);
                }
                let unit = match self.unit.trim() {
                    "" => Some(None),
                    text => problems.take(field("unit"), UnitLabel::parse(text).map(Some)),
                };
                match (start, target, direction, unit) {
                    (Some(start), Some(target), Some(direction), Some(unit)) => self.checked(
                        Measure::metric(start, target, direction, unit),
                        &field,
                        problems,
                    ),
                    _ => None,
                }
            }
            "binary" => Some(Measure::Binary),
            "milestones" => {
                let named: Vec<_> = self
                    .milestones
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, text))| !text.trim().is_empty())
                    .collect();
                if named.is_empty() {
                    problems.refuse(field("milestones"), FieldProblem::Value(ValueError::Empty));
                }
                if self.milestones.len() > MAX_ITEMS {
                    problems.refuse(field("milestones"), FieldProblem::TooMany);
                }
                for (i, (id, text)) in named.into_iter().take(MAX_ITEMS) {
                    if let Some(title) =
                        problems.take(format!("{at}.milestones.{i}"), Title::parse(text))
                    {
                        milestones.push((*id, title));
                    }
                }
                Some(Measure::Milestones)
            }
            _ => {
                problems.refuse(field("kind"), FieldProblem::UnknownChoice);
                None
            }
        };
        Some(ValidKeyResult {
            id: self.id,
            title: title?,
            measure: measure?,
            weight: weight?,
            milestones,
            owner: owner?,
            due: due?,
        })
    }
}

#[cfg(test)]
mod tests;
