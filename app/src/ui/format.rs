//! Numbers and dates as people read them, in their language.

use cairn::numbers::NumberStyle;
use chrono::{DateTime, Datelike};
use leptos::prelude::*;

use crate::i18n::*;

/// A share as a whole percentage, 0 to 100.
pub fn percent(ratio: f64) -> u8 {
    if ratio.is_finite() {
        (ratio.clamp(0.0, 1.0) * 100.0).round() as u8
    } else {
        0
    }
}

/// A number with `places` decimals, with the reader's decimal mark: "0,7" in
/// Dutch, "0.7" in English.
pub fn decimal(i18n: leptos_i18n::I18nContext<Locale>, value: f64, places: usize) -> String {
    with_mark(&decimal_mark(i18n), value, places)
}

/// The reader's decimal mark, for islands that format numbers as people type.
pub fn decimal_mark(i18n: leptos_i18n::I18nContext<Locale>) -> String {
    number_style(i18n).decimal_mark().to_string()
}

/// How the reader writes numbers: `12.000,5` in Dutch, `12,000.5` in English.
pub fn number_style(i18n: leptos_i18n::I18nContext<Locale>) -> NumberStyle {
    match i18n.get_locale_untracked() {
        Locale::nl => NumberStyle::Comma,
        Locale::en => NumberStyle::Point,
    }
}

/// The style whose decimal mark an island was given.
pub fn style_of_mark(mark: &str) -> NumberStyle {
    if mark == "," {
        NumberStyle::Comma
    } else {
        NumberStyle::Point
    }
}

/// How the person making this request writes numbers (their page's language),
/// for a server function reading what they typed.
#[cfg(feature = "ssr")]
pub fn request_numbers() -> NumberStyle {
    use_context::<axum::http::request::Parts>()
        .map(|parts| {
            NumberStyle::of_language(crate::auth::gate::preferred_language(&parts.headers))
        })
        .unwrap_or(NumberStyle::Point)
}

/// A number with `places` decimals and `mark` as its decimal mark.
pub fn with_mark(mark: &str, value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    if mark == "." {
        text
    } else {
        text.replace('.', mark)
    }
}

/// "3 Nov" / "3 nov": a day and month in the reader's language.
pub fn day_month(i18n: leptos_i18n::I18nContext<Locale>, ms: i64) -> String {
    match DateTime::from_timestamp_millis(ms) {
        Some(d) => format!("{} {}", d.day(), month_name(i18n, d.month())),
        None => "?".into(),
    }
}

fn month_name(i18n: leptos_i18n::I18nContext<Locale>, month: u32) -> String {
    match month {
        1 => t_string!(i18n, month_1).to_string(),
        2 => t_string!(i18n, month_2).to_string(),
        3 => t_string!(i18n, month_3).to_string(),
        4 => t_string!(i18n, month_4).to_string(),
        5 => t_string!(i18n, month_5).to_string(),
        6 => t_string!(i18n, month_6).to_string(),
        7 => t_string!(i18n, month_7).to_string(),
        8 => t_string!(i18n, month_8).to_string(),
        9 => t_string!(i18n, month_9).to_string(),
        10 => t_string!(i18n, month_10).to_string(),
        11 => t_string!(i18n, month_11).to_string(),
        _ => t_string!(i18n, month_12).to_string(),
    }
}

/// "3 Nov 2026" / "3 nov 2026": a day in the reader's language, as text.
pub fn full_date(i18n: leptos_i18n::I18nContext<Locale>, ms: i64) -> String {
    match DateTime::from_timestamp_millis(ms) {
        Some(d) => format!("{} {} {}", d.day(), month_name(i18n, d.month()), d.year()),
        None => "?".into(),
    }
}

/// A day, written out: "3 Nov 2026" or "3 nov 2026", in a `<time>` element.
#[component]
pub fn ShortDate(ms: i64) -> impl IntoView {
    let i18n = use_i18n();
    let Some(date) = DateTime::from_timestamp_millis(ms).map(|d| d.date_naive()) else {
        return view! { <time>"?"</time> }.into_any();
    };
    view! { <time datetime=date.to_string()>{move || format!("{} {} {}", date.day(), month_name(i18n, date.month()), date.year())}</time> }
        .into_any()
}
