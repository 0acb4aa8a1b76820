//! The frame around every page: skip link, header with the language switch, footer.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use leptos_router::params::ParamsMap;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::AppError;
use crate::i18n::*;
use crate::search::SearchBox;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">{t!(i18n, app_name)}</span>
            </a>
            <SearchBox
                label=t_string!(i18n, search_label).to_string()
                placeholder=t_string!(i18n, search_placeholder).to_string()
                button=t_string!(i18n, search_button).to_string()
                no_results=t_string!(i18n, no_suggestions).to_string()
                kinds=crate::search::HitKind::ALL
                    .into_iter()
                    .map(|kind| (kind, crate::search::kind_name(i18n, kind)))
                    .collect()
                states=cairn::period::PeriodState::ALL
                    .into_iter()
                    .map(|state| (state, crate::grading::state_name(i18n, state)))
                    .collect()
            />
            <nav class="site-nav" aria-label=move || t_string!(i18n, nav_label).to_string()>
                // A full load: the tree page brings its own bundle.
                <a href="/my">{t!(i18n, nav_my_okrs)}</a>
                <a href="/tree" rel="external">{t!(i18n, nav_tree)}</a>
                <a href="/periods">{t!(i18n, nav_periods)}</a>
                {crate::auth::viewer()
                    .filter(|viewer| viewer.admin)
                    .map(|_| view! { <a href="/admin/people">{t!(i18n, nav_admin)}</a> })}
                {crate::auth::viewer()
                    .map(|viewer| {
                        view! {
                            <crate::notices::InboxCount
                                person=viewer.person
                                unread=viewer.unread
                                after=live_mark()
                                label=t_string!(i18n, nav_inbox).to_string()
                            />
                            <a href="/account" class="account-link" title=move || t_string!(i18n, nav_account).to_string()>
                                {viewer.name}
                            </a>
                        }
                    })}
            </nav>
            <LanguageSwitch />
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">{t!(i18n, footer)}</footer>
    }
}

/// Where the page's event stream starts: the live mark as it is rendered.
fn live_mark() -> i64 {
    #[cfg(feature = "ssr")]
    {
        crate::state::live().map(|hub| hub.mark()).unwrap_or(0)
    }
    #[cfg(not(feature = "ssr"))]
    {
        0
    }
}

/// One link per language. The server remembers the choice in a cookie and sends the
/// reader back to the same page, so switching works without any script.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let back_to = move || {
        let path = location.pathname.get();
        let query = location.search.get();
        let here = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        utf8_percent_encode(&here, NON_ALPHANUMERIC).to_string()
    };
    let option = move |locale: Locale, label: &'static str, name: &'static str| {
        let current = move || i18n.get_locale() == locale;
        view! {
            <a
                class="lang-option"
                href=move || format!("/language/{name}?to={}", back_to())
                hreflang=name
                lang=name
                // A full load: islands already running keep the language they started in.
                rel="external nofollow"
                aria-current=move || current().then_some("true")
            >
                {label}
            </a>
        }
    };
    view! {
        <nav class="lang-switch" aria-label=move || t_string!(i18n, language).to_string()>
            {option(Locale::en, "EN", "en")}
            {option(Locale::nl, "NL", "nl")}
        </nav>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <section class="not-found">
            <h1>{t!(i18n, not_found_title)}</h1>
            <p>{t!(i18n, not_found_lead)}</p>
            <p>
                <a href="/">{t!(i18n, back_home)}</a>
            </p>
        </section>
    }
}

/// A page that could not be shown: not found (with status 404) or unavailable.
#[component]
pub fn Problem(error: crate::error::AppError) -> impl IntoView {
    let i18n = use_i18n();
    match error {
        crate::error::AppError::NotFound => view! { <NotFound /> }.into_any(),
        crate::error::AppError::Forbidden => {
            #[cfg(feature = "ssr")]
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(axum::http::StatusCode::FORBIDDEN);
            }
            view! {
                <section class="not-found">
                    <h1>{t!(i18n, forbidden_title)}</h1>
                    <p>{t!(i18n, forbidden_lead)}</p>
                    <p><a href="/my">{t!(i18n, nav_my_okrs)}</a></p>
                </section>
            }
            .into_any()
        }
        crate::error::AppError::ClosedPeriod => {
            #[cfg(feature = "ssr")]
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(axum::http::StatusCode::CONFLICT);
            }
            view! {
                <section class="not-found" id="closed-period">
                    <h1>{t!(i18n, closed_title)}</h1>
                    <p>{t!(i18n, closed_lead)}</p>
                    <p><a href="/periods">{t!(i18n, periods_title)}</a></p>
                </section>
            }
            .into_any()
        }
        other => {
            #[cfg(feature = "ssr")]
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(other.status());
            }
            let malformed = matches!(other, crate::error::AppError::Malformed(_));
            let reason = match other {
                crate::error::AppError::Malformed(what) => what,
                other => other.to_string(),
            };
            view! {
                <section class="not-found">
                    <h1>{t!(i18n, problem_title)}</h1>
                    <p role="alert">
                        {if malformed {
                            t_string!(i18n, problem_malformed, reason = reason).to_string()
                        } else {
                            t_string!(i18n, status_error, reason = reason).to_string()
                        }}
                    </p>
                </section>
            }
            .into_any()
        }
    }
}

/// A page once its data has loaded (rendered on the server before the first byte):
/// the page itself, or the problem that kept it from loading.
pub fn loaded<T, V>(data: Resource<Result<T, AppError>>, page: fn(T) -> V) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(value) => page(value).into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A whole-number parameter of the route or the query string, if it is one.
pub fn number_in(map: Memo<ParamsMap>, key: &'static str) -> Option<i64> {
    map.with(|m| m.get(key).and_then(|v| v.parse::<i64>().ok()))
}
