//! Key results drawn from the vocabulary: titles with believable figures, and how
//! those figures are rounded and written.

use cairn::key_result::{Direction, Measure};
use cairn::values::Value;
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use super::vocab;

/// One key result's template, title, measure and milestones, drawn from the vocabulary.
pub fn pick_key_result(rng: &mut ChaCha8Rng) -> (&'static str, String, Measure, Vec<&'static str>) {
    let roll: f64 = rng.random();
    if roll < 0.72 {
        let (template, unit, start, target, lower) = *vocab::METRICS.choose(rng).expect("metrics");
        let jitter = rng.random_range(0.9..1.1);
        let (start, target) = (
            round_like(start * jitter, start),
            round_like(target * jitter, target),
        );
        let direction = if lower {
            Direction::Decrease
        } else {
            Direction::Increase
        };
        let title = template
            .replace("{start}", &number(start, template))
            .replace("{target}", &number(target, template));
        (
            template,
            title,
            metric(start, target, direction, unit),
            vec![],
        )
    } else if roll < 0.82 {
        let (template, unit, target, above) = *vocab::THRESHOLDS.choose(rng).expect("thresholds");
        let direction = if above {
            Direction::StayAtOrAbove
        } else {
            Direction::StayAtOrBelow
        };
        (
            template,
            template.replace("{target}", &number(target, template)),
            metric(target, target, direction, unit),
            vec![],
        )
    } else if roll < 0.91 {
        let title = vocab::BINARIES.choose(rng).copied().unwrap_or("Launch");
        (title, title.to_string(), Measure::Binary, vec![])
    } else {
        let (title, steps) = *vocab::MILESTONE_SETS.choose(rng).expect("milestones");
        (
            title,
            title.to_string(),
            Measure::Milestones,
            steps.to_vec(),
        )
    }
}

pub fn zero() -> Value {
    Value::parse(0.0).expect("zero is a value")
}

fn metric(start: f64, target: f64, direction: Direction, unit: &str) -> Measure {
    let value = |v: f64| Value::parse(v).unwrap_or_else(|_| zero());
    let unit = (!unit.is_empty())
        .then(|| cairn::values::UnitLabel::parse(unit).ok())
        .flatten();
    Measure::metric(value(start), value(target), direction, unit.clone()).unwrap_or(
        Measure::Metric {
            start: value(start),
            target: value(target),
            direction: Direction::StayAtOrAbove,
            unit,
        },
    )
}

/// Rounds a jittered figure to the precision of the figure it came from: whole
/// numbers stay whole (large ones to tens), decimals keep one decimal.
pub fn round_like(v: f64, like: f64) -> f64 {
    if like.fract() != 0.0 {
        (v * 10.0).round() / 10.0
    } else if v.abs() >= 1000.0 {
        (v / 10.0).round() * 10.0
    } else {
        v.round()
    }
}

/// A figure as written in a title: a decimal comma in the Dutch ones.
fn number(v: f64, template: &str) -> String {
    let text = if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    if vocab::is_dutch(template) {
        text.replace('.', ",")
    } else {
        text
    }
}
