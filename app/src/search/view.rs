use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::search;
use crate::i18n::*;

/// `/search?q=...`: the results as a page.
#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let text = move || query.with(|q| q.get("q").unwrap_or_default());
    let data = Resource::new(text, |q| async move {
        if q.trim().is_empty() {
            Ok(Vec::new())
        } else {
            search(q).await
        }
    });
    view! {
        <section class="page-head">
            <div>
                <h1>{t!(i18n, search_title)}</h1>
                <form class="search-page-form" method="get" action="/search" role="search">
                    <label for="search-page-q" class="visually-hidden">{t!(i18n, search_label)}</label>
                    <input id="search-page-q" name="q" type="search" value=text maxlength="200" />
                    <button type="submit">{t!(i18n, search_button)}</button>
                </form>
            </div>
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let q = text();
                match data.await {
                    Ok(results) if results.is_empty() && !q.trim().is_empty() => {
                        view! { <p class="empty">{t!(i18n, no_results, query = move || q.clone())}</p> }.into_any()
                    }
                    Ok(results) => {
                        view! {
                            <ul class="search-results">
                                {results
                                    .into_iter()
                                    .map(|r| {
                                        let kind = r.kind;
                                        let context = r.context(|s| crate::grading::state_name(i18n, s));
                                        view! {
                                            <li>
                                                <span class=format!("tag kind-{}", r.kind.as_str())>{move || kind_name(i18n, kind)}</span>
                                                <a href=r.href>{r.title}</a>
                                                {context.map(|c| view! { <span class="hit-context">{c}</span> })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <crate::layout::Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

pub fn kind_name(i18n: leptos_i18n::I18nContext<Locale>, kind: super::HitKind) -> String {
    match kind {
        super::HitKind::Objective => t_string!(i18n, objective).to_string(),
        super::HitKind::KeyResult => t_string!(i18n, key_result).to_string(),
        super::HitKind::Person => t_string!(i18n, person).to_string(),
        super::HitKind::Unit => t_string!(i18n, unit).to_string(),
    }
}
