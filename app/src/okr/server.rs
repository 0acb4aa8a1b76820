//! Building page views from storage with the domain's rules.

use std::collections::HashMap;

use cairn::Progress;
use cairn::ids::{PersonId, UnitId};
use cairn::key_result::{Measure, Reading};
use cairn::model::{KeyResult, Owner};
use cairn::period::Period;
use cairn::rollup::{Contribution, Origin, Rollup, Source};
use cairn::status::verdict;
use chrono::NaiveDate;

use super::model::*;
use crate::error::AppError;
use crate::storage::reads::ObjectiveWithKeyResults;
use crate::storage::{Db, periods, reads};

/// Today, by the server's clock (UTC).
pub fn today() -> NaiveDate {
    crate::state::clock().today()
}

/// The period asked for, or the current one (the shortest period containing
/// today), or the latest one; with the list for the switcher. None when there are
/// no periods at all (a new installation); a period asked for must exist.
pub async fn period_context(
    db: &Db,
    asked: Option<i64>,
) -> Result<Option<(Period, PeriodContext)>, AppError> {
    let all = periods::periods(db).await?;
    let chosen = match asked {
        Some(id) => all
            .iter()
            .find(|p| p.id.0 == id)
            .cloned()
            .ok_or(AppError::NotFound)?,
        None => match Period::current(&all, today()) {
            Some(p) => p.clone(),
            None => match all.iter().rev().find(|p| p.span.is_some()).or(all.last()) {
                Some(p) => p.clone(),
                None => return Ok(None),
            },
        },
    };
    let option = |p: &Period| PeriodOption {
        id: p.id.0,
        name: p.name.clone(),
        kind: p.kind,
        state: p.state,
    };
    let context = PeriodContext {
        current: option(&chosen),
        options: all.iter().map(option).collect(),
        elapsed: expected(&chosen),
    };
    Ok(Some((chosen, context)))
}

/// An owner's objectives in the period asked for (or the current one) as views, with
/// the period switcher's context and the expected progress by today.
pub async fn owner_objectives(
    db: &Db,
    owner: Owner,
    asked: Option<i64>,
) -> Result<(Option<PeriodContext>, Vec<ObjectiveView>, f64), AppError> {
    let Some((period, context)) = period_context(db, asked).await? else {
        return Ok((None, Vec::new(), 0.0));
    };
    let expected = expected(&period);
    let okrs = match owner {
        Owner::Unit(unit) => reads::unit_objectives(db, unit, period.id).await?,
        Owner::Person(person) => reads::person_objectives(db, person, period.id).await?,
    };
    let names = Names::load(db, &okrs).await?;
    Ok((
        Some(context),
        objective_views(&okrs, &names, expected),
        expected,
    ))
}

/// Midnight (UTC) at the start of `day`, in milliseconds.
pub fn day_start_ms(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc().timestamp_millis())
        .unwrap_or(0)
}

/// Where linear progress would be today: nothing before the period, everything after.
pub fn expected(period: &Period) -> f64 {
    period.span.map(|s| s.elapsed(today())).unwrap_or(0.0)
}

/// Owners' names, looked up once for a whole page.
pub struct Names {
    units: HashMap<UnitId, String>,
    people: HashMap<PersonId, String>,
}

impl Names {
    pub async fn load(db: &Db, okrs: &[ObjectiveWithKeyResults]) -> Result<Names, AppError> {
        let mut units = Vec::new();
        let mut people = Vec::new();
        for o in okrs {
            match o.objective.owner {
                Owner::Unit(u) => units.push(u),
                Owner::Person(p) => people.push(p),
            }
            people.extend(o.key_results.iter().filter_map(|k| k.owner));
        }
        units.sort();
        units.dedup();
        people.sort();
        people.dedup();
        Ok(Names {
            units: reads::unit_names(db, &units).await?,
            people: reads::person_names(db, &people).await?,
        })
    }

    /// Adds the names of more owners (of related objectives).
    pub async fn add_owners(
        &mut self,
        db: &Db,
        owners: impl Iterator<Item = Owner>,
    ) -> Result<(), AppError> {
        let (mut units, mut people) = (Vec::new(), Vec::new());
        for owner in owners {
            match owner {
                Owner::Unit(u) if !self.units.contains_key(&u) => units.push(u),
                Owner::Person(p) => people.push(p),
                Owner::Unit(_) => {}
            }
        }
        units.sort();
        units.dedup();
        self.units.extend(reads::unit_names(db, &units).await?);
        self.add_people(db, &people).await
    }

    /// Adds the names of more people (owners of related objectives, authors).
    pub async fn add_people(&mut self, db: &Db, ids: &[PersonId]) -> Result<(), AppError> {
        let mut missing: Vec<PersonId> = ids
            .iter()
            .copied()
            .filter(|id| !self.people.contains_key(id))
            .collect();
        missing.sort();
        missing.dedup();
        self.people.extend(reads::person_names(db, &missing).await?);
        Ok(())
    }

    pub fn owner(&self, owner: Owner) -> OwnerView {
        match owner {
            Owner::Unit(id) => OwnerView::Unit {
                id: id.0,
                name: self.units.get(&id).cloned().unwrap_or_default(),
            },
            Owner::Person(id) => OwnerView::Person {
                id: id.0,
                name: self.people.get(&id).cloned().unwrap_or_default(),
            },
        }
    }

    pub fn person(&self, id: PersonId) -> Option<(i64, String)> {
        self.people.get(&id).map(|name| (id.0, name.clone()))
    }
}

/// The objectives with their key results, statuses and explanations.
pub fn objective_views(
    okrs: &[ObjectiveWithKeyResults],
    names: &Names,
    expected: f64,
) -> Vec<ObjectiveView> {
    okrs.iter()
        .map(|o| objective_view(o, names, expected))
        .collect()
}

pub fn objective_view(o: &ObjectiveWithKeyResults, names: &Names, expected: f64) -> ObjectiveView {
    let key_results: Vec<KeyResultView> = o
        .key_results
        .iter()
        .map(|k| key_result_view(k, names, expected))
        .collect();
    let rollup = Rollup::of(
        o.key_results
            .iter()
            .map(|k| Contribution {
                source: Source::KeyResult(k.id),
                weight: k.weight.get(),
                progress: k.progress,
                origin: Origin::Entered,
            })
            .collect(),
    );
    let shares = rollup.shares();
    let inputs = o
        .key_results
        .iter()
        .zip(shares)
        .map(|(k, share)| InputView {
            label: k.title.as_str().to_string(),
            share,
            weight: k.weight.get(),
            progress: k.progress.ratio(),
        })
        .collect();
    // The objective is as worried as its most worried key result.
    let lowest_confidence = o.key_results.iter().filter_map(|k| k.confidence).min();
    ObjectiveView {
        id: o.objective.id.0,
        title: o.objective.title.as_str().to_string(),
        owner: names.owner(o.objective.owner),
        committed: matches!(
            o.objective.commitment,
            cairn::grading::Commitment::Committed
        ),
        state: o.objective.state,
        progress: o.objective.progress.ratio(),
        verdict: verdict(o.objective.progress, expected, lowest_confidence),
        explanation: Explanation::RolledUp { inputs, expected },
        key_results,
        grade: o.objective.grade.map(cairn::grading::Grade::get),
    }
}

pub fn key_result_view(k: &KeyResult, names: &Names, expected: f64) -> KeyResultView {
    KeyResultView {
        id: k.id.0,
        objective: k.objective.0,
        title: k.title.as_str().to_string(),
        progress: k.progress.ratio(),
        verdict: verdict(k.progress, expected, k.confidence),
        explanation: Explanation::Entered {
            reading: reading_view(&k.measure, k.reading.as_ref(), k.progress),
            last_check_in_ms: k.last_check_in_ms,
            confidence: k.confidence.map(|c| c.get()),
            expected,
        },
        owner: k.owner.and_then(|p| names.person(p)),
        due: k.due,
        grade: k.grade.map(cairn::grading::Grade::get),
    }
}

/// The latest reading in numbers, for the page to put into words.
pub fn reading_view(
    measure: &Measure,
    reading: Option<&Reading>,
    progress: Progress,
) -> Option<ReadingView> {
    match (measure, reading) {
        (Measure::Metric { .. } | Measure::Duration { .. }, Some(Reading::Metric(v))) => {
            let (start, target, direction) = measure.range()?;
            Some(ReadingView::Metric {
                value: v.get(),
                start: (!direction.is_threshold()).then(|| start.get()),
                target: target.get(),
                unit: match measure {
                    Measure::Metric { unit, .. } => unit.as_ref().map(|u| u.as_str().to_string()),
                    _ => None,
                },
                notation: measure.notation(),
            })
        }
        (Measure::Binary, Some(Reading::Binary(done))) => Some(ReadingView::Done(*done)),
        (Measure::Milestones, _) if progress.ratio() > 0.0 => {
            Some(ReadingView::Percent(progress.percent()))
        }
        _ => None,
    }
}

/// The roll-up of a set of objectives, each counted once (their own weights order
/// them within an owner; across owners every objective counts the same).
pub fn overall(objectives: &[ObjectiveView], expected: f64) -> Summary {
    let rollup = Rollup::of(
        objectives
            .iter()
            .map(|o| Contribution {
                source: Source::Objective(cairn::ids::ObjectiveId(o.id)),
                weight: 1.0,
                progress: Progress::from_ratio(o.progress).unwrap_or(Progress::ZERO),
                origin: Origin::RolledUp,
            })
            .collect(),
    );
    let inputs = objectives
        .iter()
        .zip(rollup.shares())
        .map(|(o, share)| InputView {
            label: o.title.clone(),
            share,
            weight: 1.0,
            progress: o.progress,
        })
        .collect();
    Summary {
        progress: rollup.progress.ratio(),
        verdict: verdict(rollup.progress, expected, None),
        explanation: Explanation::RolledUp { inputs, expected },
    }
}
