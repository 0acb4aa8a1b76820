//! Validated values, parsed once and valid everywhere: the browser and the server
//! refuse the same input with the same typed error.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a value was refused. Each variant has a stable code the UI translates.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
pub enum ValueError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must be at least {min} characters")]
    TooShort { min: usize },
    #[error("must not contain control characters")]
    ControlCharacters,
    #[error("must be a finite number")]
    NotFinite,
    #[error("must be between {min} and {max}")]
    OutOfRange { min: f64, max: f64 },
    #[error("must be greater than zero")]
    NotPositive,
    #[error("is not a valid email address")]
    InvalidEmail,
    #[error("is not a time of day (hh:mm)")]
    NotATime,
    #[error("is not a date (yyyy-mm-dd)")]
    NotADate,
    #[error("is not a duration (m:ss or h:mm:ss)")]
    NotADuration,
    /// Written so that it is one number in the reader's style and another in
    /// the other (`12.000`: twelve thousand, or twelve).
    #[error("could mean {own} or {other}")]
    AmbiguousNumber { own: f64, other: f64 },
}

impl ValueError {
    /// A stable, language-neutral code for translations and API clients.
    pub fn code(&self) -> &'static str {
        match self {
            ValueError::Empty => "empty",
            ValueError::TooLong { .. } => "too_long",
            ValueError::TooShort { .. } => "too_short",
            ValueError::ControlCharacters => "control_characters",
            ValueError::NotFinite => "not_finite",
            ValueError::OutOfRange { .. } => "out_of_range",
            ValueError::NotPositive => "not_positive",
            ValueError::InvalidEmail => "invalid_email",
            ValueError::NotATime => "not_a_time",
            ValueError::NotADate => "not_a_date",
            ValueError::NotADuration => "not_a_duration",
            ValueError::AmbiguousNumber { .. } => "ambiguous_number",
        }
    }
}

/// Trims, then checks length (in characters, not bytes) and control characters.
/// Newlines and tabs are allowed only where `multiline` is set.
fn text(raw: &str, max: usize, multiline: bool) -> Result<String, ValueError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(ValueError::Empty);
    }
    if trimmed.chars().count() > max {
        return Err(ValueError::TooLong { max });
    }
    let allowed = |c: char| multiline && (c == '\n' || c == '\t' || c == '\r');
    if trimmed.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(ValueError::ControlCharacters);
    }
    Ok(trimmed.to_string())
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, max = $max:expr, multiline = $multi:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The longest accepted value, in characters.
            pub const MAX: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, ValueError> {
                text(raw, Self::MAX, $multi).map($name)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(raw: String) -> Result<Self, ValueError> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// The title of an objective, key result, milestone or initiative: one line.
    Title, max = 200, multiline = false
);
text_type!(
    /// A name of a unit or a person: one line.
    Name, max = 120, multiline = false
);
text_type!(
    /// Longer text: a description, a check-in note, a comment, a retrospective.
    LongText, max = 10_000, multiline = true
);
text_type!(
    /// What a metric counts, as shown after its numbers: "%", "EUR", "users".
    UnitLabel, max = 24, multiline = false
);

/// An email address: one `@` with text on both sides and a dot in the domain.
/// Deliverability is the mail server's business; this catches typing mistakes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let value = text(raw, Self::MAX, false)?.to_lowercase();
        let valid = match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !value.contains(char::is_whitespace)
            }
            None => false,
        };
        if valid {
            Ok(Email(value))
        } else {
            Err(ValueError::InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = ValueError;
    fn try_from(raw: String) -> Result<Self, ValueError> {
        Self::parse(&raw)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> String {
        value.0
    }
}

/// The largest magnitude Cairn stores for a measured value: far beyond any real
/// metric, small enough that differences of two values stay exact to the unit.
pub const MAX_MAGNITUDE: f64 = 1e15;

/// A measured value: finite and within ±10^15.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Value(f64);

impl Value {
    pub fn parse(raw: f64) -> Result<Self, ValueError> {
        if !raw.is_finite() {
            return Err(ValueError::NotFinite);
        }
        if raw.abs() > MAX_MAGNITUDE {
            return Err(ValueError::OutOfRange {
                min: -MAX_MAGNITUDE,
                max: MAX_MAGNITUDE,
            });
        }
        Ok(Value(raw))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Value {
    type Error = ValueError;
    fn try_from(raw: f64) -> Result<Self, ValueError> {
        Self::parse(raw)
    }
}

impl From<Value> for f64 {
    fn from(value: Value) -> f64 {
        value.0
    }
}

/// A weight in a weighted roll-up: finite, above zero, at most 1000.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Weight(f64);

impl Weight {
    pub const MAX: f64 = 1000.0;
    /// The weight of anything nobody weighed.
    pub const ONE: Weight = Weight(1.0);

    pub fn parse(raw: f64) -> Result<Self, ValueError> {
        if !raw.is_finite() {
            return Err(ValueError::NotFinite);
        }
        if raw <= 0.0 {
            return Err(ValueError::NotPositive);
        }
        if raw > Self::MAX {
            return Err(ValueError::OutOfRange {
                min: 0.0,
                max: Self::MAX,
            });
        }
        Ok(Weight(raw))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Weight {
    type Error = ValueError;
    fn try_from(raw: f64) -> Result<Self, ValueError> {
        Self::parse(raw)
    }
}

impl From<Weight> for f64 {
    fn from(value: Weight) -> f64 {
        value.0
    }
}

/// How sure the owner is of reaching the target, 0 (not at all) to 10 (certain).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Confidence(u8);

impl Confidence {
    pub const MAX: u8 = 10;

    pub fn parse(raw: i64) -> Result<Self, ValueError> {
        u8::try_from(raw)
            .ok()
            .filter(|c| *c <= Self::MAX)
            .map(Confidence)
            .ok_or(ValueError::OutOfRange {
                min: 0.0,
                max: f64::from(Self::MAX),
            })
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Confidence {
    type Error = ValueError;
    fn try_from(raw: i64) -> Result<Self, ValueError> {
        Self::parse(raw)
    }
}

impl From<Confidence> for i64 {
    fn from(value: Confidence) -> i64 {
        i64::from(value.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(
            Title::parse("  Grow revenue  ").unwrap().as_str(),
            "Grow revenue"
        );
        assert_eq!(Title::parse("   "), Err(ValueError::Empty));
        assert_eq!(Title::parse(""), Err(ValueError::Empty));
        assert!(
            Title::parse(&"é".repeat(200)).is_ok(),
            "counted in characters, not bytes"
        );
        assert_eq!(
            Title::parse(&"x".repeat(201)),
            Err(ValueError::TooLong { max: 200 })
        );
        assert_eq!(
            Title::parse("two\nlines"),
            Err(ValueError::ControlCharacters)
        );
        assert_eq!(
            Title::parse("bell\u{7}"),
            Err(ValueError::ControlCharacters)
        );
        assert_eq!(
            Title::parse("Klanttevredenheid 😀 omhoog")
                .unwrap()
                .as_str(),
            "Klanttevredenheid 😀 omhoog"
        );
    }

    #[test]
    fn long_text_allows_lines_but_not_ten_megabytes() {
        assert!(LongText::parse("line one\nline two\ttabbed").is_ok());
        let huge = "a".repeat(10 * 1024 * 1024);
        assert_eq!(
            LongText::parse(&huge),
            Err(ValueError::TooLong { max: 10_000 })
        );
    }

    #[test]
    fn weights_must_be_positive_and_finite() {
        assert_eq!(Weight::parse(0.0), Err(ValueError::NotPositive));
        assert_eq!(Weight::parse(-1.0), Err(ValueError::NotPositive));
        assert_eq!(Weight::parse(f64::NAN), Err(ValueError::NotFinite));
        assert_eq!(Weight::parse(f64::INFINITY), Err(ValueError::NotFinite));
        assert!(Weight::parse(1001.0).is_err());
        assert_eq!(Weight::parse(2.5).unwrap().get(), 2.5);
    }

    #[test]
    fn confidence_is_zero_to_ten() {
        assert_eq!(Confidence::parse(0).unwrap().get(), 0);
        assert_eq!(Confidence::parse(10).unwrap().get(), 10);
        assert!(Confidence::parse(11).is_err());
        assert!(Confidence::parse(-1).is_err());
    }

    #[test]
    fn values_are_finite_and_bounded() {
        assert_eq!(Value::parse(f64::NAN), Err(ValueError::NotFinite));
        assert!(Value::parse(1e16).is_err());
        assert_eq!(Value::parse(-42.5).unwrap().get(), -42.5);
    }

    #[test]
    fn emails_catch_typos_and_are_lowercased() {
        assert_eq!(
            Email::parse(" Anna@Example.NL ").unwrap().as_str(),
            "anna@example.nl"
        );
        for bad in [
            "anna",
            "anna@",
            "@example.nl",
            "anna@example",
            "an na@example.nl",
            "a@b@c.nl",
            "anna@.nl",
        ] {
            assert_eq!(Email::parse(bad), Err(ValueError::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn deserialising_validates_too() {
        assert!(serde_json::from_str::<Title>("\"\"").is_err());
        assert!(serde_json::from_str::<Weight>("-3").is_err());
        assert!(serde_json::from_str::<Confidence>("11").is_err());
        assert_eq!(
            serde_json::from_str::<Title>("\" ok \"").unwrap().as_str(),
            "ok"
        );
    }

    proptest! {
        #[test]
        fn parsed_titles_always_satisfy_the_rules(raw in "\\PC{0,260}") {
            if let Ok(title) = Title::parse(&raw) {
                let s = title.as_str();
                prop_assert!(!s.is_empty());
                prop_assert!(s.chars().count() <= Title::MAX);
                prop_assert!(!s.chars().any(char::is_control));
                prop_assert_eq!(s, s.trim());
            }
        }

        #[test]
        fn parsing_never_panics(raw in any::<String>(), number in any::<f64>(), int in any::<i64>()) {
            let _ = Title::parse(&raw);
            let _ = LongText::parse(&raw);
            let _ = Email::parse(&raw);
            let _ = Weight::parse(number);
            let _ = Value::parse(number);
            let _ = Confidence::parse(int);
        }
    }
}
