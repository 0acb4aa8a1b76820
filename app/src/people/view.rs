use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{PersonPage, get_person_page};
use crate::i18n::*;
use crate::okr::{ObjectiveCard, PeriodSwitcher, StatusLegend};
use crate::ui::ShortDate;
use crate::units::role_name;

#[component]
pub fn PersonPageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        let person = crate::layout::number_in(params, "id");
        let period = crate::layout::number_in(query, "period");
        (person, period)
    };
    let data = Resource::new(args, |(person, period)| async move {
        match person {
            Some(person) => get_person_page(person, period).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    crate::layout::loaded(data, |page| view! { <Person page /> })
}

#[component]
fn Person(page: PersonPage) -> impl IntoView {
    let i18n = use_i18n();
    let PersonPage {
        id,
        name,
        email,
        units,
        period,
        objectives,
        check_ins,
        live_mark,
    } = page;
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, person)}</p>
                <h1>{name}</h1>
                <p class="lead">
                    <a href=format!("mailto:{email}")>{email.clone()}</a>
                </p>
                <ul class="unit-tags">
                    {units
                        .into_iter()
                        .map(|u| {
                            let role = u.role;
                            view! {
                                <li>
                                    <a href=format!("/units/{}", u.id)>{u.name}</a>
                                    {(role != cairn::model::Role::Member).then(|| view! { <span class="tag">{move || role_name(i18n, role)}</span> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <StatusLegend />
            </div>
            {period.map(|context| view! { <PeriodSwitcher context action=format!("/people/{id}") /> })}
        </section>
        <crate::live::LiveMeters after=live_mark />
        <div class="front-grid">
            <section class="objectives" aria-labelledby="person-okrs">
                <h2 id="person-okrs">{t!(i18n, their_okrs)}</h2>
                {if objectives.is_empty() {
                    view! { <p class="empty">{t!(i18n, no_objectives)}</p> }.into_any()
                } else {
                    objectives.into_iter().map(|objective| view! { <ObjectiveCard objective show_owner=true /> }).collect_view().into_any()
                }}
            </section>
            <aside class="attention-column">
                <section class="card" aria-labelledby="recent-check-ins">
                    <h2 id="recent-check-ins">{t!(i18n, recent_check_ins)}</h2>
                    {if check_ins.is_empty() {
                        view! { <p class="empty">{t!(i18n, no_check_ins)}</p> }.into_any()
                    } else {
                        view! {
                            <ol class="check-in-list">
                                {check_ins
                                    .into_iter()
                                    .map(|c| {
                                        view! {
                                            <li>
                                                <a href=format!("/objectives/{}#kr-{}", c.objective, c.key_result)>{c.key_result_title}</a>
                                                <span class="attention-meta">
                                                    <ShortDate ms=c.at_ms />
                                                    {c.value.map(|reading| view! { " · " <crate::okr::ReadingText reading /> })}
                                                    {format!(" · {}/10", c.confidence)}
                                                </span>
                                                {c.note.map(|n| view! { <q>{n}</q> })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        }
                            .into_any()
                    }}
                </section>
            </aside>
        </div>
    }
}
