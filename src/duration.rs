//! Durations as people write them: `2:37` (minutes and seconds) or `1:05:00`
//! (hours, minutes and seconds), kept as a number of seconds. A key result that
//! measures a duration is read, typed and shown this way everywhere; the API and
//! files, which write numbers plainly, may send the seconds as a number.

use serde::{Deserialize, Serialize};

use crate::numbers::NumberStyle;
use crate::values::ValueError;

/// Longer texts are not durations anyone types.
const MAX_LEN: usize = 24;

/// How a key result's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notation {
    /// A number in the reader's marks: `15.000.000`, `0,66`.
    #[default]
    Number,
    /// A duration in seconds, written `2:37` or `1:05:00`.
    Duration,
}

impl Notation {
    /// A value for reading: `15.000.000`, `2:37`.
    pub fn show(self, numbers: NumberStyle, value: f64) -> String {
        match self {
            Notation::Number => numbers.show(value),
            Notation::Duration => write(value),
        }
    }

    /// A value for typing again (a form's prefill): what `parse` reads back.
    pub fn write(self, numbers: NumberStyle, value: f64) -> String {
        match self {
            Notation::Number => numbers.write(value),
            Notation::Duration => write(value),
        }
    }

    /// Reads a typed value: a number in the reader's style, or a duration.
    pub fn parse(self, numbers: NumberStyle, text: &str) -> Result<f64, ValueError> {
        match self {
            Notation::Number => numbers.parse(text),
            Notation::Duration => parse(numbers, text),
        }
    }
}

/// Seconds written as `m:ss` below an hour and `h:mm:ss` from an hour on; to
/// the whole second.
pub fn write(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "?".into();
    }
    let sign = if seconds < 0.0 { "-" } else { "" };
    // Values are bounded to ±1e15, well inside u64.
    let total = seconds.abs().round() as u64;
    let (hours, minutes, seconds) = (total / 3600, total % 3600 / 60, total % 60);
    if hours > 0 {
        format!("{sign}{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{sign}{minutes}:{seconds:02}")
    }
}

/// Reads `m:ss` or `h:mm:ss` (minutes and seconds below 60 after the first part).
/// From the API and files (`numbers` plain), a number of seconds as well.
pub fn parse(numbers: NumberStyle, text: &str) -> Result<f64, ValueError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ValueError::Empty);
    }
    if text.chars().count() > MAX_LEN {
        return Err(ValueError::NotADuration);
    }
    if !text.contains(':') {
        return match numbers {
            NumberStyle::Plain => match numbers.parse(text)? {
                seconds if seconds >= 0.0 => Ok(seconds),
                _ => Err(ValueError::NotADuration),
            },
            _ => Err(ValueError::NotADuration),
        };
    }
    let parts: Vec<&str> = text.split(':').collect();
    let digits = |s: &str| !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit());
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(|p| digits(p)) {
        return Err(ValueError::NotADuration);
    }
    let mut total: u64 = 0;
    for (i, part) in parts.iter().enumerate() {
        let n: u64 = part.parse().map_err(|_| ValueError::NotADuration)?;
        // After the first part: two digits, below 60.
        if i > 0 && (part.len() != 2 || n >= 60) {
            return Err(ValueError::NotADuration);
        }
        total = total
            .checked_mul(60)
            .and_then(|t| t.checked_add(n))
            .ok_or(ValueError::NotADuration)?;
    }
    Ok(total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_and_write_back() {
        for (text, seconds, shown) in [
            ("2:37", 157.0, "2:37"),
            ("0:09", 9.0, "0:09"),
            ("1:05:00", 3900.0, "1:05:00"),
            ("65:00", 3900.0, "1:05:00"),
            (" 12:00:00 ", 43200.0, "12:00:00"),
            ("0:00", 0.0, "0:00"),
        ] {
            for numbers in [NumberStyle::Comma, NumberStyle::Point, NumberStyle::Plain] {
                assert_eq!(parse(numbers, text), Ok(seconds), "{text}");
                assert_eq!(Notation::Duration.show(numbers, seconds), shown);
                assert_eq!(
                    parse(numbers, &Notation::Duration.write(numbers, seconds)),
                    Ok(seconds)
                );
            }
        }
    }

    #[test]
    fn what_is_no_duration_is_refused() {
        for text in [
            "2:60",
            "2:7",
            "1:5:00",
            "1:05:60",
            "-2:37",
            "2:37,5",
            "2.37",
            "1:2:3:4",
            ":30",
            "2:",
            "2::37",
            "abc",
            "2:3a",
            "٢:٣٧",
            "99999999999999:00",
        ] {
            assert_eq!(
                parse(NumberStyle::Comma, text),
                Err(ValueError::NotADuration),
                "{text}"
            );
        }
        assert_eq!(parse(NumberStyle::Point, ""), Err(ValueError::Empty));
        // A bare number is seconds only where numbers are written plainly.
        assert_eq!(
            parse(NumberStyle::Comma, "157"),
            Err(ValueError::NotADuration)
        );
        assert_eq!(parse(NumberStyle::Plain, "157"), Ok(157.0));
        assert_eq!(
            parse(NumberStyle::Plain, "-5"),
            Err(ValueError::NotADuration)
        );
    }

    #[test]
    fn numbers_stay_numbers() {
        assert_eq!(
            Notation::Number.show(NumberStyle::Comma, 12000.5),
            "12.000,5"
        );
        assert_eq!(
            Notation::Number.parse(NumberStyle::Comma, "12.000,5"),
            Ok(12000.5)
        );
        assert_eq!(write(f64::NAN), "?");
        assert_eq!(write(-157.0), "-2:37");
    }
}
