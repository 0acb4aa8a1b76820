//! Chart series from check-in history, with the domain's progress rule.

use cairn::Progress;
use cairn::duration::Notation;
use cairn::key_result::{Direction, Measure, MilestoneState, Reading, key_result_progress};
use cairn::model::{CheckIn, KeyResult, Milestone};
use cairn::period::Span;
use cairn::rollup::{Contribution, Origin, Rollup, Source};

use crate::okr::server::today;
use crate::ui::Chart;

/// The period's first and last instant, in milliseconds.
pub fn bounds(span: Option<Span>, history: &[(i64, f64)]) -> (i64, i64) {
    match span {
        Some(span) => (
            crate::okr::server::day_start_ms(span.start()),
            crate::okr::server::day_start_ms(span.end()) + 86_399_999,
        ),
        None => {
            let first = history.first().map(|h| h.0).unwrap_or(0);
            let last = history.last().map(|h| h.0).unwrap_or(first + 1);
            (first, last.max(first + 1))
        }
    }
}

fn today_within(start: i64, end: i64) -> Option<i64> {
    let now = crate::okr::server::day_start_ms(today()) + 12 * 3_600_000;
    (start..=end).contains(&now).then_some(now)
}

/// A milestone reading with the real weights (history only records which were done).
pub fn with_weights(reading: &Reading, milestones: &[Milestone]) -> Reading {
    match reading {
        Reading::Milestones(done) => Reading::Milestones(
            milestones
                .iter()
                .map(|m| MilestoneState {
                    id: m.id,
                    weight: m.weight,
                    done: done.iter().any(|d| d.id == m.id && d.done),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A key result's chart: its own values for metrics (with the expected line from
/// start to target, or the threshold), progress in percent for the others.
pub fn key_result_chart(
    kr: &KeyResult,
    history: &[CheckIn],
    milestones: &[Milestone],
    span: Option<Span>,
) -> Chart {
    match (&kr.measure, kr.measure.range()) {
        (Measure::Metric { .. } | Measure::Duration { .. }, Some((start, target, direction))) => {
            let actual: Vec<(i64, f64)> = history
                .iter()
                .filter_map(|c| match c.reading {
                    Reading::Metric(v) => Some((c.at_ms, v.get())),
                    _ => None,
                })
                .collect();
            let (from, to) = bounds(span, &actual);
            let (s, t) = (start.get(), target.get());
            let expected = if direction.is_threshold() {
                vec![(from, t), (to, t)]
            } else {
                vec![(from, s), (to, t)]
            };
            let values = actual.iter().map(|a| a.1).chain([s, t]);
            let (mut lo, mut hi) = values
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(v), hi.max(v))
                });
            if matches!(
                direction,
                Direction::StayAtOrAbove | Direction::StayAtOrBelow
            ) || lo == hi
            {
                let pad = (hi.abs().max(1.0)) * 0.05;
                lo -= pad;
                hi += pad;
            }
            Chart {
                start_ms: from,
                end_ms: to,
                y_min: lo,
                y_max: hi,
                percent: false,
                unit: match &kr.measure {
                    Measure::Metric { unit, .. } => unit.as_ref().map(|u| u.as_str().to_string()),
                    _ => None,
                },
                notation: kr.measure.notation(),
                expected,
                actual,
                today_ms: today_within(from, to),
            }
        }
        (measure, _) => {
            let actual: Vec<(i64, f64)> = history
                .iter()
                .map(|c| {
                    (
                        c.at_ms,
                        key_result_progress(measure, Some(&with_weights(&c.reading, milestones)))
                            .ratio()
                            * 100.0,
                    )
                })
                .collect();
            percent_chart(actual, span)
        }
    }
}

/// Progress in percent against the straight line from 0 to 100 % over the period.
fn percent_chart(actual: Vec<(i64, f64)>, span: Option<Span>) -> Chart {
    let (from, to) = bounds(span, &actual);
    Chart {
        start_ms: from,
        end_ms: to,
        y_min: 0.0,
        y_max: 100.0,
        percent: true,
        unit: None,
        notation: Notation::Number,
        expected: vec![(from, 0.0), (to, 100.0)],
        actual,
        today_ms: today_within(from, to),
    }
}

/// The objective's progress after each check-in on any of its key results: the
/// weighted roll-up of every key result's latest progress at that moment.
pub fn objective_chart(
    key_results: &[(KeyResult, Vec<CheckIn>, Vec<Milestone>)],
    span: Option<Span>,
) -> Chart {
    let mut events: Vec<(i64, usize, Progress)> = key_results
        .iter()
        .enumerate()
        .flat_map(|(i, (kr, history, milestones))| {
            history.iter().map(move |c| {
                (
                    c.at_ms,
                    i,
                    key_result_progress(&kr.measure, Some(&with_weights(&c.reading, milestones))),
                )
            })
        })
        .collect();
    events.sort_by_key(|e| (e.0, e.1));
    let mut latest = vec![Progress::ZERO; key_results.len()];
    let actual = events
        .into_iter()
        .map(|(at, i, progress)| {
            latest[i] = progress;
            let rollup = Rollup::of(
                key_results
                    .iter()
                    .zip(&latest)
                    .map(|((kr, _, _), p)| Contribution {
                        source: Source::KeyResult(kr.id),
                        weight: kr.weight.get(),
                        progress: *p,
                        origin: Origin::Entered,
                    })
                    .collect(),
            );
            (at, rollup.progress.ratio() * 100.0)
        })
        .collect();
    percent_chart(actual, span)
}
