//! `/periods/<id>/summary`: how the period went, for the quarter review: per unit
//! the average grade, committed objectives met and missed, the aspirational
//! average, what was carried forward and dropped, and the retrospectives.
//! Printable (see `style/print.css`) and downloadable as CSV.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::summarise_period;
use super::model::{PeriodSummary, UnitGrades};
use super::periods::state_name;
use crate::i18n::*;

#[component]
pub fn SummaryPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || crate::layout::number_in(params, "id");
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => summarise_period(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    crate::layout::loaded(data, |summary| view! { <Summary summary /> })
}

fn grade_text(i18n: leptos_i18n::I18nContext<Locale>, grade: Option<f64>) -> String {
    grade
        .map(|g| crate::ui::decimal(i18n, g, 2))
        .unwrap_or_else(|| "–".into())
}

#[component]
fn Summary(summary: PeriodSummary) -> impl IntoView {
    let i18n = use_i18n();
    let (met, graded) = summary.committed;
    let hit_rate = (graded > 0).then(|| format!("{} %", (met * 100 + graded / 2) / graded));
    let (mean, count) = summary.aspirational;
    let (id, name, state) = summary.period.clone();
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, summary_eyebrow)} " · " {move || state_name(i18n, state)}</p>
                <h1>{name}</h1>
            </div>
            <div class="page-actions no-print">
                <a class="button" href=format!("/periods/{id}/summary/csv") download>{t!(i18n, summary_csv)}</a>
                <span class="hint">{t!(i18n, summary_print)}</span>
            </div>
        </section>
        <div class="summary-figures">
            <p class="figure-card">
                <span class="summary-label">{t!(i18n, summary_committed)}</span>
                <strong id="committed-hit-rate">{hit_rate.unwrap_or_else(|| "–".into())}</strong>
                <span class="hint">{t!(i18n, summary_committed_of, met = move || met, graded = move || graded)}</span>
            </p>
            <p class="figure-card">
                <span class="summary-label">{t!(i18n, summary_aspirational)}</span>
                <strong id="aspirational-average">{grade_text(i18n, mean)}</strong>
                <span class="hint">{t!(i18n, summary_aspirational_of, count = move || count)}</span>
            </p>
        </div>
        <table class="grade-distribution" id="summary-units">
            <caption>{t!(i18n, summary_by_unit)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, summary_unit)}</th>
                    <th scope="col">{t!(i18n, summary_average)}</th>
                    <th scope="col">{t!(i18n, summary_committed_met)}</th>
                    <th scope="col">{t!(i18n, summary_committed_missed)}</th>
                    <th scope="col">{t!(i18n, summary_aspirational_short)}</th>
                    <th scope="col">{t!(i18n, summary_green)}</th>
                    <th scope="col">{t!(i18n, summary_yellow)}</th>
                    <th scope="col">{t!(i18n, summary_red)}</th>
                    <th scope="col">{t!(i18n, summary_ungraded)}</th>
                </tr>
            </thead>
            <tbody>
                {summary.units.iter().map(|u| {
                    let (unit_name, sheet) = unit_cell(i18n, u, id);
                    view! {
                        <tr>
                            <th scope="row">{unit_name}{sheet}</th>
                            <td class=u.average.map(crate::okr::band_class).unwrap_or_default()>{grade_text(i18n, u.average)}</td>
                            <td>{u.committed_met}</td>
                            <td>{u.committed_missed}</td>
                            <td>{grade_text(i18n, u.aspirational_average)}</td>
                            <td class="band-green">{u.green}</td>
                            <td class="band-yellow">{u.yellow}</td>
                            <td class="band-red">{u.red}</td>
                            <td>{u.ungraded}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <section class="summary-units" aria-label=move || t_string!(i18n, summary_details).to_string()>
            {summary.units.into_iter().map(|u| view! { <UnitDetails u /> }).collect_view()}
        </section>
    }
}

fn unit_cell(
    i18n: leptos_i18n::I18nContext<Locale>,
    u: &UnitGrades,
    period: i64,
) -> (AnyView, Option<AnyView>) {
    match &u.unit {
        Some((id, name)) => (
            view! { <a href=format!("/units/{id}?period={period}")>{name.clone()}</a> }.into_any(),
            Some(
                view! { " " <a class="hint no-print" rel="external" href=format!("/units/{id}/grade?period={period}")>{t!(i18n, summary_sheet)}</a> }
                    .into_any(),
            ),
        ),
        None => (
            view! { <span>{t!(i18n, summary_personal)}</span> }.into_any(),
            None,
        ),
    }
}

#[component]
fn UnitDetails(u: UnitGrades) -> impl IntoView {
    let i18n = use_i18n();
    if u.carried.is_empty() && u.dropped.is_empty() && u.retrospectives.is_empty() {
        return ().into_any();
    }
    let name = u.unit.as_ref().map(|(_, n)| n.clone());
    let list = |items: Vec<(i64, String)>| {
        items
            .into_iter()
            .map(|(id, title)| view! { <li><a href=format!("/objectives/{id}")>{title}</a></li> })
            .collect_view()
    };
    view! {
        <article class="summary-unit">
            <h2>{match name { Some(n) => n.into_any(), None => t!(i18n, summary_personal).into_any() }}</h2>
            {(!u.carried.is_empty()).then(|| view! {
                <h3>{t!(i18n, summary_carried)}</h3>
                <ul class="summary-carried">{list(u.carried.clone())}</ul>
            })}
            {(!u.dropped.is_empty()).then(|| view! {
                <h3>{t!(i18n, summary_dropped)}</h3>
                <ul class="summary-dropped">{list(u.dropped.clone())}</ul>
            })}
            {(!u.retrospectives.is_empty()).then(|| view! {
                <h3>{t!(i18n, summary_retrospectives)}</h3>
                {u.retrospectives.iter().cloned().map(|r| view! {
                    <blockquote class="retrospective">
                        <p>{r.text}</p>
                        <footer><a href=format!("/objectives/{}", r.objective)>{r.title}</a></footer>
                    </blockquote>
                }).collect_view()}
            })}
        </article>
    }
    .into_any()
}
