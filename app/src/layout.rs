//! The frame around every page: skip link, header with the language switch, footer.

use leptos::prelude::*;
use leptos_i18n::context::CookieOptions;

use crate::i18n::*;

/// A year, in the milliseconds the cookie options count in.
const LANGUAGE_COOKIE_MAX_AGE_MS: i64 = 365 * 24 * 60 * 60 * 1000;

/// The language choice outlives the browser session and holds for the whole site.
pub fn language_cookie() -> CookieOptions<Locale> {
    CookieOptions::default()
        .max_age(LANGUAGE_COOKIE_MAX_AGE_MS)
        .path("/".to_string())
}

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
            <LanguageSwitch />
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">{t!(i18n, footer)}</footer>
    }
}

/// Two buttons, one per language; the current one is marked pressed.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let option = move |locale: Locale, label: &'static str, name: &'static str| {
        let pressed = move || i18n.get_locale() == locale;
        view! {
            <button
                type="button"
                class="lang-option"
                lang=name
                aria-pressed=move || pressed().to_string()
                on:click=move |_| i18n.set_locale(locale)
            >
                {label}
            </button>
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
