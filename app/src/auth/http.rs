//! The HTTP side of accounts: the sign-in, sign-out, link and password forms, the
//! gate that lets only signed-in people in, and the same-origin check on changes.

use std::net::SocketAddr;

use axum::Form;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use cairn::access::Password;
use cairn::ids::PersonId;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use time::OffsetDateTime;
use tower_sessions::{Expiry, Session};

use super::server::{self, SESSION_DAYS, SignInRefused};
use crate::error::AppError;
use crate::storage::accounts::{self, SignedIn};
use crate::storage::sessions::{PERSON, session_key};
use crate::storage::{Db, StorageError};

/// Paths anyone may reach: the sign-in pages and forms, health, the bundle,
/// the language switch and public files.
pub fn is_public(path: &str) -> bool {
    path == "/sign-in"
        || path.starts_with("/sign-in/")
        || path == "/healthz"
        || path.starts_with("/pkg/")
        || path.starts_with("/language/")
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
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    match signed_in {
        Some(signed_in) => {
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

fn encode(text: &str) -> String {
    utf8_percent_encode(text, NON_ALPHANUMERIC).to_string()
}

/// Where to go after signing in: a path on this site, never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// `POST /sign-in`: email and password; on success a new session (a new id, so a
/// session fixed before sign-in is worthless) and off to `next`.
pub async fn sign_in(
    State(db): State<Db>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Session,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    let again = |code: &str, extra: &str| {
        Redirect::to(&format!(
            "/sign-in?error={code}{extra}&email={}&next={}",
            encode(form.email.trim()),
            encode(&next)
        ))
        .into_response()
    };
    let address = peer.ip().to_string();
    match server::check_sign_in(&db, &form.email, &form.password, &address).await {
        Ok(Ok(person)) => match start_session(&session, person).await {
            Ok(()) => Redirect::to(&next).into_response(),
            Err(response) => response,
        },
        Ok(Err(SignInRefused::Wrong)) => again("wrong", ""),
        Ok(Err(SignInRefused::TooMany { minutes })) => {
            again("too_many", &format!("&wait={minutes}"))
        }
        Err(error) => {
            tracing::error!(%error, "sign-in failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// A fresh session id for `person`, lasting SESSION_DAYS.
async fn start_session(session: &Session, person: PersonId) -> Result<(), Response> {
    let fail = |error: tower_sessions::session::Error| {
        tracing::error!(%error, "cannot start a session");
        StatusCode::SERVICE_UNAVAILABLE.into_response()
    };
    session.cycle_id().await.map_err(fail)?;
    session.insert(PERSON, person.0).await.map_err(fail)?;
    session.set_expiry(Some(Expiry::AtDateTime(
        OffsetDateTime::now_utc() + time::Duration::days(SESSION_DAYS),
    )));
    Ok(())
}

/// `POST /sign-out`: the session ends on the server, not only in this browser.
pub async fn sign_out(session: Session) -> Response {
    if let Err(error) = session.flush().await {
        tracing::error!(%error, "cannot end a session");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    Redirect::to("/sign-in?signed_out=1").into_response()
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    token: String,
}

/// `POST /sign-in/link`: uses a one-time link, then on to the account page to set a
/// password.
pub async fn redeem_link(
    State(db): State<Db>,
    session: Session,
    Form(form): Form<LinkForm>,
) -> Response {
    match server::redeem_sign_in_link(&db, &form.token).await {
        Ok(Some(person)) => match start_session(&session, person).await {
            Ok(()) => Redirect::to("/account?welcome=1").into_response(),
            Err(response) => response,
        },
        Ok(None) => Redirect::to("/sign-in?error=link").into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot use a sign-in link");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /account/password`: checks the current password (when there is one), sets
/// the new one, renews this session's id and ends every other session.
pub async fn change_password(
    State(db): State<Db>,
    session: Session,
    request_signed_in: Option<axum::Extension<SignedIn>>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let Some(axum::Extension(me)) = request_signed_in else {
        return Redirect::to("/sign-in?next=%2Faccount").into_response();
    };
    let person = me.actor.person;
    let refuse = |code: &str| Redirect::to(&format!("/account?error={code}")).into_response();
    let stored = match accounts::password_hash(&db, person).await {
        Ok(stored) => stored,
        Err(error) => return unavailable(error),
    };
    if stored.is_some() && !server::verify_password(stored, &form.current).await {
        return refuse("current_wrong");
    }
    let password = match Password::parse(&form.new) {
        Ok(password) => password,
        Err(problem) => return refuse(problem.code()),
    };
    if form.new != form.confirm {
        return refuse("mismatch");
    }
    let hash = match server::hash_password(&password).await {
        Ok(hash) => hash,
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    if let Err(response) = start_session(&session, person).await {
        return response;
    }
    // The renewed id is stored when this response goes out; keep only it.
    let keep = session.id().map(|id| session_key(&id));
    if let Err(error) = session.save().await {
        tracing::error!(%error, "cannot save the session");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let keep = keep.or_else(|| session.id().map(|id| session_key(&id)));
    match accounts::set_password(&db, Some(person), person, &hash, keep.as_deref()).await {
        Ok(()) => Redirect::to("/account?done=1").into_response(),
        Err(error) => unavailable(error),
    }
}

fn unavailable(error: StorageError) -> Response {
    tracing::error!(%error, "account change failed");
    StatusCode::SERVICE_UNAVAILABLE.into_response()
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
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/tree?q=x")), "/tree?q=x");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "tree",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
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
