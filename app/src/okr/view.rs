//! Views of objectives and key results, rendered on the server.

use cairn::status::{Reason, Status, Verdict};
use leptos::prelude::*;

use super::model::*;
use crate::i18n::*;
use crate::ui::{ShortDate, percent};

/// A progress bar coloured by status, with its figure as text and, when it is not on
/// track, the reason beside it. Hovering or focusing the figure shows how it came
/// about; screen readers hear that as its description.
#[component]
pub fn Meter(
    /// Unique on the page: "o-12", "k-40".
    key: String,
    progress: f64,
    verdict: Verdict,
    explanation: Explanation,
    /// What is measured, for the accessible name.
    label: String,
) -> impl IntoView {
    let tip = format!("explain-{key}");
    let value = percent(progress);
    view! {
        <div class=format!("meter status-{}", verdict.status.as_str()) data-meter=key.clone()>
            <div
                class="meter-bar"
                role="progressbar"
                aria-label=label
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=value
                aria-describedby=tip.clone()
            >
                <div class="meter-fill" style:width=format!("{value}%")></div>
            </div>
            <span class="meter-figure" tabindex="0" aria-describedby=tip.clone()>
                {format!("{value} %")}
            </span>
            <StatusReason reason=verdict.reason />
            <div class="explain" role="tooltip" id=tip>
                <StatusBadge verdict />
                <Explain explanation />
            </div>
        </div>
    }
}

/// A reading in the reader's words and marks: "15.000.000 USD (van 12.000.000
/// tot 24.000.000)", "12,5 % (doel 10)", "✓".
#[component]
pub fn ReadingText(reading: ReadingView) -> impl IntoView {
    reading_words(use_i18n(), reading)
}

/// A reading in the reader's words, as text (see [`ReadingText`]).
pub fn reading_words(i18n: leptos_i18n::I18nContext<Locale>, reading: ReadingView) -> String {
    let numbers = crate::ui::number_style(i18n);
    match reading {
        ReadingView::Metric {
            value,
            start,
            target,
            unit,
            notation,
        } => {
            let unit = unit.map(|u| format!(" {u}")).unwrap_or_default();
            let value = format!("{}{unit}", notation.show(numbers, value));
            let target = notation.show(numbers, target);
            match start {
                Some(start) => {
                    let start = notation.show(numbers, start);
                    t_string!(
                        i18n,
                        reading_from_to,
                        value = value.as_str(),
                        start = start.as_str(),
                        target = target.as_str()
                    )
                    .to_string()
                }
                None => {
                    let target = format!("{target}{unit}");
                    t_string!(
                        i18n,
                        reading_beyond,
                        value = value.as_str(),
                        target = target.as_str()
                    )
                    .to_string()
                }
            }
        }
        ReadingView::Value {
            value,
            unit,
            notation,
        } => match unit {
            Some(unit) => format!("{} {unit}", notation.show(numbers, value)),
            None => notation.show(numbers, value),
        },
        ReadingView::Done(true) => "✓".to_string(),
        ReadingView::Done(false) => "✗".to_string(),
        ReadingView::Percent(share) => format!("{share} %"),
    }
}

/// The words behind a figure: its inputs and weights, or its last check-in.
#[component]
pub fn Explain(explanation: Explanation) -> impl IntoView {
    let i18n = use_i18n();
    match explanation {
        Explanation::Entered {
            reading,
            last_check_in_ms,
            confidence,
            expected,
        } => {
            let expected = percent(expected);
            view! {
                <p class="explain-kind">{t!(i18n, explain_entered)}</p>
                <dl>
                    {reading
                        .map(|r| {
                            view! {
                                <dt>{t!(i18n, explain_value)}</dt>
                                <dd><ReadingText reading=r /></dd>
                            }
                        })}
                    <dt>{t!(i18n, explain_last_check_in)}</dt>
                    <dd>
                        {match last_check_in_ms {
                            Some(ms) => view! { <ShortDate ms /> }.into_any(),
                            None => view! { {t!(i18n, explain_never)} }.into_any(),
                        }}
                    </dd>
                    {confidence
                        .map(|c| {
                            view! {
                                <dt>{t!(i18n, explain_confidence)}</dt>
                                <dd>{format!("{c}/10")}</dd>
                            }
                        })}
                    <dt>{t!(i18n, explain_expected)}</dt>
                    <dd>{format!("{expected} %")}</dd>
                </dl>
            }
            .into_any()
        }
        Explanation::RolledUp { inputs, expected } => {
            let count = inputs.len();
            let expected = percent(expected);
            view! {
                <p class="explain-kind">
                    {if count == 1 {
                        t_string!(i18n, explain_rolled_up_one).to_string()
                    } else {
                        t_string!(i18n, explain_rolled_up, count = count).to_string()
                    }}
                </p>
                <ul class="explain-inputs">
                    {inputs
                        .into_iter()
                        .map(|input| {
                            view! {
                                <li>
                                    <span class="explain-label">{input.label}</span>
                                    <span class="explain-numbers">
                                        {format!("{} % × {} %", percent(input.progress), percent(input.share))}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <p class="explain-expected">{t!(i18n, explain_expected)} ": " {format!("{expected} %")}</p>
            }
                .into_any()
        }
    }
}

/// The status in words, with its reason when it is not on track: "At risk ·
/// confidence 5/10".
#[component]
pub fn StatusBadge(verdict: Verdict) -> impl IntoView {
    let i18n = use_i18n();
    let status = verdict.status;
    let text = move || match status {
        Status::OnTrack => t_string!(i18n, status_on_track).to_string(),
        Status::AtRisk => t_string!(i18n, status_at_risk).to_string(),
        Status::OffTrack => t_string!(i18n, status_off_track).to_string(),
    };
    view! {
        <span class=format!("badge status-{}", status.as_str())>{text}</span>
        <StatusReason reason=verdict.reason />
    }
}

/// Why a status is worse than on track, in words; nothing when it is on track.
#[component]
pub fn StatusReason(reason: Reason) -> impl IntoView {
    let i18n = use_i18n();
    let words = move || {
        reason.describe(
            |c| t_string!(i18n, status_reason_confidence, confidence = c).to_string(),
            |p, e| t_string!(i18n, status_reason_behind, progress = p, expected = e).to_string(),
        )
    };
    words().map(|words| view! { <span class="status-reason">{words}</span> })
}

/// What the colours of the bars mean, for the pages that use them.
#[component]
pub fn StatusLegend() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="status-legend">
            <summary>{t!(i18n, status_legend_title)}</summary>
            <dl>
                <dt><span class="badge status-on_track">{t!(i18n, status_on_track)}</span></dt>
                <dd>{t!(i18n, status_legend_on_track)}</dd>
                <dt><span class="badge status-at_risk">{t!(i18n, status_at_risk)}</span></dt>
                <dd>{t!(i18n, status_legend_at_risk)}</dd>
                <dt><span class="badge status-off_track">{t!(i18n, status_off_track)}</span></dt>
                <dd>{t!(i18n, status_legend_off_track)}</dd>
            </dl>
            <p>{t!(i18n, status_legend_pace)}</p>
        </details>
    }
}

/// An objective with its key results, as lists show it.
#[component]
pub fn ObjectiveCard(
    objective: ObjectiveView,
    #[prop(optional)] show_owner: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let ObjectiveView {
        id,
        title,
        owner,
        committed,
        progress,
        verdict,
        explanation,
        key_results,
        grade,
        ..
    } = objective;
    let owner_link = show_owner.then(|| {
        let href = owner.href();
        let name = owner.name().to_string();
        view! {
            <a class="owner" href=href>
                {name}
            </a>
        }
    });
    view! {
        <article class="objective-card" aria-labelledby=format!("o-{id}")>
            <header>
                <h3 id=format!("o-{id}")>
                    <a href=format!("/objectives/{id}")>{title.clone()}</a>
                </h3>
                <p class="objective-meta">
                    {owner_link}
                    <span class="tag">
                        {move || {
                            if committed {
                                t_string!(i18n, committed).to_string()
                            } else {
                                t_string!(i18n, aspirational).to_string()
                            }
                        }}
                    </span>
                </p>
            </header>
            <Meter key=format!("o-{id}") progress verdict explanation label=title />
            {grade.map(|grade| view! { <GradeBadge grade /> })}
            <ul class="key-results">
                {key_results
                    .into_iter()
                    .map(|kr| view! { <KeyResultRow kr /> })
                    .collect_view()}
            </ul>
        </article>
    }
}

#[component]
pub fn KeyResultRow(kr: KeyResultView) -> impl IntoView {
    let KeyResultView {
        id,
        objective,
        title,
        progress,
        verdict,
        explanation,
        grade,
        ..
    } = kr;
    view! {
        <li class="key-result" id=format!("kr-{id}")>
            <a class="kr-title" href=format!("/objectives/{objective}#kr-{id}")>
                {title.clone()}
            </a>
            <Meter key=format!("k-{id}") progress verdict explanation label=title />
            {grade.map(|grade| view! { <GradeBadge grade /> })}
        </li>
    }
}

/// A grade as the period's end gave it: "Score 0,7", coloured by its band.
#[component]
pub fn GradeBadge(grade: f64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class=format!("grade-badge {}", band_class(grade))>
            {t!(i18n, grade_badge)} " " <strong>{crate::ui::decimal(i18n, grade, 1)}</strong>
        </p>
    }
}

/// The colour band of a grade: `band-red` (0 to 0.3), `band-yellow`, `band-green` (0.7 to 1).
pub fn band_class(grade: f64) -> &'static str {
    match cairn::grading::Grade::parse(grade).map(cairn::grading::Grade::band) {
        Ok(cairn::grading::Band::Red) => "band-red",
        Ok(cairn::grading::Band::Yellow) => "band-yellow",
        Ok(cairn::grading::Band::Green) => "band-green",
        Err(_) => "band-invalid",
    }
}

/// Years, quarters and the backlog: a plain form, so it works before any script.
#[component]
pub fn PeriodSwitcher(context: PeriodContext, action: String) -> impl IntoView {
    let i18n = use_i18n();
    let current = context.current.id;
    view! {
        <form class="period-switcher" method="get" action=action>
            <label for="period">{t!(i18n, period)}</label>
            <select id="period" name="period">
                {context
                    .options
                    .into_iter()
                    .map(|p| {
                        let indent = if p.kind == cairn::period::PeriodKind::Quarter { "\u{2003}" } else { "" };
                        view! {
                            <option value=p.id.to_string() selected=p.id == current>
                                {format!("{indent}{}", p.name)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit">{t!(i18n, show)}</button>
        </form>
    }
}
