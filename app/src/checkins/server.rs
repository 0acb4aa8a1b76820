//! Turning a check-in form into a validated check-in.

use cairn::ids::{KeyResultId, MilestoneId};
use cairn::key_result::{Measure, MilestoneState, Reading};
use cairn::model::Source;
use cairn::numbers::NumberStyle;
use cairn::values::{Confidence, LongText, Value, Weight};

use super::CheckedIn;
use crate::error::AppError;
use crate::storage::Db;
use crate::storage::key_results;
use crate::storage::key_results::check_ins::{NewCheckIn, record_check_in};

pub async fn check_in(
    db: &Db,
    key_result: i64,
    value: Option<String>,
    milestones: Vec<i64>,
    confidence: i64,
    note: String,
    numbers: NumberStyle,
) -> Result<CheckedIn, AppError> {
    let confidence =
        Confidence::parse(confidence).map_err(|e| AppError::invalid("confidence", &e))?;
    let note = match note.trim() {
        "" => None,
        text => Some(LongText::parse(text).map_err(|e| AppError::invalid("note", &e))?),
    };
    let kr = key_results::key_result(db, KeyResultId(key_result)).await?;
    let actor = crate::auth::server::may_check_in(db, kr.objective, kr.owner).await?;
    let reading = match kr.measure {
        Measure::Metric { .. } => {
            let text = value.unwrap_or_default();
            let number = numbers
                .parse(&text)
                .map_err(|e| AppError::invalid("value", &e))?;
            Reading::Metric(Value::parse(number).map_err(|e| AppError::invalid("value", &e))?)
        }
        Measure::Binary => Reading::Binary(matches!(value.as_deref(), Some("done" | "true" | "1"))),
        Measure::Milestones => {
            let weight = Weight::parse(1.0).map_err(|e| AppError::invalid("milestones", &e))?;
            Reading::Milestones(
                milestones
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
    let receipt = record_check_in(
        db,
        NewCheckIn {
            key_result: kr.id,
            author: Some(actor.person),
            reading,
            confidence,
            note,
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
