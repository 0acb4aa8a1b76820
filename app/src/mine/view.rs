use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{MinePage, my_okrs};
use crate::checkins::CheckInForm;
use crate::i18n::*;
use crate::okr::{Meter, PeriodSwitcher, StatusLegend};

/// `/my`: my OKRs in the current period (or the one asked for).
#[component]
pub fn MyOkrsPage() -> impl IntoView {
    let query = use_query_map();
    let period = move || crate::layout::number_in(query, "period");
    let data = Resource::new(period, my_okrs);
    crate::layout::loaded(data, |page| view! { <Mine page /> })
}

#[component]
fn Mine(page: MinePage) -> impl IntoView {
    let i18n = use_i18n();
    let words = crate::objectives::check_in_words(i18n);
    let MinePage {
        period,
        objectives,
        due,
        live_mark,
    } = page;
    let period_id = period.as_ref().map(|p| p.current.id);
    let empty = objectives.is_empty();
    view! {
        <section class="page-head">
            <div>
                <h1>{t!(i18n, my_title)}</h1>
                <p class="lead">
                    {if due > 0 {
                        t!(i18n, my_due_count, count = move || due).into_any()
                    } else {
                        t!(i18n, my_all_checked_in).into_any()
                    }}
                </p>
                <p class="page-links">
                    <a class="button primary" rel="external" href=match period_id {
                        Some(id) => format!("/objectives/new?period={id}"),
                        None => "/objectives/new".to_string(),
                    }>{t!(i18n, new_objective)}</a>
                </p>
                <StatusLegend />
            </div>
            {period.map(|context| view! { <PeriodSwitcher context action="/my".to_string() /> })}
        </section>
        <crate::live::LiveMeters after=live_mark />
        <crate::error::PageProblemWords />
        {empty.then(|| view! { <p class="empty">{t!(i18n, my_nothing)}</p> })}
        <div class="my-okrs">
            {objectives
                .into_iter()
                .map(|o| {
                    let id = o.view.id;
                    let title = o.view.title.clone();
                    let owner = o.view.owner.clone();
                    view! {
                        <article class="objective-card mine" aria-labelledby=format!("o-{id}")>
                            <header>
                                <h2 id=format!("o-{id}")>
                                    <a href=format!("/objectives/{id}")>{title.clone()}</a>
                                </h2>
                                <p class="objective-meta">
                                    <a class="owner" href=owner.href()>{owner.name().to_string()}</a>
                                    {o.editable.then(|| view! {
                                        <a class="edit-link" rel="external" href=format!("/objectives/{id}/edit")>{t!(i18n, edit_objective)}</a>
                                    })}
                                </p>
                            </header>
                            <Meter key=format!("o-{id}") progress=o.view.progress verdict=o.view.verdict
                                explanation=o.view.explanation.clone() label=title />
                            <ul class="key-results">
                                {o.key_results
                                    .into_iter()
                                    .map(|kr| {
                                        let v = kr.view;
                                        let kid = v.id;
                                        view! {
                                            <li class="key-result" id=format!("kr-{kid}")>
                                                <span class="kr-title">
                                                    <a href=format!("/objectives/{id}#kr-{kid}")>{v.title.clone()}</a>
                                                    {kr.due.then(|| view! { <span class="tag due">{t!(i18n, my_check_in_due)}</span> })}
                                                </span>
                                                <Meter key=format!("k-{kid}") progress=v.progress verdict=v.verdict
                                                    explanation=v.explanation label=v.title />
                                                {kr.check_in.map(|spec| view! { <CheckInForm spec words=words.clone() /> })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </article>
                    }
                })
                .collect_view()}
        </div>
    }
}
