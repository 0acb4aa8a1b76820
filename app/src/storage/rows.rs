//! Reading domain values back from rows. Stored text and numbers are validated
//! again: a row that breaks the rules is reported as corrupt, never trusted.

use cairn::Progress;
use cairn::grading::{Commitment, Grade};
use cairn::ids::{KeyResultId, ObjectiveId, PeriodId, PersonId, UnitId};
use cairn::key_result::{Direction, Measure, MeasureKind, Reading};
use cairn::model::{KeyResult, Objective, ObjectiveState, Owner};
use cairn::values::{Confidence, LongText, Title, UnitLabel, Value, Weight};
use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::storage::StorageError;

pub(crate) const OBJECTIVE_COLUMNS: &str = "o.id, o.period_id, o.owner_unit_id, o.owner_person_id, o.title, o.description, \
     o.commitment, o.state, o.weight, o.position, o.progress, o.grade, o.version";

pub(crate) const KEY_RESULT_COLUMNS: &str = "k.id, k.objective_id, k.title, k.kind, k.direction, k.start_value, k.target_value, \
     k.unit_label, k.weight, k.owner_person_id, k.due_on, k.position, k.current_value, k.progress, k.confidence, \
     k.last_check_in_at, k.grade, k.version, k.notation";

/// A measure as the `key_results` table stores it: the kind, and for metric key
/// results the direction, start, target and unit. A duration is stored as a
/// metric in seconds whose notation is `duration`. The one mapping every writer
/// uses; [`measure`] reads it back.
pub struct MeasureColumns<'a> {
    pub kind: &'static str,
    pub direction: Option<&'static str>,
    pub start: Option<f64>,
    pub target: Option<f64>,
    pub unit: Option<&'a str>,
    pub notation: Option<&'static str>,
}

/// The notation column's value for durations.
const DURATION: &str = "duration";

impl<'a> MeasureColumns<'a> {
    pub fn of(measure: &'a Measure) -> Self {
        let metric = MeasureKind::Metric.as_str();
        match measure {
            Measure::Metric {
                start,
                target,
                direction,
                unit,
            } => MeasureColumns {
                kind: metric,
                direction: Some(direction.as_str()),
                start: Some(start.get()),
                target: Some(target.get()),
                unit: unit.as_ref().map(|u| u.as_str()),
                notation: None,
            },
            Measure::Duration {
                start,
                target,
                direction,
            } => MeasureColumns {
                kind: metric,
                direction: Some(direction.as_str()),
                start: Some(start.get()),
                target: Some(target.get()),
                unit: None,
                notation: Some(DURATION),
            },
            Measure::Binary | Measure::Milestones => MeasureColumns {
                kind: measure.kind_str(),
                direction: None,
                start: None,
                target: None,
                unit: None,
                notation: None,
            },
        }
    }
}

fn corrupt<E: std::fmt::Display>(what: &'static str) -> impl FnOnce(E) -> StorageError {
    move |e| StorageError::corrupt(format!("{what}: {e}"))
}

pub(crate) fn progress(ratio: f64) -> Result<Progress, StorageError> {
    Progress::from_ratio(ratio).map_err(corrupt("progress"))
}

/// An objective's owner from its two owner columns, exactly one of them set.
pub(crate) fn owner(unit: Option<i64>, person: Option<i64>) -> Result<Owner, StorageError> {
    match (unit, person) {
        (Some(unit), None) => Ok(Owner::Unit(UnitId(unit))),
        (None, Some(person)) => Ok(Owner::Person(PersonId(person))),
        _ => Err(StorageError::corrupt("objective owner")),
    }
}

pub(crate) fn objective(row: &AnyRow) -> Result<Objective, StorageError> {
    let owner = owner(
        row.try_get::<Option<i64>, _>("owner_unit_id")?,
        row.try_get::<Option<i64>, _>("owner_person_id")?,
    )?;
    let commitment: String = row.try_get("commitment")?;
    let state: String = row.try_get("state")?;
    Ok(Objective {
        id: ObjectiveId(row.try_get("id")?),
        period: PeriodId(row.try_get("period_id")?),
        owner,
        title: Title::parse(row.try_get("title")?).map_err(corrupt("objective title"))?,
        description: row
            .try_get::<Option<String>, _>("description")?
            .map(|d| LongText::parse(&d).map_err(corrupt("objective description")))
            .transpose()?,
        commitment: Commitment::parse(&commitment)
            .ok_or_else(|| StorageError::corrupt("commitment"))?,
        state: ObjectiveState::parse(&state)
            .ok_or_else(|| StorageError::corrupt("objective state"))?,
        weight: Weight::parse(row.try_get("weight")?).map_err(corrupt("objective weight"))?,
        position: row.try_get("position")?,
        progress: progress(row.try_get("progress")?)?,
        grade: row
            .try_get::<Option<f64>, _>("grade")?
            .map(Grade::parse)
            .transpose()
            .map_err(corrupt("grade"))?,
        version: row.try_get("version")?,
    })
}

/// The kind of measure a row's `kind` and `notation` columns say.
pub(crate) fn measure_kind(row: &AnyRow) -> Result<MeasureKind, StorageError> {
    let kind: String = row.try_get("kind")?;
    let notation: Option<String> = row.try_get("notation")?;
    match (MeasureKind::parse(&kind), notation.as_deref()) {
        (Some(MeasureKind::Metric), Some(DURATION)) => Ok(MeasureKind::Duration),
        (Some(kind), None) if kind != MeasureKind::Duration => Ok(kind),
        _ => Err(StorageError::corrupt(format!("key result kind {kind}"))),
    }
}

pub(crate) fn measure(row: &AnyRow) -> Result<Measure, StorageError> {
    let kind: String = row.try_get("kind")?;
    match kind.as_str() {
        "binary" => Ok(Measure::Binary),
        "milestones" => Ok(Measure::Milestones),
        "metric" => {
            let direction: String = row.try_get("direction")?;
            let value = |column: &str| -> Result<Value, StorageError> {
                Value::parse(row.try_get(column)?).map_err(corrupt("metric value"))
            };
            let unit = row
                .try_get::<Option<String>, _>("unit_label")?
                .map(|u| UnitLabel::parse(&u).map_err(corrupt("unit label")))
                .transpose()?;
            let direction =
                Direction::parse(&direction).ok_or_else(|| StorageError::corrupt("direction"))?;
            let (start, target) = (value("start_value")?, value("target_value")?);
            match row.try_get::<Option<String>, _>("notation")?.as_deref() {
                None => Measure::metric(start, target, direction, unit),
                Some(DURATION) => Measure::duration(start, target, direction),
                Some(other) => return Err(StorageError::corrupt(format!("notation {other}"))),
            }
            .map_err(corrupt("metric"))
        }
        other => Err(StorageError::corrupt(format!("key result kind {other}"))),
    }
}

/// The cached reading of a metric or binary key result; milestone readings live in
/// the milestones table.
pub(crate) fn cached_reading(
    measure: &Measure,
    current: Option<f64>,
) -> Result<Option<Reading>, StorageError> {
    let Some(current) = current else {
        return Ok(None);
    };
    Ok(match measure {
        Measure::Metric { .. } | Measure::Duration { .. } => Some(Reading::Metric(
            Value::parse(current).map_err(corrupt("current value"))?,
        )),
        Measure::Binary => Some(Reading::Binary(current >= 0.5)),
        Measure::Milestones => None,
    })
}

pub(crate) fn key_result(row: &AnyRow) -> Result<KeyResult, StorageError> {
    let measure = measure(row)?;
    let reading = cached_reading(&measure, row.try_get("current_value")?)?;
    Ok(KeyResult {
        id: KeyResultId(row.try_get("id")?),
        objective: ObjectiveId(row.try_get("objective_id")?),
        title: Title::parse(row.try_get("title")?).map_err(corrupt("key result title"))?,
        measure,
        weight: Weight::parse(row.try_get("weight")?).map_err(corrupt("key result weight"))?,
        owner: row
            .try_get::<Option<i64>, _>("owner_person_id")?
            .map(PersonId),
        due: row
            .try_get::<Option<String>, _>("due_on")?
            .map(|d| d.parse::<NaiveDate>().map_err(corrupt("due date")))
            .transpose()?,
        position: row.try_get("position")?,
        reading,
        progress: progress(row.try_get("progress")?)?,
        confidence: row
            .try_get::<Option<i64>, _>("confidence")?
            .map(Confidence::parse)
            .transpose()
            .map_err(corrupt("confidence"))?,
        last_check_in_ms: row.try_get("last_check_in_at")?,
        grade: row
            .try_get::<Option<f64>, _>("grade")?
            .map(Grade::parse)
            .transpose()
            .map_err(corrupt("grade"))?,
        version: row.try_get("version")?,
    })
}
