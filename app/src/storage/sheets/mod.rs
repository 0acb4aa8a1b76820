//! Storing a spreadsheet's plan: owners, units, periods and parents matched to
//! the installation (what does not match is listed for the admin to choose), then
//! every objective with its key results, current values as imported check-ins and
//! alignments, in one transaction: all of it, or nothing.

use std::collections::HashMap;

use cairn::alignment::{AlignmentError, Parent};
use cairn::draft::{ValidKeyResult, ValidObjective};
use cairn::ids::{KeyResultId, ObjectiveId, PeriodId, PersonId, UnitId};
use cairn::key_result::{Direction, Measure, MeasureError, Reading};
use cairn::model::{Membership, ObjectiveState, Owner, Role, Source};
use cairn::sheet::{Plan, PlannedKeyResult, PlannedObjective};
use cairn::values::{Confidence, Value, ValueError, Weight};
use thiserror::Error;

use crate::storage::key_results::check_ins::{NewCheckIn, record_in};
use crate::storage::objectives::editing::{Placement, save_in};
use crate::storage::org::{NewPerson, NewUnit, insert_person, insert_unit, put_membership};
use crate::storage::{Db, StorageError};

mod matching;
pub use matching::{Matches, Unmatched, matches};

/// The admin's choices beside the sheet: matches for what did not match by
/// itself, and the period and unit for rows that name none.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub owners: HashMap<String, PersonId>,
    pub units: HashMap<String, UnitId>,
    pub periods: HashMap<String, PeriodId>,
    pub period: Option<PeriodId>,
    pub unit: Option<UnitId>,
    /// People to make for owners that match no one, by the sheet's text.
    pub new_people: HashMap<String, NewPerson>,
    /// Units to make for units that match none, by the sheet's text.
    pub new_units: HashMap<String, NewUnit>,
}

/// Why nothing was stored.
#[derive(Debug, Error)]
pub enum SheetRefusal {
    #[error("the sheet still has {0} problem(s)")]
    Problems(usize),
    #[error("some names match nothing in Cairn")]
    Unmatched(Unmatched),
    #[error("row {row}: the objective has no period")]
    NoPeriod { row: usize },
    #[error("row {row}: the objective has no owner or unit")]
    NoOwner { row: usize },
    #[error("row {row}: {source}")]
    Value { row: usize, source: ValueError },
    #[error("row {row}: {source}")]
    Measure { row: usize, source: MeasureError },
    #[error("row {row}: {source}")]
    Alignment { row: usize, source: AlignmentError },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for SheetRefusal {
    fn from(error: sqlx::Error) -> Self {
        SheetRefusal::Storage(StorageError::Query(error))
    }
}

/// What was stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub objectives: Vec<ObjectiveId>,
    pub key_results: usize,
    pub check_ins: usize,
}

/// Stores the plan with the admin's choices, all or nothing.
pub async fn store(
    db: &Db,
    actor: Option<PersonId>,
    plan: &Plan,
    choices: &Choices,
) -> Result<Stored, SheetRefusal> {
    if !plan.problems.is_empty() {
        return Err(SheetRefusal::Problems(plan.problems.len()));
    }
    let mut matches = matches(db, plan).await?;
    for (text, id) in &mut matches.owners {
        *id = id.or(choices.owners.get(text).copied());
    }
    for (text, id) in &mut matches.units {
        *id = id.or(choices.units.get(text).copied());
    }
    for (text, id) in &mut matches.periods {
        *id = id.or(choices.periods.get(text).copied());
    }
    let mut unmatched = matches.unmatched();
    unmatched
        .owners
        .retain(|text| !choices.new_people.contains_key(text));
    unmatched
        .units
        .retain(|text| !choices.new_units.contains_key(text));
    let titles: Vec<&str> = plan.objectives.iter().map(|o| o.title.as_str()).collect();
    let existing = existing_parents(db, plan, &titles).await?;
    unmatched.parents = missing_parents(plan, &titles, &existing);
    if !unmatched.is_empty() {
        return Err(SheetRefusal::Unmatched(unmatched));
    }

    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let mut stored = Stored {
        objectives: Vec::new(),
        key_results: 0,
        check_ins: 0,
    };
    // The people and units the admin asked for, first: the objectives name them.
    let mut new_people: Vec<(String, PersonId)> = Vec::new();
    for (text, id) in &mut matches.owners {
        if let (None, Some(new)) = (*id, choices.new_people.get(text)) {
            let made = insert_person(&mut tx, at, actor, new.clone()).await?.id;
            *id = Some(made);
            new_people.push((text.clone(), made));
        }
    }
    for (text, id) in &mut matches.units {
        if let (None, Some(new)) = (*id, choices.new_units.get(text)) {
            *id = Some(insert_unit(&mut tx, at, actor, new.clone()).await?.id);
        }
    }
    // A person made for the sheet joins the units whose objectives they own.
    for membership in memberships(plan, &matches, choices, &new_people) {
        put_membership(&mut tx, at, actor, membership).await?;
    }
    let mut made: Vec<(ObjectiveId, PeriodId)> = Vec::new();
    for objective in &plan.objectives {
        let period = objective
            .period
            .as_deref()
            .and_then(|p| matches.period(p))
            .or(choices.period)
            .ok_or(SheetRefusal::NoPeriod { row: objective.row })?;
        let owner = objective
            .unit
            .as_deref()
            .and_then(|u| matches.unit(u))
            .map(Owner::Unit)
            .or_else(|| {
                objective
                    .owner
                    .as_deref()
                    .and_then(|o| matches.person(o))
                    .map(Owner::Person)
            })
            .or(choices.unit.map(Owner::Unit))
            .ok_or(SheetRefusal::NoOwner { row: objective.row })?;
        let valid = valid_objective(objective, &matches)?;
        let placement = Placement::New {
            period,
            owner,
            parent: None,
        };
        let saved = save_in(&mut tx, actor, placement, &valid, at).await?;
        made.push((saved.objective, period));
        stored.objectives.push(saved.objective);
        stored.key_results += valid.key_results.len();
        stored.check_ins +=
            current_values(&mut tx, db, actor, saved.objective, objective, at).await?;
    }
    // Parents once every objective of the sheet exists: one may align to a later row.
    for (objective, (id, period)) in plan.objectives.iter().zip(&made) {
        let Some(parent) = objective.parent.as_deref() else {
            continue;
        };
        let parent = titles
            .iter()
            .position(|t| *t == parent)
            .map(|at| made[at].0)
            .or_else(|| existing.get(parent).copied());
        if let Some(parent) = parent {
            crate::storage::objectives::alignment::link_checked(
                &mut tx,
                *id,
                *period,
                Parent::Objective(parent),
                at,
            )
            .await
            .map_err(|e| match e {
                StorageError::Alignment(source) => SheetRefusal::Alignment {
                    row: objective.row,
                    source,
                },
                other => SheetRefusal::Storage(other),
            })?;
        }
    }
    tx.commit().await?;
    db.committed();
    Ok(stored)
}

/// Where the people made for the sheet belong: a member of each unit owning an
/// objective that they (or one of its key results) are named the owner of.
fn memberships(
    plan: &Plan,
    matches: &Matches,
    choices: &Choices,
    new_people: &[(String, PersonId)],
) -> Vec<Membership> {
    let mut out: Vec<Membership> = Vec::new();
    for objective in &plan.objectives {
        let unit = match &objective.unit {
            Some(text) => matches.unit(text),
            // Rows naming no unit go to the default unit, unless a person owns them.
            None if objective.owner.is_none() => choices.unit,
            None => None,
        };
        let Some(unit) = unit else {
            continue;
        };
        let named = objective.owner.iter().chain(
            objective
                .key_results
                .iter()
                .filter_map(|k| k.owner.as_ref()),
        );
        for text in named {
            let Some((_, person)) = new_people.iter().find(|(t, _)| t == text) else {
                continue;
            };
            let membership = Membership {
                unit,
                person: *person,
                role: Role::Member,
            };
            if !out.contains(&membership) {
                out.push(membership);
            }
        }
    }
    out
}

/// Parents the sheet names that are neither among its objectives nor in Cairn.
pub async fn unknown_parents(db: &Db, plan: &Plan) -> Result<Vec<String>, StorageError> {
    let titles: Vec<&str> = plan.objectives.iter().map(|o| o.title.as_str()).collect();
    let existing = existing_parents(db, plan, &titles).await?;
    Ok(missing_parents(plan, &titles, &existing))
}

fn missing_parents(
    plan: &Plan,
    titles: &[&str],
    existing: &HashMap<String, ObjectiveId>,
) -> Vec<String> {
    let mut missing: Vec<String> = Vec::new();
    for parent in plan.objectives.iter().filter_map(|o| o.parent.as_deref()) {
        if !titles.contains(&parent)
            && !existing.contains_key(parent)
            && !missing.iter().any(|p| p == parent)
        {
            missing.push(parent.to_string());
        }
    }
    missing
}

/// Objectives already in Cairn that the sheet names as parents, by title (only
/// titles held by exactly one objective).
async fn existing_parents(
    db: &Db,
    plan: &Plan,
    titles: &[&str],
) -> Result<HashMap<String, ObjectiveId>, StorageError> {
    let mut parents = HashMap::new();
    for parent in plan.objectives.iter().filter_map(|o| o.parent.as_deref()) {
        if titles.contains(&parent) || parents.contains_key(parent) {
            continue;
        }
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM objectives WHERE title = $1 LIMIT 2")
                .bind(parent)
                .fetch_all(db.reader())
                .await?;
        if let [id] = ids.as_slice() {
            parents.insert(parent.to_string(), ObjectiveId(*id));
        }
    }
    Ok(parents)
}

fn valid_objective(
    objective: &PlannedObjective,
    matches: &Matches,
) -> Result<ValidObjective, SheetRefusal> {
    let key_results = objective
        .key_results
        .iter()
        .map(|k| valid_key_result(k, matches))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ValidObjective {
        title: objective.title.clone(),
        description: objective.description.clone(),
        commitment: objective.commitment,
        state: ObjectiveState::Active,
        weight: Weight::parse(1.0).map_err(|source| SheetRefusal::Value {
            row: objective.row,
            source,
        })?,
        key_results,
        initiatives: Vec::new(),
    })
}

fn value(row: usize, v: f64) -> Result<Value, SheetRefusal> {
    Value::parse(v).map_err(|source| SheetRefusal::Value { row, source })
}

fn valid_key_result(
    planned: &PlannedKeyResult,
    matches: &Matches,
) -> Result<ValidKeyResult, SheetRefusal> {
    let row = planned.row;
    let measure = match planned.target {
        None => Measure::Binary,
        Some(target) => {
            let start = planned.start.unwrap_or(0.0);
            let direction = if target > start {
                Direction::Increase
            } else if target < start {
                Direction::Decrease
            } else {
                Direction::StayAtOrAbove
            };
            Measure::metric(
                value(row, start)?,
                value(row, target)?,
                direction,
                planned.unit.clone(),
            )
            .map_err(|source| SheetRefusal::Measure { row, source })?
        }
    };
    Ok(ValidKeyResult {
        id: None,
        title: planned.title.clone(),
        measure,
        weight: planned.weight,
        milestones: Vec::new(),
        owner: planned.owner.as_deref().and_then(|o| matches.person(o)),
        due: planned.due,
    })
}

/// The sheet's current values, as check-ins from the import; how many.
async fn current_values(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    db: &Db,
    actor: Option<PersonId>,
    objective: ObjectiveId,
    planned: &PlannedObjective,
    at: i64,
) -> Result<usize, SheetRefusal> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM key_results WHERE objective_id = $1 ORDER BY position, id",
    )
    .bind(objective.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut made = 0;
    for (id, key_result) in ids.into_iter().zip(&planned.key_results) {
        let Some(current) = key_result.current else {
            continue;
        };
        let reading = if key_result.target.is_some() {
            Reading::Metric(value(key_result.row, current)?)
        } else {
            Reading::Binary(current >= 1.0)
        };
        // Without a confidence in the sheet: on track, the lowest of its band.
        let Some(confidence) = key_result.confidence.or_else(|| Confidence::parse(7).ok()) else {
            continue;
        };
        let new = NewCheckIn {
            key_result: KeyResultId(id),
            author: actor,
            reading,
            confidence,
            note: None,
            source: Source::Import,
            through: None,
        };
        record_in(tx, db.backend(), &new, at).await?;
        made += 1;
    }
    Ok(made)
}
