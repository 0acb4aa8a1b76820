//! The gate in front of every page: only signed-in people in (the sign-in pages,
//! health and files excepted), a clear 503 while the database is away, and the
//! same-origin check on every change.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use cairn::ids::PersonId;
use tower_sessions::Session;

use super::http::encode;
use super::oidc::SignInSettings;
use super::oidc::flow::{PROVIDER_SESSION, ProviderSession};

use crate::error::AppError;
use crate::storage::accounts::sessions::PERSON;
use crate::storage::accounts::{self, SignedIn};
use crate::storage::{Db, StorageError};

/// Paths anyone may reach: the sign-in pages and forms, health, the bundle,
/// the language switch, unsubscribe links (signed) and public files.
pub fn is_public(path: &str) -> bool {
    path == "/sign-in"
        || path.starts_with("/sign-in/")
        || path == "/healthz"
        || path.starts_with("/pkg/")
        || path.starts_with("/language/")
        || path.starts_with("/unsubscribe/")
        || is_file(path)
}

/// A public file such as `/favicon.svg`: its last segment has an extension.
fn is_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// Lets a request through when someone is signed in, with who it is in its
/// extensions (pages and server functions read it there). Otherwise pages
/// redirect to the sign-in page and everything else answers 401.
pub async fn gate(
    State(db): State<Db>,
    State(sign_in): State<SignInSettings>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    if path.starts_with("/pkg/") || path == "/healthz" || is_file(&path) {
        return next.run(request).await;
    }
    let signed_in = match current(&db, &session).await {
        Ok(signed_in) => signed_in,
        Err(error) => {
            tracing::error!(%error, "cannot read the session");
            return unavailable_answer(&path);
        }
    };
    match signed_in {
        Some(signed_in) => {
            if let Some(recheck) = recheck(&db, &sign_in, &session, &request).await {
                return recheck;
            }
            if signed_in.language.is_none() {
                // Their mail is written in the language they first read Cairn in.
                let code = preferred_language(request.headers());
                if let Err(error) =
                    crate::storage::notices::set_language(&db, signed_in.actor.person, code).await
                {
                    tracing::warn!(%error, "cannot remember a person's language");
                }
            }
            request.extensions_mut().insert(signed_in);
            next.run(request).await
        }
        None if is_public(&path) => next.run(request).await,
        None if path.starts_with("/api/") || path == "/events" => unauthenticated(),
        None => {
            let here = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
            Redirect::to(&format!("/sign-in?next={}", encode(here))).into_response()
        }
    }
}

/// The language Cairn speaks that a request's Accept-Language prefers (the
/// language switch's choice is put there before the gate): `nl` or `en`.
pub fn preferred_language(headers: &HeaderMap) -> &'static str {
    let header = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(f32, &'static str)> = None;
    for part in header.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let code = match tag.split('-').next() {
            Some("nl") => "nl",
            Some("en") => "en",
            _ => continue,
        };
        if best.is_none_or(|(best_q, _)| q > best_q) {
            best = Some((q, code));
        }
    }
    best.map_or("en", |(_, code)| code)
}

/// The signed-in person as a handler's argument (the gate put them in the
/// request); 401 for anyone else.
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for SignedIn {
    type Rejection = StatusCode;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<SignedIn>()
            .cloned()
            .ok_or(StatusCode::UNAUTHORIZED)
    }
}

/// How long to wait before trying again while the database cannot be reached.
pub const RETRY_AFTER_SECONDS: u32 = 5;

/// The answer while the database cannot be reached: a short page for people
/// (in both languages: which one they chose is in the database too), the typed
/// error for scripts and server functions; either way 503 with Retry-After.
pub fn unavailable_answer(path: &str) -> Response {
    let retry = (header::RETRY_AFTER, RETRY_AFTER_SECONDS.to_string());
    if path.starts_with("/api/") || path == "/events" {
        let mut response = refusal(StatusCode::SERVICE_UNAVAILABLE, &AppError::Unavailable);
        if let Ok(value) = retry.1.parse() {
            response.headers_mut().insert(retry.0, value);
        }
        return response;
    }
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Cairn · unavailable</title><link rel=\"stylesheet\" href=\"/pkg/cairn.css\"></head>\
         <body><main id=\"main\"><section class=\"not-found\"><h1>Cairn cannot reach its database</h1>\
         <p role=\"alert\">Nothing was lost, and nothing you sent just now was saved. Try again in a few \
         seconds; this page does not change by itself.</p>\
         <p lang=\"nl\">Cairn kan zijn database niet bereiken. Er is niets verloren, en wat u net verstuurde \
         is niet opgeslagen. Probeer het over een paar seconden opnieuw.</p>\
         <p><a href=\"{}\">Try again · Opnieuw</a></p></section></main></body></html>",
        crate::html::escape(path)
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
            retry,
        ],
        page,
    )
        .into_response()
}

fn unauthenticated() -> Response {
    refusal(StatusCode::UNAUTHORIZED, &AppError::Unauthenticated)
}

/// An answer with a typed error, read by server function clients like their own.
fn refusal(status: StatusCode, error: &AppError) -> Response {
    let body = serde_json::to_string(error).unwrap_or_default();
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::HeaderName::from_static("serverfnerror"), "1"),
        ],
        body,
    )
        .into_response()
}

/// The person a session belongs to, while their account is active.
/// A session that came through a provider is checked with it again once it is
/// older than the settings allow: the next full page load goes through the
/// provider without a prompt, which applies the person's groups anew (or ends the
/// session when the provider no longer knows them). Islands-router fetches and
/// everything but pages pass: a fetch cannot follow the browser to the provider.
fn recheck<'a>(
    db: &'a Db,
    settings: &'a SignInSettings,
    session: &'a Session,
    request: &Request,
) -> impl Future<Output = Option<Response>> + Send + 'a {
    let page = request.method() == Method::GET
        && !request.headers().contains_key("islands-router")
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
    let path = request.uri().path();
    let skip = !page
        || is_public(path)
        || path.starts_with("/api/")
        || path == "/events"
        || path == "/sign-out";
    let here = request
        .uri()
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_string();
    async move {
        if skip {
            return None;
        }
        recheck_due(db, settings, session, here).await
    }
}

async fn recheck_due(
    db: &Db,
    settings: &SignInSettings,
    session: &Session,
    here: String,
) -> Option<Response> {
    let mut at_provider = session
        .get::<ProviderSession>(PROVIDER_SESSION)
        .await
        .ok()
        .flatten()?;
    // The page a check was made for is let through, however short the interval.
    if at_provider.fresh {
        at_provider.fresh = false;
        let _ = session.insert(PROVIDER_SESSION, &at_provider).await;
        return None;
    }
    if db.now_ms() - at_provider.checked_ms < settings.recheck_ms {
        return None;
    }
    Some(
        Redirect::to(&format!(
            "/sign-in/oidc/{}?silent=1&next={}",
            encode(&at_provider.provider),
            encode(&here)
        ))
        .into_response(),
    )
}

async fn current(db: &Db, session: &Session) -> Result<Option<SignedIn>, StorageError> {
    let person = match session.get::<i64>(PERSON).await {
        Ok(Some(person)) => person,
        Ok(None) => return Ok(None),
        Err(error) => return Err(StorageError::Corrupt(error.to_string())),
    };
    accounts::signed_in(db, PersonId(person)).await
}

/// Refuses changes (anything but GET, HEAD, OPTIONS) sent from another site: the
/// browser's Sec-Fetch-Site says so, or Origin names another host. Requests with
/// neither (not from a browser) carry no ambient cookie risk and pass.
pub async fn same_origin(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    if cross_origin(request.headers()) {
        return refusal(StatusCode::FORBIDDEN, &AppError::CrossOrigin);
    }
    next.run(request).await
}

/// Whether a request's headers show it was sent by a page of another site.
pub fn cross_origin(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    match (text("origin"), text("host")) {
        (None, _) => false,
        (Some(origin), Some(host)) => {
            let origin_host = origin
                .split_once("://")
                .map_or("", |(_, rest)| rest.trim_end_matches('/'));
            !origin_host.eq_ignore_ascii_case(host)
        }
        (Some(_), None) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn the_preferred_language_is_the_best_one_cairn_speaks() {
        let language =
            |value: &'static str| preferred_language(&headers(&[("accept-language", value)]));
        assert_eq!(language("nl-NL,nl;q=0.9,en;q=0.8"), "nl");
        assert_eq!(language("de-DE, en;q=0.5, nl;q=0.7"), "nl");
        assert_eq!(language("fr"), "en");
        assert_eq!(language("nl"), "nl");
        assert_eq!(preferred_language(&HeaderMap::new()), "en");
    }

    #[test]
    fn cross_site_changes_are_recognised() {
        assert!(!cross_origin(&headers(&[("host", "okr.example")])));
        assert!(!cross_origin(&headers(&[
            ("host", "okr.example"),
            ("origin", "https://okr.example")
        ])));
        assert!(cross_origin(&headers(&[
            ("host", "okr.example"),
            ("origin", "https://evil.example")
        ])));
        assert!(cross_origin(&headers(&[
            ("host", "okr.example"),
            ("origin", "null")
        ])));
        assert!(cross_origin(&headers(&[
            ("sec-fetch-site", "cross-site"),
            ("host", "okr.example"),
            ("origin", "https://okr.example")
        ])));
        assert!(cross_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!cross_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
    }

    #[test]
    fn only_sign_in_and_files_are_public() {
        for open in [
            "/sign-in",
            "/sign-in/link/abc",
            "/healthz",
            "/pkg/cairn.wasm",
            "/favicon.svg",
            "/language/nl",
        ] {
            assert!(is_public(open), "{open}");
        }
        for closed in [
            "/",
            "/tree",
            "/api/check_in",
            "/events",
            "/objectives/3",
            "/account",
        ] {
            assert!(!is_public(closed), "{closed}");
        }
    }
}
