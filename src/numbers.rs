//! Numbers as people type them, read in the reader's own way of writing them.
//!
//! Dutch writes `12.000,5` where English writes `12,000.5`. Reading one as the
//! other is off by a factor of a thousand, so a text is read in the reader's
//! style; where it could as well mean something else (`12.000`: twelve thousand,
//! or twelve?) it is refused with both readings rather than guessed.

use serde::{Deserialize, Serialize};

use crate::values::ValueError;

/// Longer texts are not numbers anyone types.
const MAX_LEN: usize = 40;

/// How far [`NumberStyle::compact`] scaled a number down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Millions,
    Billions,
}

/// How a language writes the decimal mark and groups thousands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NumberStyle {
    /// As programs write numbers: `12000.5`, no grouping (the API, files).
    #[default]
    Plain,
    /// `12,000.5` (English).
    Point,
    /// `12.000,5` (Dutch).
    Comma,
}

impl NumberStyle {
    /// The style of a language tag (`nl`, `nl-BE`, `en`): comma for Dutch.
    pub fn of_language(tag: &str) -> NumberStyle {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("nl") {
            NumberStyle::Comma
        } else {
            NumberStyle::Point
        }
    }

    pub fn decimal_mark(self) -> char {
        match self {
            NumberStyle::Plain | NumberStyle::Point => '.',
            NumberStyle::Comma => ',',
        }
    }

    /// The mark between groups of thousands; none when numbers are plain.
    pub fn group_mark(self) -> Option<char> {
        match self {
            NumberStyle::Plain => None,
            NumberStyle::Point => Some(','),
            NumberStyle::Comma => Some('.'),
        }
    }

    /// The style a person of the other language writes in.
    fn other(self) -> Option<NumberStyle> {
        match self {
            NumberStyle::Plain => None,
            NumberStyle::Point => Some(NumberStyle::Comma),
            NumberStyle::Comma => Some(NumberStyle::Point),
        }
    }

    /// A number written in this style, without grouping: `12000,5` in Dutch.
    /// What it writes, `parse` reads back: `1.125` could be read as grouped, so
    /// it is written `1.1250`.
    pub fn write(self, value: f64) -> String {
        let mut text = value.to_string();
        if let Some((whole, fraction)) = text.trim_start_matches('-').split_once('.')
            && fraction.len() == 3
            && whole != "0"
            && whole.len() <= 3
            && self != NumberStyle::Plain
        {
            text.push('0');
        }
        match self.decimal_mark() {
            '.' => text,
            mark => text.replace('.', &mark.to_string()),
        }
    }

    /// A number for reading, not for typing: at most two decimals, no trailing
    /// zeros, thousands grouped: `15.000.000` and `0,66` in Dutch, `15,000,000`
    /// and `0.66` in English.
    pub fn show(self, value: f64) -> String {
        if !value.is_finite() {
            return "?".into();
        }
        let rounded = (value * 100.0).round() / 100.0;
        let text = format!("{:.2}", rounded.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let fraction = fraction.trim_end_matches('0');
        let mut out = String::new();
        if rounded < 0.0 {
            out.push('-');
        }
        for (i, digit) in whole.chars().enumerate() {
            if let Some(group) = self.group_mark()
                && i > 0
                && (whole.len() - i) % 3 == 0
            {
                out.push(group);
            }
            out.push(digit);
        }
        if !fraction.is_empty() {
            out.push(self.decimal_mark());
            out.push_str(fraction);
        }
        out
    }

    /// A number short enough for a chart's axis: whole below a million (`12.000`,
    /// `2,5` when small), in millions or billions above, with `scaled` saying
    /// how (`12 mln` in Dutch, `12M` in English, from the reader's words).
    pub fn compact(self, value: f64, scaled: impl Fn(Scale, &str) -> String) -> String {
        let tenths = |v: f64| (v * 10.0).round() / 10.0;
        let size = value.abs();
        if size >= 1e9 {
            scaled(Scale::Billions, &self.show(tenths(value / 1e9)))
        } else if size >= 1e6 {
            scaled(Scale::Millions, &self.show(tenths(value / 1e6)))
        } else if size >= 100.0 {
            self.show(value.round())
        } else {
            self.show(tenths(value))
        }
    }

    /// Reads a number: `12.000,5` in Dutch, `12,000.5` in English; spaces may
    /// group thousands in either. A text that is a number only in the other
    /// style (`12,000.5` to a Dutch reader) is read that way; one that is a
    /// different number in each (`1.500`) is refused with both readings.
    pub fn parse(self, text: &str) -> Result<f64, ValueError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ValueError::Empty);
        }
        if text.chars().count() > MAX_LEN {
            return Err(ValueError::NotFinite);
        }
        let other = self.other().and_then(|other| read(text, other));
        match (read(text, self), other) {
            (Some(own), Some(other)) if own != other => {
                Err(ValueError::AmbiguousNumber { own, other })
            }
            (Some(own), _) => Ok(own),
            (None, Some(other)) => Ok(other),
            (None, None) => Err(ValueError::NotFinite),
        }
    }
}

/// The text as a number written in `style`, if it is one.
fn read(text: &str, style: NumberStyle) -> Option<f64> {
    let (sign, digits) = match text.strip_prefix(['-', '−']) {
        Some(rest) => ("-", rest),
        None => ("", text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = match digits.split_once(style.decimal_mark()) {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let whole = match style.group_mark() {
        Some(group) => ungrouped(whole, group)?,
        None if !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) => whole.to_string(),
        None => return None,
    };
    let mut plain = format!("{sign}{whole}");
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        plain.push('.');
        plain.push_str(fraction);
    }
    plain.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The digits of a whole part, its groups of three joined: `12.000` -> `12000`.
/// Spaces (also the non-breaking kinds) group as well. None if it is not a
/// whole number grouped by thousands.
fn ungrouped(whole: &str, group: char) -> Option<String> {
    let is_group = |c: char| c == group || matches!(c, ' ' | '\u{a0}' | '\u{202f}');
    let mut parts = whole.split(is_group);
    let first = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(first) {
        return None;
    }
    if rest.is_empty() {
        return Some(first.to_string());
    }
    // Grouped: 1 to 3 leading digits (not a lone 0), then groups of exactly three.
    let leads = first.len() <= 3 && first != "0" && !first.starts_with('0');
    if !leads || rest.iter().any(|g| g.len() != 3 || !digits(g)) {
        return None;
    }
    Some(std::iter::once(first).chain(rest).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use NumberStyle::{Comma, Plain, Point};

    #[test]
    fn axes_are_compact_in_the_readers_words() {
        let dutch = |scale: Scale, n: &str| match scale {
            Scale::Millions => format!("{n} mln"),
            Scale::Billions => format!("{n} mld"),
        };
        assert_eq!(Comma.compact(12_000_000.0, dutch), "12 mln");
        assert_eq!(Comma.compact(12_500_000.0, dutch), "12,5 mln");
        assert_eq!(Comma.compact(-2_340_000_000.0, dutch), "-2,3 mld");
        assert_eq!(Comma.compact(12_000.0, dutch), "12.000");
        assert_eq!(Comma.compact(999_999.4, dutch), "999.999");
        assert_eq!(Comma.compact(2.54, dutch), "2,5");
        let english = |scale: Scale, n: &str| match scale {
            Scale::Millions => format!("{n}M"),
            Scale::Billions => format!("{n}B"),
        };
        assert_eq!(Point.compact(18_000_000.0, english), "18M");
        assert_eq!(Point.compact(150_000.0, english), "150,000");
        assert_eq!(Point.compact(f64::NAN, english), "?");
    }

    #[test]
    fn each_style_reads_its_own_way_of_writing() {
        assert_eq!(Comma.parse("12.000,5"), Ok(12000.5));
        assert_eq!(Point.parse("12,000.5"), Ok(12000.5));
        assert_eq!(Comma.parse("1.000.000"), Ok(1_000_000.0));
        assert_eq!(Point.parse("1,000,000"), Ok(1_000_000.0));
        assert_eq!(Comma.parse("12 000,5"), Ok(12000.5));
        assert_eq!(Point.parse("12\u{a0}000.5"), Ok(12000.5));
        assert_eq!(Comma.parse(" 0,5 "), Ok(0.5));
        assert_eq!(Comma.parse("-3,25"), Ok(-3.25));
        assert_eq!(Point.parse("+42"), Ok(42.0));
        assert_eq!(Comma.parse("0"), Ok(0.0));
    }

    #[test]
    fn what_only_the_other_style_can_mean_is_read_that_way() {
        // A decimal mark with other than three digits after it is no grouping.
        assert_eq!(Comma.parse("12.5"), Ok(12.5));
        assert_eq!(Point.parse("12,5"), Ok(12.5));
        assert_eq!(Comma.parse("0.500"), Ok(0.5));
        // Both marks, in the other style's order.
        assert_eq!(Comma.parse("12,000.5"), Ok(12000.5));
        assert_eq!(Point.parse("12.000,5"), Ok(12000.5));
    }

    #[test]
    fn what_could_mean_two_numbers_is_refused_with_both_readings() {
        assert_eq!(
            Comma.parse("12.000"),
            Err(ValueError::AmbiguousNumber {
                own: 12000.0,
                other: 12.0
            })
        );
        assert_eq!(
            Point.parse("1,500"),
            Err(ValueError::AmbiguousNumber {
                own: 1500.0,
                other: 1.5
            })
        );
    }

    #[test]
    fn what_is_no_number_is_refused() {
        for text in [
            "", "  ", "abc", "1,2,3", "12.0.0", ",5", "5,", "1e5", "NaN", "inf", "--1", "1 2",
            "١٢", "12\u{0}",
        ] {
            assert!(Comma.parse(text).is_err(), "{text:?}");
            assert!(Point.parse(text).is_err(), "{text:?}");
        }
        assert_eq!(Comma.parse(&"9".repeat(41)), Err(ValueError::NotFinite));
    }

    #[test]
    fn plain_numbers_are_read_as_programs_write_them() {
        assert_eq!(Plain.parse("1.125"), Ok(1.125));
        assert_eq!(Plain.parse("-12000.5"), Ok(-12000.5));
        for text in ["1,125", "12,000.5", "12 000", "1.000.000"] {
            assert_eq!(Plain.parse(text), Err(ValueError::NotFinite), "{text}");
        }
    }

    #[test]
    fn what_a_style_writes_it_reads_back() {
        for value in [0.0, 1.125, 12000.5, -3.25, 1500.0, 1e-7, 123456789.0] {
            for style in [Plain, Point, Comma] {
                assert_eq!(
                    style.parse(&style.write(value)),
                    Ok(value),
                    "{style:?} {value}"
                );
            }
        }
        assert_eq!(Comma.write(12000.5), "12000,5");
    }

    #[test]
    fn numbers_are_shown_grouped_with_the_readers_marks() {
        assert_eq!(Comma.show(15_000_000.0), "15.000.000");
        assert_eq!(Point.show(15_000_000.0), "15,000,000");
        assert_eq!(Comma.show(0.66), "0,66");
        assert_eq!(Comma.show(12000.5), "12.000,5");
        assert_eq!(Point.show(-1234.567), "-1,234.57");
        assert_eq!(Comma.show(999.0), "999");
        assert_eq!(Comma.show(-0.001), "0");
        assert_eq!(Plain.show(12000.5), "12000.5");
        assert_eq!(Point.show(f64::NAN), "?");
    }

    #[test]
    fn languages_have_styles() {
        assert_eq!(NumberStyle::of_language("nl"), Comma);
        assert_eq!(NumberStyle::of_language("nl-BE"), Comma);
        assert_eq!(NumberStyle::of_language("en"), Point);
        assert_eq!(NumberStyle::of_language(""), Point);
    }

    proptest! {
        /// Whatever is written in a style, with its grouping and a fraction, is
        /// read back as written, or refused as ambiguous naming it.
        #[test]
        fn written_numbers_are_read_back(whole in 0u64..10_000_000_000, cents in proptest::option::of(0u32..100), style in prop_oneof![Just(Comma), Just(Point)]) {
            let digits = whole.to_string();
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(style.group_mark().unwrap());
                }
                grouped.push(c);
            }
            let mut value = whole as f64;
            if let Some(cents) = cents {
                grouped.push(style.decimal_mark());
                grouped.push_str(&format!("{cents:02}"));
                value += f64::from(cents) / 100.0;
            }
            match style.parse(&grouped) {
                Ok(read) => prop_assert!((read - value).abs() < 1e-6, "{grouped} read as {read}"),
                Err(ValueError::AmbiguousNumber { own, .. }) => prop_assert!((own - value).abs() < 1e-6),
                Err(e) => prop_assert!(false, "{grouped}: {e:?}"),
            }
        }

        #[test]
        fn no_text_makes_it_panic(text in "\\PC{0,50}") {
            for style in [Plain, Point, Comma] {
                let _ = style.parse(&text);
            }
        }
    }
}
