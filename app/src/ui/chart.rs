//! Progress charts as SVG, drawn on the server: no chart runtime in the browser.

use cairn::numbers::Scale;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use serde::{Deserialize, Serialize};

use crate::i18n::*;

/// A series over a period: the expected pace and the check-ins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub start_ms: i64,
    pub end_ms: i64,
    pub y_min: f64,
    pub y_max: f64,
    /// Values are percentages (0..100) rather than the key result's own unit.
    pub percent: bool,
    pub unit: Option<String>,
    /// Numbers, or durations (`2:37`).
    #[serde(default)]
    pub notation: cairn::duration::Notation,
    /// The expected pace (or the threshold to hold), as a line.
    pub expected: Vec<(i64, f64)>,
    /// The check-ins, oldest first.
    pub actual: Vec<(i64, f64)>,
    /// Where "today" falls, if inside the period.
    pub today_ms: Option<i64>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 30.0;

impl Chart {
    fn x(&self, ms: i64) -> f64 {
        let span = (self.end_ms - self.start_ms).max(1) as f64;
        LEFT + (WIDTH - LEFT - RIGHT) * ((ms - self.start_ms) as f64 / span).clamp(0.0, 1.0)
    }

    fn y(&self, value: f64) -> f64 {
        let span = (self.y_max - self.y_min).abs().max(f64::EPSILON);
        let share = ((value - self.y_min) / span).clamp(0.0, 1.0);
        TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - share)
    }

    fn points(&self, series: &[(i64, f64)]) -> String {
        series
            .iter()
            .map(|(t, v)| format!("{:.1},{:.1}", self.x(*t), self.y(*v)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// An axis label: compact, in the reader's marks and words ("12 mln").
    fn axis(&self, i18n: I18nContext<Locale>, value: f64) -> String {
        if self.notation == cairn::duration::Notation::Duration {
            return cairn::duration::write(value);
        }
        let number = crate::ui::number_style(i18n).compact(value, |scale, n| match scale {
            Scale::Millions => t_string!(i18n, number_millions, n = n).to_string(),
            Scale::Billions => t_string!(i18n, number_billions, n = n).to_string(),
        });
        if self.percent {
            format!("{number} %")
        } else {
            number
        }
    }

    /// A check-in's value in full, with its unit: "15.000.000 USD".
    fn value(&self, i18n: I18nContext<Locale>, value: f64) -> String {
        let number = self.notation.show(crate::ui::number_style(i18n), value);
        match (&self.unit, self.percent) {
            (_, true) => format!("{number} %"),
            (Some(unit), false) => format!("{number} {unit}"),
            (None, false) => number,
        }
    }
}

/// The chart with its axes. `start_label`/`end_label` name the period's first and
/// last day; `label` describes the chart for screen readers.
#[component]
pub fn LineChart(
    chart: Chart,
    label: String,
    start_label: String,
    end_label: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let ticks = [chart.y_min, (chart.y_min + chart.y_max) / 2.0, chart.y_max];
    let expected = chart.points(&chart.expected);
    let actual = chart.points(&chart.actual);
    let bottom = HEIGHT - BOTTOM;
    let today = chart.today_ms.map(|t| chart.x(t));
    let title = label.clone();
    let dots: Vec<(f64, f64, String)> = chart
        .actual
        .iter()
        .map(|(t, v)| (chart.x(*t), chart.y(*v), chart.value(i18n, *v)))
        .collect();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label preserveAspectRatio="xMidYMid meet">
            <title>{title}</title>
            {ticks
                .iter()
                .map(|v| {
                    let y = chart.y(*v);
                    view! {
                        <line class="chart-grid" x1=LEFT x2=WIDTH - RIGHT y1=y y2=y />
                        <text class="chart-axis" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{chart.axis(i18n, *v)}</text>
                    }
                })
                .collect_view()}
            <text class="chart-axis" x=LEFT y=HEIGHT - 8.0 text-anchor="start">{start_label}</text>
            <text class="chart-axis" x=WIDTH - RIGHT y=HEIGHT - 8.0 text-anchor="end">{end_label}</text>
            {today.map(|x| view! { <line class="chart-today" x1=x x2=x y1=TOP y2=bottom /> })}
            <polyline class="chart-expected" points=expected />
            <polyline class="chart-actual" points=actual />
            {dots
                .into_iter()
                .map(|(x, y, text)| {
                    view! {
                        <circle class="chart-point" cx=x cy=y r="3.5">
                            <title>{text}</title>
                        </circle>
                    }
                })
                .collect_view()}
        </svg>
    }
}
