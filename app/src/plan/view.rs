use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{PlanPage, Strategy, get_plan_page};
use crate::i18n::*;
use crate::okr::{KeyResultRow, Meter};

#[component]
pub fn PlanPageView() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_plan_page(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    crate::layout::loaded(data, |page| view! { <Plan page /> })
}

#[component]
fn Plan(page: PlanPage) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let okr = query.with_untracked(|q| q.get("labels").as_deref() == Some("okr"));
    let PlanPage {
        period,
        objective,
        description,
        strategies,
    } = page;
    let id = objective.id;
    let (o, g, s, m) = if okr {
        (
            t_string!(i18n, objective),
            t_string!(i18n, key_results),
            t_string!(i18n, plan_aligned),
            t_string!(i18n, plan_their_krs),
        )
    } else {
        (
            t_string!(i18n, ogsm_objective),
            t_string!(i18n, ogsm_goals),
            t_string!(i18n, ogsm_strategies),
            t_string!(i18n, ogsm_measures),
        )
    };
    let (o, g, s, m) = (o.to_string(), g.to_string(), s.to_string(), m.to_string());
    let title = objective.title.clone();
    let count = strategies.len();
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow"><a rel="external" href=format!("/tree?period={}&focus={id}&open={id}", period.0)>{period.1.clone()}</a></p>
                <h1>{t!(i18n, plan_title)}</h1>
                <p class="lead">{t!(i18n, plan_lead)}</p>
            </div>
            <nav class="label-switch" aria-label=move || t_string!(i18n, plan_labels).to_string()>
                <a href=format!("/plan/{id}") aria-current=(!okr).then_some("true")>"OGSM"</a>
                <a href=format!("/plan/{id}?labels=okr") aria-current=okr.then_some("true")>"OKR"</a>
            </nav>
        </section>
        <div class="plan">
            <section class="plan-block plan-objective card">
                <h2>{o}</h2>
                <p class="plan-headline"><a href=format!("/objectives/{id}")>{title.clone()}</a></p>
                {description.map(|html| view! { <div class="plan-description" inner_html=html></div> })}
                <Meter key=format!("plan-{id}") progress=objective.progress verdict=objective.verdict explanation=objective.explanation.clone() label=title />
            </section>
            <section class="plan-block plan-goals card">
                <h2>{g}</h2>
                <ul class="kr-list">
                    {objective.key_results.into_iter().map(|kr| view! { <KeyResultRow kr /> }).collect_view()}
                </ul>
            </section>
            <section class="plan-block plan-strategies card">
                <h2>{s.clone()}</h2>
                {if count == 0 {
                    view! { <p class="empty">{t!(i18n, plan_no_strategies)}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll">
                            <table class="plan-table">
                                <thead><tr><th scope="col">{s}</th><th scope="col">{m}</th></tr></thead>
                                <tbody>{strategies.into_iter().map(|st| view! { <StrategyRow st /> }).collect_view()}</tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </section>
        </div>
    }
}

#[component]
fn StrategyRow(st: Strategy) -> impl IntoView {
    let i18n = use_i18n();
    let Strategy {
        objective,
        goal,
        actions,
    } = st;
    let id = objective.id;
    let title = objective.title.clone();
    view! {
        <tr>
            <td>
                <a class="plan-strategy" href=format!("/objectives/{id}")>{title.clone()}</a>
                <p class="attention-meta">{objective.owner.name().to_string()}
                    {goal.map(|g| view! { " · " {t!(i18n, plan_for_goal)} " " <em>{g}</em> })}
                </p>
                <Meter key=format!("plan-s-{id}") progress=objective.progress verdict=objective.verdict explanation=objective.explanation.clone() label=title />
            </td>
            <td>
                <ul class="kr-list">
                    {objective.key_results.into_iter().map(|kr| view! { <KeyResultRow kr /> }).collect_view()}
                </ul>
                {(!actions.is_empty()).then(|| view! {
                    <p class="plan-actions-label">{t!(i18n, plan_actions)}</p>
                    <ul class="milestones">
                        {actions.into_iter().map(|(a, done)| view! { <li class:done=done>{if done { "✓ " } else { "○ " }} {a}</li> }).collect_view()}
                    </ul>
                })}
            </td>
        </tr>
    }
}
