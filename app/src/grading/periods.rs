//! `/periods`: the lifecycle (planning, active, grading, closed), moved on by
//! admins, who also make new periods here: the next quarter in one step, or any
//! year, quarter, custom period or the backlog by its dates.

use cairn::period::{PeriodKind, PeriodState};
use leptos::prelude::*;

use super::api::list_periods;
use super::model::{PeriodLine, PeriodList};
use crate::forms::{outcome_view, typed_or};
use crate::i18n::*;

/// The form ids of the page (as the server names them).
const NEW_FORM: &str = "new-period";
const LIST_FORM: &str = "periods";

pub fn state_name(i18n: leptos_i18n::I18nContext<Locale>, state: PeriodState) -> String {
    match state {
        PeriodState::Planning => t_string!(i18n, state_planning),
        PeriodState::Active => t_string!(i18n, state_active),
        PeriodState::Grading => t_string!(i18n, state_grading),
        PeriodState::Closed => t_string!(i18n, state_closed),
    }
    .to_string()
}

fn kind_name(i18n: leptos_i18n::I18nContext<Locale>, kind: PeriodKind) -> String {
    match kind {
        PeriodKind::Year => t_string!(i18n, kind_year),
        PeriodKind::Quarter => t_string!(i18n, kind_quarter),
        PeriodKind::Custom => t_string!(i18n, kind_custom),
        PeriodKind::Backlog => t_string!(i18n, kind_backlog),
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
    let outcome = list.outcome.clone();
    let ahead = list.plan_ahead_days;
    view! {
        <section class="page-head">
            <div>
                <h1>{t!(i18n, periods_title)}</h1>
                <p class="lead">{t!(i18n, periods_lead)}</p>
            </div>
        </section>
        {outcome_view(outcome.clone(), LIST_FORM.to_string())}
        <table class="periods">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, periods_period)}</th>
                    <th scope="col">{t!(i18n, periods_dates)}</th>
                    <th scope="col">{t!(i18n, periods_state)}</th>
                    <th scope="col"><span class="visually-hidden">{t!(i18n, periods_actions)}</span></th>
                </tr>
            </thead>
            <tbody>
                {list.periods.into_iter().map(|p| view! { <Row p admin /> }).collect_view()}
            </tbody>
        </table>
        {admin.then(|| view! {
            <p class="hint" id="plan-ahead">
                {match ahead {
                    Some(days) => t_string!(i18n, periods_plan_ahead_on, days = days).to_string(),
                    None => t_string!(i18n, periods_plan_ahead_off).to_string(),
                }}
            </p>
            <NewPeriodForm outcome />
        })}
    }
}

#[component]
fn Row(p: PeriodLine, admin: bool) -> impl IntoView {
    let i18n = use_i18n();
    let state = p.state;
    let id = p.id;
    let version = p.version.to_string();
    let dates = p
        .span
        .clone()
        .map(|(from, to)| format!("{from} – {to}"))
        .unwrap_or_default();
    let step = p.next.filter(|_| admin).map(|to| match to {
        // Closing first shows what is still ungraded.
        PeriodState::Closed => view! {
            <a class="button" href=format!("/periods/{id}/close")>
                {move || t_string!(i18n, periods_close).to_string()}
            </a>
        }
        .into_any(),
        _ => view! {
            <form method="post" action="/api/advance_period" class="inline-form">
                <input type="hidden" name="period" value=id.to_string() />
                <input type="hidden" name="version" value=version.clone() />
                <button type="submit">{move || t_string!(i18n, periods_move_to, state = state_name(i18n, to)).to_string()}</button>
            </form>
        }
        .into_any(),
    });
    let reopen = (admin && state == PeriodState::Closed).then(|| {
        view! {
            <form method="post" action=format!("/periods/{id}/reopen") class="inline-form">
                <input type="hidden" name="version" value=p.version.to_string() />
                <button type="submit">{t!(i18n, periods_reopen)}</button>
            </form>
        }
    });
    let next = p.next_period.clone().filter(|_| admin).map(|name| view! {
        <form method="post" action=format!("/periods/{id}/next") class="inline-form">
            <button type="submit" class="primary">{move || t_string!(i18n, periods_make_next, name = name.clone()).to_string()}</button>
        </form>
    });
    let graded = matches!(state, PeriodState::Grading | PeriodState::Closed);
    let name = if p.kind == PeriodKind::Backlog || !graded {
        view! { <span>{p.name.clone()}</span> }.into_any()
    } else {
        view! { <a href=format!("/periods/{id}/summary")>{p.name.clone()}</a> }.into_any()
    };
    let kind = p.kind;
    view! {
        <tr class=format!("period-{}", kind.as_str())>
            <th scope="row">{name} " " <span class="hint">{move || kind_name(i18n, kind)}</span></th>
            <td>{dates}</td>
            <td><span class=format!("tag state-{}", state.as_str())>{move || state_name(i18n, state)}</span></td>
            <td class="period-actions">{step}{reopen}{next}</td>
        </tr>
    }
}

#[component]
fn NewPeriodForm(outcome: Option<crate::forms::Outcome>) -> impl IntoView {
    let i18n = use_i18n();
    let form = NEW_FORM;
    let kind = typed_or(&outcome, form, "kind", "quarter");
    let option = move |value: PeriodKind| {
        view! {
            <option value=value.as_str() selected=kind == value.as_str()>
                {move || kind_name(i18n, value)}
            </option>
        }
    };
    view! {
        <section class="new-period" aria-labelledby="new-period-title">
            <h2 id="new-period-title">{t!(i18n, periods_new)}</h2>
            <p class="hint">{t!(i18n, periods_new_hint)}</p>
            {outcome_view(outcome.clone(), form.to_string())}
            <form class="auth-form period-form" method="post" action="/periods" id=form>
                <label for="period-kind">{t!(i18n, periods_kind)}</label>
                <select id="period-kind" name="kind">
                    {option(PeriodKind::Quarter)}
                    {option(PeriodKind::Year)}
                    {option(PeriodKind::Custom)}
                    {option(PeriodKind::Backlog)}
                </select>
                <label for="period-name">{t!(i18n, periods_name)}</label>
                <input id="period-name" name="name" maxlength="200"
                    value=typed_or(&outcome, form, "name", "") aria-describedby="period-name-hint" />
                <p class="hint" id="period-name-hint">{t!(i18n, periods_name_hint)}</p>
                <label for="period-starts">{t!(i18n, periods_starts)}</label>
                <input id="period-starts" name="starts" type="date" value=typed_or(&outcome, form, "starts", "") />
                <label for="period-ends">{t!(i18n, periods_ends)}</label>
                <input id="period-ends" name="ends" type="date" value=typed_or(&outcome, form, "ends", "") />
                <button type="submit" class="primary">{t!(i18n, periods_make)}</button>
            </form>
        </section>
    }
}
