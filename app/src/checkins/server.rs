//! Turning a check-in form into a validated check-in, or into the correction of
//! one's newest check-in.

use cairn::ids::{CheckInId, KeyResultId, MilestoneId};
use cairn::key_result::{Measure, MilestoneState, Reading};
use cairn::model::Source;
use cairn::numbers::NumberStyle;
use cairn::values::{Confidence, LongText, Value, Weight};

use super::CheckedIn;
use crate::error::AppError;
use crate::storage::Db;
use crate::storage::key_results;
use crate::storage::key_results::amend::{Amended, Amendment, amend_check_in};
use crate::storage::key_results::check_ins::{NewCheckIn, record_check_in};

/// What a check-in form says, before it is checked against its key result.
pub struct Form {
    pub value: Option<String>,
    pub milestones: Vec<i64>,
    pub confidence: i64,
    pub note: String,
}

/// The form's fields, each refused with its own reason.
struct Fields {
    reading: Reading,
    confidence: Confidence,
    note: Option<LongText>,
}

impl Form {
    fn read(self, measure: &Measure, numbers: NumberStyle) -> Result<Fields, AppError> {
        let confidence =
            Confidence::parse(self.confidence).map_err(|e| AppError::invalid("confidence", &e))?;
        let note = match self.note.trim() {
            "" => None,
            text => Some(LongText::parse(text).map_err(|e| AppError::invalid("note", &e))?),
        };
        let reading = match measure {
            Measure::Metric { .. } | Measure::Duration { .. } => {
                let text = self.value.unwrap_or_default();
                let number = measure
                    .notation()
                    .parse(numbers, &text)
                    .map_err(|e| AppError::invalid("value", &e))?;
                Reading::Metric(Value::parse(number).map_err(|e| AppError::invalid("value", &e))?)
            }
            Measure::Binary => {
                Reading::Binary(matches!(self.value.as_deref(), Some("done" | "true" | "1")))
            }
            Measure::Milestones => {
                let weight = Weight::parse(1.0).map_err(|e| AppError::invalid("milestones", &e))?;
                Reading::Milestones(
                    self.milestones
                        .into_iter()
                        .map(|id| MilestoneState {
                            id: MilestoneId(id),
                            weight,
                            done: true,
                        })
                        .collect(),
                )
            }
        };
        Ok(Fields {
            reading,
            confidence,
            note,
        })
    }
}

pub async fn check_in(
    db: &Db,
    key_result: i64,
    form: Form,
    numbers: NumberStyle,
) -> Result<CheckedIn, AppError> {
    let kr = key_results::key_result(db, KeyResultId(key_result)).await?;
    let actor = crate::auth::server::may_check_in(db, kr.objective, kr.owner).await?;
    let fields = form.read(&kr.measure, numbers)?;
    let receipt = record_check_in(
        db,
        NewCheckIn {
            key_result: kr.id,
            author: Some(actor.person),
            reading: fields.reading,
            confidence: fields.confidence,
            note: fields.note,
            source: Source::Ui,
            through: None,
        },
    )
    .await?;
    Ok(CheckedIn {
        objective: receipt.objective.0,
        key_result_progress: receipt.key_result_progress.ratio(),
        objective_progress: receipt.objective_progress.ratio(),
    })
}

/// Corrects (with a form) or deletes (without) the reader's own newest check-in.
pub async fn amend(
    db: &Db,
    check_in: i64,
    form: Option<Form>,
    numbers: NumberStyle,
) -> Result<CheckedIn, AppError> {
    let kr = key_results::check_ins::key_result_of(db, CheckInId(check_in)).await?;
    let actor = crate::auth::server::may_check_in(db, kr.objective, kr.owner).await?;
    let amendment = match form {
        Some(form) => {
            let fields = form.read(&kr.measure, numbers)?;
            Amendment::Correct {
                reading: fields.reading,
                confidence: fields.confidence,
                note: fields.note,
            }
        }
        None => Amendment::Delete,
    };
    let Amended {
        objective,
        key_result_progress,
        objective_progress,
        ..
    } = amend_check_in(db, CheckInId(check_in), actor.person, amendment).await?;
    Ok(CheckedIn {
        objective: objective.0,
        key_result_progress: key_result_progress.ratio(),
        objective_progress: objective_progress.ratio(),
    })
}
