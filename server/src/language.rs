//! Choosing the language: a link that remembers the choice in a cookie, and a
//! middleware that makes the remembered choice win over the browser's languages.
//! Plain links and headers, so switching works before and without the browser bundle.

use app::LANGUAGE_COOKIE;
use app::i18n::Locale;
use app::storage::Db;
use app::storage::accounts::SignedIn;
use app::storage::notices;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use leptos_i18n::Locale as _;
use serde::Deserialize;

/// A year: the choice should outlive the browser session.
const MAX_AGE_SECONDS: u32 = 365 * 24 * 60 * 60;

#[derive(Debug, Deserialize)]
pub struct Back {
    to: Option<String>,
}

/// `GET /language/{code}?to=/path`: remembers the language and goes back to `to`.
/// For someone signed in it is also the language of their mail.
pub async fn switch(
    State(db): State<Db>,
    signed_in: Option<axum::Extension<SignedIn>>,
    Path(code): Path<String>,
    Query(back): Query<Back>,
) -> Response {
    let Some(locale) = known(&code) else {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    };
    if let Some(axum::Extension(me)) = signed_in
        && let Err(error) = notices::set_language(&db, me.actor.person, locale.as_str()).await
    {
        tracing::warn!(%error, "cannot remember a person's language");
    }
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; Path=/; Max-Age={MAX_AGE_SECONDS}; SameSite=Lax",
        locale.as_str()
    );
    let Ok(target) = app::auth::return_to::local(back.to.as_deref()) else {
        return (
            StatusCode::BAD_REQUEST,
            "the return address holds control characters",
        )
            .into_response();
    };
    let mut response = Redirect::to(&target).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Replaces the request's Accept-Language with the remembered choice, if any, so
/// everything downstream (page rendering, server functions) speaks that language.
pub async fn prefer_remembered(mut request: Request, next: Next) -> Response {
    let chosen = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(remembered);
    if let Some(locale) = chosen {
        request.headers_mut().insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static(locale.as_str()),
        );
    }
    next.run(request).await
}

fn known(code: &str) -> Option<Locale> {
    Locale::get_all()
        .iter()
        .copied()
        .find(|l| l.as_str() == code)
}

/// The language named by the LANGUAGE_COOKIE in a `Cookie` header, if it is one we speak.
fn remembered(cookie_header: &str) -> Option<Locale> {
    cookie_header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANGUAGE_COOKIE)
        .and_then(|(_, value)| known(value.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_remembered_language_is_found_among_other_cookies() {
        assert_eq!(remembered("a=1; cairn_lang=nl; b=2"), Some(Locale::nl));
        assert_eq!(remembered("cairn_lang=en"), Some(Locale::en));
        assert_eq!(remembered("cairn_lang=xx"), None);
        assert_eq!(remembered("other_cairn_lang=nl"), None);
        assert_eq!(remembered(""), None);
    }
}
