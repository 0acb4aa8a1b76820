//! A unit's reminder moment: each person hears once of every key result of the
//! unit's running OKRs they check in on that had no check-in since the moment a
//! week before; the unit's leads get one summary of those unanswered past the
//! grace period.
//!
//! A key result belongs to the unit that owns its objective, or, for a person's
//! objective, to that person's first unit. It is theirs to check in on: its own
//! owner's, else its objective owner's, else (a unit's) the unit's leads'.

use std::collections::{BTreeMap, HashMap};

use cairn::ids::{PersonId, UnitId};
use cairn::notify::{NoticeKind, escalates, reminders_in_a_row};

use super::{Due, Report, Run, World};
use crate::notices::letters::Postman;
use crate::notices::{DueKeyResult, Notice, Titled};
use crate::storage::notices::schedule::{self, Job, RunningKeyResult};
use crate::storage::notices::{self as store, Addressee};
use crate::storage::{Db, StorageError};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The unit a key result's rhythm comes from.
pub(super) fn holder(world: &World, kr: &RunningKeyResult) -> Option<UnitId> {
    kr.owner_unit
        .or_else(|| kr.owner_person.and_then(|p| world.home.get(&p).copied()))
}

/// Who checks in on a key result.
pub(super) fn responsible(world: &World, kr: &RunningKeyResult) -> Vec<PersonId> {
    match (kr.key_result_owner, kr.owner_person, kr.owner_unit) {
        (Some(owner), _, _) | (None, Some(owner), _) => vec![owner],
        (None, None, Some(unit)) => world.leads(unit).to_vec(),
        (None, None, None) => Vec::new(),
    }
}

/// A key result waiting at `slot`, `in_a_row` reminders on.
pub(super) fn due_item(
    kr: &RunningKeyResult,
    slot: i64,
    in_a_row: u32,
    person: String,
) -> DueKeyResult {
    DueKeyResult {
        key_result: Titled {
            id: kr.id,
            title: kr.title.clone(),
        },
        objective: Titled {
            id: kr.objective,
            title: kr.objective_title.clone(),
        },
        person,
        reminders: in_a_row,
        quiet_days: kr.last_check_in_at.map(|at| (slot - at).max(0) / DAY_MS),
    }
}

pub(super) async fn run(
    db: &Db,
    postman: &Postman,
    world: &World,
    due: &[Due],
    report: &mut Report,
) -> Result<(), StorageError> {
    let running = schedule::running_key_results(db).await?;
    let mut held: HashMap<UnitId, Vec<&RunningKeyResult>> = HashMap::new();
    for kr in &running {
        if let Some(unit) = holder(world, kr) {
            held.entry(unit).or_default().push(kr);
        }
    }
    for moment in due {
        let mut waiting: BTreeMap<PersonId, Vec<(&RunningKeyResult, u32)>> = BTreeMap::new();
        let mut overdue: Vec<(&RunningKeyResult, u32, Vec<PersonId>)> = Vec::new();
        for kr in held.get(&moment.unit).into_iter().flatten() {
            if kr.progress >= 1.0 {
                continue;
            }
            let in_a_row = reminders_in_a_row(moment.slot, kr.last_reading());
            if in_a_row == 0 {
                continue;
            }
            let people = responsible(world, kr);
            for person in &people {
                waiting.entry(*person).or_default().push((kr, in_a_row));
            }
            if escalates(in_a_row, moment.cadence.grace) {
                overdue.push((kr, in_a_row, people));
            }
        }
        let leads = world.leads(moment.unit).to_vec();
        let Some(mut run) = Run::claim(db, moment, Job::Reminder).await? else {
            continue;
        };
        let mut everyone: Vec<PersonId> = waiting.keys().copied().collect();
        everyone.extend(
            overdue
                .iter()
                .flat_map(|(_, _, people)| people.iter().copied()),
        );
        everyone.extend(leads.iter().copied());
        let to = store::addressees(&mut run.tx, &everyone).await?;
        let name = |p: &PersonId| to.get(p).map(|a| a.name.clone()).unwrap_or_default();

        let people: Vec<PersonId> = waiting.keys().copied().collect();
        let choices = store::deliveries(&mut run.tx, &people, NoticeKind::Reminder).await?;
        for (person, items) in &waiting {
            let Some(addressee) = to.get(person) else {
                continue;
            };
            let notice = Notice::Reminder {
                key_results: items
                    .iter()
                    .map(|(kr, n)| due_item(kr, moment.slot, *n, addressee.name.clone()))
                    .collect(),
            };
            if run
                .hand_over(postman, addressee, choices[person], &notice)
                .await?
            {
                report.reminders += 1;
            }
        }

        let choices = store::deliveries(&mut run.tx, &leads, NoticeKind::Escalation).await?;
        let unit_name = world
            .units
            .get(&moment.unit)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        for lead in &leads {
            let Some(addressee): Option<&Addressee> = to.get(lead) else {
                continue;
            };
            // A lead is not told of what they themselves let wait.
            let theirs: Vec<DueKeyResult> = overdue
                .iter()
                .filter(|(_, _, people)| !people.contains(lead))
                .map(|(kr, n, people)| {
                    let names: Vec<String> = people.iter().map(&name).collect();
                    due_item(kr, moment.slot, *n, names.join(", "))
                })
                .collect();
            if theirs.is_empty() {
                continue;
            }
            let notice = Notice::Escalation {
                unit: moment.unit.0,
                unit_name: unit_name.clone(),
                grace: moment.cadence.grace.get(),
                overdue: theirs,
            };
            if run
                .hand_over(postman, addressee, choices[lead], &notice)
                .await?
            {
                report.escalations += 1;
            }
        }
        run.finish(db, report).await?;
    }
    Ok(())
}
