//! A unit's digest moment: each person whose first unit it is gets the week in
//! their units and the objectives they own or follow (check-ins, comments, moves,
//! edits), what is at risk there now, and what is theirs to do. A week with
//! nothing to tell sends nothing.
//!
//! Everything one look needs is read once, whatever the number of people: the
//! open objectives, the running key results, the follows and a week of the audit
//! trail; each person's digest is then put together in memory.

use std::collections::{BTreeSet, HashMap};

use cairn::audit::Action;
use cairn::ids::{PeriodId, PersonId, UnitId};
use cairn::notify::{NoticeKind, WEEK_MS, reminders_in_a_row};
use cairn::period::Period;
use cairn::status::{Status, status};
use cairn::values::Confidence;

use super::reminders::{due_item, responsible};
use super::{Due, Report, Run, World};
use crate::notices::letters::Postman;
use crate::notices::{AtRisk, Digest, DigestChange, Notice, Titled};
use crate::storage::notices::schedule::{self, Job, OpenObjective, RunningKeyResult};
use crate::storage::notices::{self as store};
use crate::storage::{Db, StorageError, periods};

/// Lines of each list a digest shows at most.
const SHOWN: usize = 10;

/// What happened to one objective in the week.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    check_ins: u32,
    comments: u32,
    moves: u32,
    edits: u32,
}

impl Counts {
    fn add(&mut self, action: Action) {
        match action {
            Action::CheckIn => self.check_ins += 1,
            // A check-in taken back is one fewer; a corrected one is still one.
            Action::CheckInDelete => self.check_ins = self.check_ins.saturating_sub(1),
            Action::CommentCreate => self.comments += 1,
            Action::Move => self.moves += 1,
            Action::ObjectiveCreate
            | Action::ObjectiveUpdate
            | Action::ObjectiveGrade
            | Action::ObjectiveGradeCorrection
            | Action::KeyResultCreate => self.edits += 1,
            _ => {}
        }
    }

    fn total(self) -> u32 {
        self.check_ins + self.comments + self.moves + self.edits
    }
}

/// The week's reads, indexed for putting digests together.
struct Week<'a> {
    objectives: HashMap<i64, &'a OpenObjective>,
    by_unit: HashMap<UnitId, Vec<i64>>,
    by_person: HashMap<PersonId, Vec<i64>>,
    followed: HashMap<PersonId, Vec<i64>>,
    key_results: HashMap<i64, Vec<&'a RunningKeyResult>>,
    theirs: HashMap<PersonId, Vec<&'a RunningKeyResult>>,
    periods: HashMap<PeriodId, Period>,
}

impl<'a> Week<'a> {
    /// The objectives `person` hears of: their units', their own, those they follow.
    fn objectives_of(&self, world: &World, person: PersonId) -> BTreeSet<i64> {
        let mut ids = BTreeSet::new();
        for unit in world.member_of.get(&person).into_iter().flatten() {
            ids.extend(self.by_unit.get(unit).into_iter().flatten().copied());
        }
        ids.extend(self.by_person.get(&person).into_iter().flatten().copied());
        ids.extend(
            self.followed
                .get(&person)
                .into_iter()
                .flatten()
                .filter(|id| self.objectives.contains_key(id))
                .copied(),
        );
        ids
    }

    fn digest(
        &self,
        world: &World,
        person: PersonId,
        slot: i64,
        counts: &HashMap<i64, Counts>,
        name: &str,
    ) -> Digest {
        let day = chrono::DateTime::from_timestamp_millis(slot)
            .map(|t| t.date_naive())
            .unwrap_or_default();
        let ids = self.objectives_of(world, person);
        let mut changes: Vec<(u32, DigestChange)> = ids
            .iter()
            .filter_map(|id| {
                let c = counts.get(id).filter(|c| c.total() > 0)?;
                let objective = self.objectives.get(id)?;
                Some((
                    c.total(),
                    DigestChange {
                        objective: Titled {
                            id: *id,
                            title: objective.title.clone(),
                        },
                        check_ins: c.check_ins,
                        comments: c.comments,
                        moves: c.moves,
                        edits: c.edits,
                        progress: objective.progress,
                    },
                ))
            })
            .collect();
        changes.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.objective.id.cmp(&b.1.objective.id)));
        let more_changes = changes.len().saturating_sub(SHOWN);
        let mut at_risk: Vec<AtRisk> = ids
            .iter()
            .flat_map(|id| self.key_results.get(id).into_iter().flatten())
            .filter_map(|kr| {
                let expected = self
                    .periods
                    .get(&kr.period)
                    .and_then(|p| p.span)
                    .map_or(0.0, |span| span.elapsed(day));
                let progress = cairn::Progress::from_ratio(kr.progress).ok()?;
                let confidence = kr.confidence.and_then(|c| Confidence::parse(c).ok());
                let now = status(progress, expected, confidence);
                (now != Status::OnTrack).then(|| AtRisk {
                    key_result: Titled {
                        id: kr.id,
                        title: kr.title.clone(),
                    },
                    objective: Titled {
                        id: kr.objective,
                        title: kr.objective_title.clone(),
                    },
                    status: now,
                    progress: kr.progress,
                })
            })
            .collect();
        // Off track first.
        at_risk.sort_by_key(|r| {
            (
                r.status != Status::OffTrack,
                r.objective.id,
                r.key_result.id,
            )
        });
        at_risk.truncate(SHOWN);
        let to_do = self
            .theirs
            .get(&person)
            .into_iter()
            .flatten()
            .filter(|kr| kr.progress < 1.0)
            .filter_map(|kr| {
                let n = reminders_in_a_row(slot, kr.last_reading());
                (n > 0).then(|| due_item(kr, slot, n, name.to_string()))
            })
            .take(SHOWN)
            .collect();
        Digest {
            week_of: (day - chrono::Duration::days(7)).to_string(),
            changes: changes.into_iter().take(SHOWN).map(|(_, c)| c).collect(),
            more_changes,
            at_risk,
            to_do,
        }
    }
}

pub(super) async fn run(
    db: &Db,
    postman: &Postman,
    world: &World,
    due: &[Due],
    report: &mut Report,
) -> Result<(), StorageError> {
    let objectives = schedule::open_objectives(db).await?;
    let running = schedule::running_key_results(db).await?;
    let mut week = Week {
        objectives: objectives.iter().map(|o| (o.id, o)).collect(),
        by_unit: HashMap::new(),
        by_person: HashMap::new(),
        followed: HashMap::new(),
        key_results: HashMap::new(),
        theirs: HashMap::new(),
        periods: periods::periods(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect(),
    };
    for objective in &objectives {
        if let Some(unit) = objective.owner_unit {
            week.by_unit.entry(unit).or_default().push(objective.id);
        }
        if let Some(person) = objective.owner_person {
            week.by_person.entry(person).or_default().push(objective.id);
        }
    }
    for (person, objective) in schedule::follows(db).await? {
        week.followed.entry(person).or_default().push(objective.0);
    }
    for kr in &running {
        week.key_results.entry(kr.objective).or_default().push(kr);
        for person in responsible(world, kr) {
            week.theirs.entry(person).or_default().push(kr);
        }
    }
    let mut homes: HashMap<UnitId, Vec<PersonId>> = HashMap::new();
    for (person, unit) in &world.home {
        homes.entry(*unit).or_default().push(*person);
    }
    let mut weeks: HashMap<i64, HashMap<i64, Counts>> = HashMap::new();
    for moment in due {
        if let std::collections::hash_map::Entry::Vacant(week) = weeks.entry(moment.slot) {
            let mut counts: HashMap<i64, Counts> = HashMap::new();
            for activity in schedule::activity(db, moment.slot - WEEK_MS, moment.slot).await? {
                counts
                    .entry(activity.objective)
                    .or_default()
                    .add(activity.action);
            }
            week.insert(counts);
        }
        let counts = &weeks[&moment.slot];
        let mut people = homes.get(&moment.unit).cloned().unwrap_or_default();
        people.sort();
        let Some(mut run) = Run::claim(db, moment, Job::Digest).await? else {
            continue;
        };
        let to = store::addressees(&mut run.tx, &people).await?;
        let choices = store::deliveries(&mut run.tx, &people, NoticeKind::Digest).await?;
        for person in &people {
            let Some(addressee) = to.get(person) else {
                continue;
            };
            let digest = week.digest(world, *person, moment.slot, counts, &addressee.name);
            if digest.is_empty() {
                continue;
            }
            let notice = Notice::Digest(digest);
            if run
                .hand_over(postman, addressee, choices[person], &notice)
                .await?
            {
                report.digests += 1;
            }
        }
        run.finish(db, report).await?;
    }
    Ok(())
}
