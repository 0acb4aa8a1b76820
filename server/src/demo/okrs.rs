//! Objectives, key results and check-ins of one period, cascading from the
//! organisation down to teams and people, with believable weekly progress.

use cairn::grading::Grade;
use cairn::ids::{KeyResultId, MilestoneId};
use cairn::key_result::{Direction, Measure, MilestoneState, Reading, key_result_progress};
use cairn::period::PeriodState;
use cairn::rollup::{Contribution, Origin, Rollup, Source};
use cairn::values::{Value, Weight};
use chrono::NaiveDate;
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use super::measures::{pick_key_result, round_like, zero};
use super::plan::{Organisation, Shape};
pub use super::rows::*;
use super::vocab;

/// Generates the OKRs of one period after another, handing out ids in order.
pub struct Generator<'a> {
    pub org: &'a Organisation,
    pub shape: Shape,
    pub today: NaiveDate,
    pub ids: Ids,
    pub rng: ChaCha8Rng,
    /// The titles the current objective's key results were made from, so no
    /// objective measures the same thing twice.
    pub templates: Vec<&'static str>,
}

/// An objective and its key results, as a parent for the level below.
pub type ParentRef = (i64, Vec<i64>);

impl Generator<'_> {
    /// One period's OKRs. A year has only organisation objectives; a quarter cascades
    /// organisation > department > team > person, its organisation objectives
    /// aligned to `above` (the year's).
    pub fn period(
        &mut self,
        period: &PeriodPlan,
        above: &[ParentRef],
    ) -> (PeriodOkrs, Vec<ParentRef>) {
        let mut out = PeriodOkrs::default();
        let created_at = ms(period.span.start() - chrono::Duration::days(14), 10);
        let org = self.org;
        let leads: Vec<i64> = org.departments.iter().map(|d| d.lead).collect();
        let org_count = if period.is_year {
            self.shape.org_per_year
        } else {
            self.shape.org_per_quarter
        };
        let mut org_level = Vec::new();
        for _ in 0..org_count {
            let parent = above.choose(&mut self.rng).cloned();
            org_level.push(self.objective(
                &mut out,
                period,
                OwnerRef::Unit(org.id),
                &leads,
                parent,
                created_at,
            ));
        }
        if period.is_year {
            return (out, org_level);
        }
        let mut by_department = Vec::new();
        for dept in &org.departments {
            let members: Vec<i64> = dept
                .teams
                .iter()
                .flat_map(|t| org.teams[*t].members.iter().copied())
                .take(12)
                .collect();
            let made = (0..self.shape.per_department)
                .map(|_| {
                    let parent = org_level.choose(&mut self.rng).cloned();
                    self.objective(
                        &mut out,
                        period,
                        OwnerRef::Unit(dept.id),
                        &members,
                        parent,
                        created_at,
                    )
                })
                .collect::<Vec<_>>();
            by_department.push(made);
        }
        let mut by_team = Vec::new();
        for team in &org.teams {
            let made = (0..self.shape.per_team)
                .map(|_| {
                    let parent = by_department[team.department]
                        .choose(&mut self.rng)
                        .cloned();
                    self.objective(
                        &mut out,
                        period,
                        OwnerRef::Unit(team.id),
                        &team.members,
                        parent,
                        created_at,
                    )
                })
                .collect::<Vec<_>>();
            by_team.push(made);
        }
        for _ in 0..self.shape.personal_per_quarter {
            let person = org.people.choose(&mut self.rng).expect("people exist");
            let parent = by_team[person.team].choose(&mut self.rng).cloned();
            self.objective(
                &mut out,
                period,
                OwnerRef::Person(person.id),
                &[person.id],
                parent,
                created_at,
            );
        }
        (out, org_level)
    }

    fn objective(
        &mut self,
        out: &mut PeriodOkrs,
        period: &PeriodPlan,
        owner: OwnerRef,
        people: &[i64],
        parent: Option<ParentRef>,
        created_at: i64,
    ) -> ParentRef {
        self.ids.objective += 1;
        let id = self.ids.objective;
        let rng = &mut self.rng;
        let committed = rng.random_bool(0.7);
        // How well this objective goes: most land between 0.4 and 1.0.
        let skill: f64 = (rng.random_range(0.15..1.1_f64) + rng.random_range(0.3..1.05_f64)) / 2.0;
        let count = 3 + usize::from(rng.random_bool(self.shape.fourth_key_result));
        let mut inputs = Vec::new();
        let mut grades = Vec::new();
        let mut key_results = Vec::new();
        self.templates.clear();
        for k in 0..count {
            let owner_person = people.choose(&mut self.rng).copied().unwrap_or(1);
            let kr = self.key_result(out, period, id, owner_person, k as i64, skill, created_at);
            inputs.push(Contribution {
                source: Source::KeyResult(KeyResultId(kr.id)),
                weight: kr.weight,
                progress: cairn::Progress::from_ratio(kr.progress).unwrap_or(cairn::Progress::ZERO),
                origin: Origin::Entered,
            });
            if let Some(g) = kr.grade.and_then(|g| Grade::parse(g).ok()) {
                grades.push((g, kr.weight));
            }
            key_results.push(kr.id);
            out.key_results.push(kr);
        }
        let rng = &mut self.rng;
        let progress = Rollup::of(inputs).progress.ratio();
        let state = match period.state {
            PeriodState::Planning => "draft",
            PeriodState::Active => "active",
            _ if progress < 0.2 && rng.random_bool(0.3) => "abandoned",
            _ => "completed",
        };
        if let Some((parent, parent_krs)) = parent {
            self.ids.link += 1;
            // A third of the links go to one of the parent's key results: every
            // third objective, so that each quarter has objectives straight under
            // its year's whatever else the dice decide.
            let to_kr = !parent_krs.is_empty() && id % 3 == 0;
            out.links.push(LinkRow {
                id: self.ids.link,
                child: id,
                parent_objective: (!to_kr).then_some(parent),
                parent_key_result: if to_kr {
                    parent_krs.choose(rng).copied()
                } else {
                    None
                },
                at: created_at,
            });
        }
        let unit_owned = matches!(owner, OwnerRef::Unit(_));
        let (title, about) = vocab::OBJECTIVES
            .choose(rng)
            .copied()
            .unwrap_or(("Grow", ""));
        // Units explain their objectives; people sometimes do.
        let description = (unit_owned || rng.random_bool(0.3)).then_some(about);
        self.conversation(out, period, id, people, progress, unit_owned);
        let rng = &mut self.rng;
        out.objectives.push(ObjectiveRow {
            id,
            period: period.id,
            owner,
            title: title.to_string(),
            description,
            committed,
            state,
            weight: if rng.random_bool(0.2) { 2.0 } else { 1.0 },
            position: id * app::storage::POSITION_GAP,
            progress,
            grade: (period.state == PeriodState::Closed)
                .then(|| Grade::weighted_mean(&grades).map(Grade::get))
                .flatten(),
            created_at,
        });
        (id, key_results)
    }

    /// The initiatives behind a unit's objective and what colleagues said about it.
    fn conversation(
        &mut self,
        out: &mut PeriodOkrs,
        period: &PeriodPlan,
        objective: i64,
        people: &[i64],
        progress: f64,
        unit_owned: bool,
    ) {
        let rng = &mut self.rng;
        let initiatives = if unit_owned {
            rng.random_range(1..=3)
        } else {
            0
        };
        for (position, title) in vocab::INITIATIVES
            .choose_multiple(rng, initiatives)
            .enumerate()
        {
            self.ids.initiative += 1;
            out.initiatives.push(InitiativeRow {
                id: self.ids.initiative,
                objective,
                title,
                done: rng.random_bool(progress.clamp(0.05, 0.95)),
                position: position as i64,
            });
        }
        // Comments only where work has started; every unit's objective has some.
        let start = period.span.start();
        let days = (self.today.min(period.span.end()) - start).num_days();
        if days < 0 || people.is_empty() {
            return;
        }
        let count = rng.random_range(usize::from(unit_owned)..=2);
        let mut at: Vec<i64> = (0..count)
            .map(|_| {
                let day = start + chrono::Duration::days(rng.random_range(0..=days));
                ms(day, rng.random_range(8..18))
            })
            .collect();
        at.sort_unstable();
        for (at, body) in at
            .into_iter()
            .zip(vocab::COMMENTS.choose_multiple(rng, count))
        {
            self.ids.comment += 1;
            out.comments.push(CommentRow {
                id: self.ids.comment,
                objective,
                author: *people.choose(rng).expect("not empty"),
                at,
                body,
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn key_result(
        &mut self,
        out: &mut PeriodOkrs,
        period: &PeriodPlan,
        objective: i64,
        owner: i64,
        position: i64,
        skill: f64,
        created_at: i64,
    ) -> KeyResultRow {
        self.ids.key_result += 1;
        let id = self.ids.key_result;
        let rng = &mut self.rng;
        let skill = (skill + rng.random_range(-0.2..0.2)).clamp(0.0, 1.15);
        let (title, measure, milestones) = loop {
            let picked = pick_key_result(rng);
            if !self.templates.contains(&picked.0) || self.templates.len() > 8 {
                self.templates.push(picked.0);
                break (picked.1, picked.2, picked.3);
            }
        };
        let first_milestone = self.ids.milestone + 1;
        for (i, step) in milestones.iter().enumerate() {
            self.ids.milestone += 1;
            out.milestones.push(MilestoneRow {
                id: self.ids.milestone,
                key_result: id,
                title: (*step).to_string(),
                position: i as i64,
                done_at: None,
            });
        }

        // Weekly check-ins up to today (or to the end of the period); the last week
        // of a finished period always has one, so it ends with a final figure.
        let weeks = (period.span.days() / 7).max(1);
        let mut last: Option<(Reading, i64, i64, Option<f64>)> = None;
        let start_confidence = (skill * 8.0 + 1.5).round().clamp(1.0, 10.0);
        for week in 1..=weeks {
            let day = period.span.start() + chrono::Duration::days(week * 7 - 3);
            if day > self.today || day > period.span.end() {
                break;
            }
            if week != weeks && !self.rng.random_bool(self.shape.weekly_check_in) {
                continue;
            }
            let rng = &mut self.rng;
            let share = week as f64 / weeks as f64;
            // Good teams run ahead of the expected pace, most a little behind it.
            let achieved = (skill * 1.2 * share + rng.random_range(-0.04..0.04)).clamp(0.0, 1.2);
            let (reading, value, done_json) = match &measure {
                Measure::Metric {
                    start,
                    target,
                    direction,
                    ..
                }
                | Measure::Duration {
                    start,
                    target,
                    direction,
                } => {
                    let (s, t) = (start.get(), target.get());
                    let v = match direction {
                        Direction::StayAtOrAbove => {
                            t * (1.0 + rng.random_range(-0.004..0.006) * (1.5 - skill))
                        }
                        Direction::StayAtOrBelow => {
                            t * (1.0 + rng.random_range(-0.2..0.12) * (1.2 - skill))
                        }
                        _ => s + achieved * (t - s),
                    };
                    // Counted things are checked in as whole numbers.
                    let whole = s.fract() == 0.0 && t.fract() == 0.0;
                    let v = round_like(v, if whole { 1.0 } else { 0.5 });
                    (
                        Reading::Metric(Value::parse(v).unwrap_or_else(|_| zero())),
                        Some(v),
                        None,
                    )
                }
                Measure::Binary => {
                    let done = skill > 0.7 && share > 0.6;
                    (
                        Reading::Binary(done),
                        Some(if done { 1.0 } else { 0.0 }),
                        None,
                    )
                }
                Measure::Milestones => {
                    let count = milestones.len();
                    let done = ((achieved * count as f64).floor() as usize).min(count);
                    let states: Vec<MilestoneState> = (0..count)
                        .map(|i| MilestoneState {
                            id: MilestoneId(first_milestone + i as i64),
                            weight: Weight::ONE,
                            done: i < done,
                        })
                        .collect();
                    let ids_done: Vec<String> = states
                        .iter()
                        .filter(|m| m.done)
                        .map(|m| m.id.0.to_string())
                        .collect();
                    (
                        Reading::Milestones(states),
                        None,
                        Some(format!("[{}]", ids_done.join(","))),
                    )
                }
            };
            // Confidence follows how things really go, drifting as the period passes.
            let drift = skill * 10.0 - start_confidence;
            let confidence = (start_confidence + drift * share * 0.5 + rng.random_range(-1.0..1.0))
                .round()
                .clamp(0.0, 10.0) as i64;
            let at = ms(day, rng.random_range(8..18));
            let note = rng
                .random_bool(0.3)
                .then(|| vocab::NOTES.choose(rng).copied().unwrap_or("").to_string());
            self.ids.check_in += 1;
            out.check_ins.push(CheckInRow {
                id: self.ids.check_in,
                key_result: id,
                author: owner,
                at,
                value,
                milestones_done: done_json,
                confidence,
                note,
            });
            last = Some((reading, confidence, at, value));
        }
        if let Some((Reading::Milestones(states), _, at, _)) = &last {
            for (m, state) in out
                .milestones
                .iter_mut()
                .filter(|m| m.key_result == id)
                .zip(states)
            {
                m.done_at = state.done.then_some(*at);
            }
        }
        let progress = key_result_progress(&measure, last.as_ref().map(|l| &l.0)).ratio();
        let weight = *[1.0, 1.0, 1.0, 2.0, 3.0]
            .choose(&mut self.rng)
            .unwrap_or(&1.0);
        KeyResultRow {
            id,
            objective,
            title,
            measure,
            weight,
            owner,
            position,
            current_value: last.as_ref().and_then(|l| l.3),
            progress,
            confidence: last.as_ref().map(|l| l.1),
            last_check_in_at: last.as_ref().map(|l| l.2),
            grade: (period.state == PeriodState::Closed).then(|| {
                Grade::suggested(
                    cairn::Progress::from_ratio(progress).unwrap_or(cairn::Progress::ZERO),
                )
                .get()
            }),
            created_at,
        }
    }
}
