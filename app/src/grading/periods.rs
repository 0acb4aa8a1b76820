//! `/periods`: the lifecycle (planning, active, grading, closed), moved on by
//! admins; `/periods/<id>/summary`: how the period's objectives were graded.

use cairn::period::PeriodState;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{list_periods, summarise_period};
use super::model::{PeriodList, PeriodSummary};
use crate::i18n::*;

pub fn state_name(i18n: leptos_i18n::I18nContext<Locale>, state: PeriodState) -> String {
    match state {
        PeriodState::Planning => t_string!(i18n, state_planning),
        PeriodState::Active => t_string!(i18n, state_active),
        PeriodState::Grading => t_string!(i18n, state_grading),
        PeriodState::Closed => t_string!(i18n, state_closed),
    }
    .to_string()
}

#[component]
pub fn PeriodsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_periods());
    crate::layout::loaded(data, |list| view! { <Periods list /> })
}

#[component]
fn Periods(list: PeriodList) -> impl IntoView {
    let i18n = use_i18n();
    let admin = list.admin;
    view! {
        <section class="page-head">
            <div>
                <h1>{t!(i18n, periods_title)}</h1>
                <p class="lead">{t!(i18n, periods_lead)}</p>
            </div>
        </section>
        <table class="periods">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, periods_period)}</th>
                    <th scope="col">{t!(i18n, periods_state)}</th>
                    <th scope="col"><span class="visually-hidden">{t!(i18n, periods_actions)}</span></th>
                </tr>
            </thead>
            <tbody>
                {list.periods.into_iter().filter(|p| p.kind != cairn::period::PeriodKind::Backlog).map(|p| {
                    let state = p.state;
                    let next = p.next;
                    view! {
                        <tr>
                            <th scope="row"><a href=format!("/periods/{}/summary", p.id)>{p.name.clone()}</a></th>
                            <td><span class=format!("tag state-{}", p.state.as_str())>{move || state_name(i18n, state)}</span></td>
                            <td>
                                {next.filter(|_| admin).map(|to| {
                                    view! {
                                        <form method="post" action="/api/advance_period" class="inline-form">
                                            <input type="hidden" name="period" value=p.id.to_string() />
                                            <input type="hidden" name="version" value=p.version.to_string() />
                                            <button type="submit">{move || t_string!(i18n, periods_move_to, state = state_name(i18n, to)).to_string()}</button>
                                        </form>
                                    }
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

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

#[component]
fn Summary(summary: PeriodSummary) -> impl IntoView {
    let i18n = use_i18n();
    let (met, graded) = summary.committed;
    let hit_rate = (graded > 0).then(|| format!("{} %", (met * 100 + graded / 2) / graded));
    let (mean, count) = summary.aspirational;
    let state = summary.period.2;
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, summary_eyebrow)} " · " {move || state_name(i18n, state)}</p>
                <h1>{summary.period.1.clone()}</h1>
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
                <strong id="aspirational-average">{mean.map(|m| format!("{m:.2}")).unwrap_or_else(|| "–".into())}</strong>
                <span class="hint">{t!(i18n, summary_aspirational_of, count = move || count)}</span>
            </p>
        </div>
        <table class="grade-distribution">
            <caption>{t!(i18n, summary_by_unit)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, summary_unit)}</th>
                    <th scope="col">{t!(i18n, summary_green)}</th>
                    <th scope="col">{t!(i18n, summary_yellow)}</th>
                    <th scope="col">{t!(i18n, summary_red)}</th>
                    <th scope="col">{t!(i18n, summary_ungraded)}</th>
                </tr>
            </thead>
            <tbody>
                {summary.units.into_iter().map(|u| {
                    let name = match &u.unit {
                        Some((id, name)) => view! { <a href=format!("/units/{id}")>{name.clone()}</a> }.into_any(),
                        None => view! { <span>{t!(i18n, summary_personal)}</span> }.into_any(),
                    };
                    view! {
                        <tr>
                            <th scope="row">{name}</th>
                            <td class="band-green">{u.green}</td>
                            <td class="band-yellow">{u.yellow}</td>
                            <td class="band-red">{u.red}</td>
                            <td>{u.ungraded}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
