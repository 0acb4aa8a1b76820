//! A number as a spreadsheet cell holds it: `12.000,5` or `12,000.5` by the
//! reader's language, `12 mln` or `1,5M`, `45%`, `€ 1.200`, or a duration
//! (`2:37`, `1:05:00`), each read to a value and, where the cell says, its unit.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::numbers::NumberStyle;
use crate::values::ValueError;

/// What a cell's own writing says its unit is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    Percent,
    /// A duration, read as seconds.
    Seconds,
    /// A currency by its code: `EUR`, `USD`.
    Currency(String),
}

impl Unit {
    /// The unit label a key result gets for it.
    pub fn label(&self) -> String {
        match self {
            Unit::Percent => "%".to_string(),
            Unit::Seconds => "s".to_string(),
            Unit::Currency(code) => code.clone(),
        }
    }
}

/// A cell read: its value and, when written in the cell, its unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    pub value: f64,
    pub unit: Option<Unit>,
}

#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
pub enum AmountProblem {
    #[error("is empty")]
    Empty,
    #[error("is not a number")]
    NotANumber,
    #[error("{0}")]
    Number(ValueError),
    #[error("is not a duration (m:ss or h:mm:ss)")]
    NotADuration,
}

/// Scale words after a number, lower case, with their factor.
const SCALES: &[(&str, f64)] = &[
    ("mld", 1e9),
    ("miljard", 1e9),
    ("bn", 1e9),
    ("billion", 1e9),
    ("b", 1e9),
    ("mln", 1e6),
    ("miljoen", 1e6),
    ("million", 1e6),
    ("m", 1e6),
    ("k", 1e3),
    ("duizend", 1e3),
    ("thousand", 1e3),
];

const CURRENCIES: &[(&str, &str)] = &[
    ("€", "EUR"),
    ("eur", "EUR"),
    ("$", "USD"),
    ("usd", "USD"),
    ("£", "GBP"),
    ("gbp", "GBP"),
];

/// Reads a cell in `style` (the admin's language).
pub fn read(cell: &str, style: NumberStyle) -> Result<Amount, AmountProblem> {
    let text = cell.trim();
    if text.is_empty() {
        return Err(AmountProblem::Empty);
    }
    if text.contains(':') {
        return duration(text).map(|seconds| Amount {
            value: seconds,
            unit: Some(Unit::Seconds),
        });
    }
    let (text, percent) = match text.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (text, false),
    };
    let (text, currency) = currency(text);
    let (text, factor) = scale(text);
    let value = style.parse(text).map_err(|e| match e {
        ValueError::NotFinite | ValueError::Empty => AmountProblem::NotANumber,
        other => AmountProblem::Number(other),
    })?;
    let unit = if percent {
        Some(Unit::Percent)
    } else {
        currency.map(|code| Unit::Currency(code.to_string()))
    };
    Ok(Amount {
        value: value * factor,
        unit,
    })
}

/// The text without a currency sign or code before or after it, and the code.
fn currency(text: &str) -> (&str, Option<&'static str>) {
    for (sign, code) in CURRENCIES {
        if let Some(rest) = strip_prefix_folded(text, sign) {
            return (rest.trim_start(), Some(code));
        }
        if let Some(rest) = strip_suffix_folded(text, sign) {
            return (rest.trim_end(), Some(code));
        }
    }
    (text, None)
}

/// `text` without `affix` (ASCII letters in any case) at its start.
fn strip_prefix_folded<'a>(text: &'a str, affix: &str) -> Option<&'a str> {
    let head = text.get(..affix.len())?;
    head.eq_ignore_ascii_case(affix)
        .then(|| &text[affix.len()..])
}

/// `text` without `affix` (ASCII letters in any case) at its end.
fn strip_suffix_folded<'a>(text: &'a str, affix: &str) -> Option<&'a str> {
    let at = text.len().checked_sub(affix.len())?;
    let tail = text.get(at..)?;
    tail.eq_ignore_ascii_case(affix).then(|| &text[..at])
}

/// The text without a scale word after the number, and its factor.
fn scale(text: &str) -> (&str, f64) {
    for (word, factor) in SCALES {
        if let Some(number) = strip_suffix_folded(text, word) {
            // "12m" and "12 mln", never the last letter of a word.
            if number.trim_end().ends_with(|c: char| c.is_ascii_digit()) {
                return (number.trim_end(), *factor);
            }
        }
    }
    (text, 1.0)
}

/// `m:ss` or `h:mm:ss` in seconds.
fn duration(text: &str) -> Result<f64, AmountProblem> {
    let parts: Vec<&str> = text.split(':').collect();
    let number = |p: &str| -> Result<u64, AmountProblem> {
        if p.is_empty() || p.len() > 6 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AmountProblem::NotADuration);
        }
        p.parse().map_err(|_| AmountProblem::NotADuration)
    };
    let seconds = match parts.as_slice() {
        [m, s] if s.len() == 2 => number(m)? * 60 + number(s)?,
        [h, m, s] if m.len() == 2 && s.len() == 2 => {
            number(h)? * 3600 + number(m)? * 60 + number(s)?
        }
        _ => return Err(AmountProblem::NotADuration),
    };
    let lasts = |p: &str| p.parse::<u64>().unwrap_or(60) < 60;
    if !parts[1..].iter().all(|p| lasts(p)) {
        return Err(AmountProblem::NotADuration);
    }
    Ok(seconds as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use NumberStyle::{Comma, Point};
    use proptest::prelude::*;

    fn value(cell: &str, style: NumberStyle) -> f64 {
        read(cell, style).unwrap().value
    }

    #[test]
    fn numbers_are_read_the_way_the_reader_writes_them() {
        assert_eq!(value("12.000,5", Comma), 12_000.5);
        assert_eq!(value("12,000.5", Point), 12_000.5);
        assert_eq!(value("12 mln", Comma), 12_000_000.0);
        assert_eq!(value("1,5M", Comma), 1_500_000.0);
        assert_eq!(value("2.5k", Point), 2_500.0);
        assert_eq!(value("-3", Point), -3.0);
        assert!(matches!(
            read("1.500", Comma),
            Err(AmountProblem::Number(ValueError::AmbiguousNumber { .. }))
        ));
    }

    #[test]
    fn percentages_currencies_and_durations_bring_their_unit() {
        assert_eq!(
            read("45%", Comma).unwrap(),
            Amount {
                value: 45.0,
                unit: Some(Unit::Percent)
            }
        );
        assert_eq!(read("12,5 %", Comma).unwrap().value, 12.5);
        assert_eq!(
            read("€ 1.200,50", Comma).unwrap(),
            Amount {
                value: 1_200.5,
                unit: Some(Unit::Currency("EUR".into()))
            }
        );
        assert_eq!(read("2 mln EUR", Comma).unwrap().value, 2_000_000.0);
        assert_eq!(
            read("2:37", Comma).unwrap(),
            Amount {
                value: 157.0,
                unit: Some(Unit::Seconds)
            }
        );
        assert_eq!(read("1:05:00", Point).unwrap().value, 3_900.0);
        assert_eq!(read("1:75", Point), Err(AmountProblem::NotADuration));
        assert_eq!(read("12:5", Point), Err(AmountProblem::NotADuration));
    }

    #[test]
    fn what_is_not_a_number_says_so() {
        assert_eq!(read("", Comma), Err(AmountProblem::Empty));
        assert_eq!(read("veel", Comma), Err(AmountProblem::NotANumber));
        assert_eq!(read("team", Point), Err(AmountProblem::NotANumber));
        assert_eq!(read("NaN", Point), Err(AmountProblem::NotANumber));
    }

    proptest! {
        #[test]
        fn any_text_is_read_or_refused_without_panic(cell in "\\PC{0,30}", dutch in any::<bool>()) {
            let style = if dutch { Comma } else { Point };
            if let Ok(amount) = read(&cell, style) {
                prop_assert!(amount.value.is_finite());
            }
        }
    }
}
