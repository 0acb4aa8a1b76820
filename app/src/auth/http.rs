//! The HTTP side of accounts: the sign-in, sign-out, link and password forms, the
//! gate that lets only signed-in people in, and the same-origin check on changes.

use axum::Form;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use cairn::access::Password;
use cairn::ids::PersonId;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use time::OffsetDateTime;
use tower_sessions::{Expiry, Session};

use super::client::ClientAddress;
use super::notice::SignInNotice;
use super::return_to;
use super::server::{self, SESSION_DAYS, SignInRefused};
use cairn::draft::FieldProblem;

use crate::error::AppError;
use crate::forms::Done;
use crate::storage::accounts::sessions::{PERSON, session_key};
use crate::storage::accounts::{self, SignedIn};
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
            return unavailable_answer(&path);
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
        html_escape(path)
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

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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

/// The cookie that keeps the email address of a refused sign-in for the form, so
/// the address never holds it.
pub const EMAIL_COOKIE: &str = "cairn_sign_in_email";

/// A return address that could forge a header: refused outright.
fn bad_return_address() -> Response {
    (
        StatusCode::BAD_REQUEST,
        "the return address holds control characters",
    )
        .into_response()
}

/// The email address a refused sign-in left for the form, if any.
pub fn remembered_email(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == EMAIL_COOKIE)
        .map(|(_, value)| {
            percent_encoding::percent_decode_str(value)
                .decode_utf8_lossy()
                .into_owned()
        })
}

/// A cookie for the sign-in form only, gone in ten minutes; an empty one clears it.
fn email_cookie(email: &str) -> String {
    let max_age = if email.is_empty() { 0 } else { 600 };
    format!(
        "{EMAIL_COOKIE}={}; Path=/sign-in; Max-Age={max_age}; HttpOnly; SameSite=Strict",
        encode(email)
    )
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
    client: Option<axum::Extension<ClientAddress>>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let Ok(next) = return_to::local(form.next.as_deref()) else {
        return bad_return_address();
    };
    let again = |notice: SignInNotice| {
        let mut response = Redirect::to(&format!(
            "/sign-in?{}&next={}",
            notice.query(),
            encode(&next)
        ))
        .into_response();
        let email: String = form.email.trim().chars().take(254).collect();
        if let Ok(cookie) = email_cookie(&email).parse() {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
        response
    };
    let address = client.map_or_else(|| "unknown".to_string(), |c| c.0.to_string());
    match server::check_sign_in(&db, &form.email, &form.password, &address).await {
        Ok(Ok(person)) => match start_session(&session, person).await {
            Ok(()) => {
                let mut response = Redirect::to(&next).into_response();
                if remembered_email(&headers).is_some()
                    && let Ok(cookie) = email_cookie("").parse()
                {
                    response.headers_mut().append(header::SET_COOKIE, cookie);
                }
                response
            }
            Err(response) => response,
        },
        Ok(Err(SignInRefused::Wrong)) => again(SignInNotice::Wrong),
        Ok(Err(SignInRefused::TooMany { minutes })) => again(SignInNotice::TooMany { minutes }),
        Err(error) => {
            tracing::error!(%error, "sign-in failed");
            unavailable_answer("/sign-in")
        }
    }
}

/// A fresh session id for `person`, lasting SESSION_DAYS.
async fn start_session(session: &Session, person: PersonId) -> Result<(), Response> {
    renew_session(session, person)
        .await
        .map_err(|_| unavailable_answer("/sign-in"))
}

/// Gives the session a new id (a session fixed before is worthless) for `person`.
async fn renew_session(session: &Session, person: PersonId) -> Result<(), AppError> {
    let fail = |error: tower_sessions::session::Error| {
        tracing::error!(%error, "cannot start a session");
        AppError::Unavailable
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
        return unavailable_answer("/account");
    }
    Redirect::to(&format!("/sign-in?{}", SignInNotice::SignedOut.query())).into_response()
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
        Ok(None) => {
            Redirect::to(&format!("/sign-in?{}", SignInNotice::LinkInvalid.query())).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "cannot use a sign-in link");
            unavailable_answer("/sign-in")
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
/// the new one, renews this session's id and ends every other session. The page
/// says what happened (see `forms`); passwords are never kept for it.
pub async fn change_password(
    State(db): State<Db>,
    session: Session,
    client: Option<axum::Extension<ClientAddress>>,
    request_signed_in: Option<axum::Extension<SignedIn>>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let Some(axum::Extension(me)) = request_signed_in else {
        return Redirect::to("/sign-in?next=%2Faccount").into_response();
    };
    let address = client.map_or_else(|| "unknown".to_string(), |c| c.0.to_string());
    let result = new_password(&db, &session, &me, &address, &form).await;
    crate::forms::answer(
        &session,
        "/account#password",
        PASSWORD_FORM,
        result,
        Vec::new(),
    )
    .await
}

/// The password form's id on the account page.
pub const PASSWORD_FORM: &str = "password";

async fn new_password(
    db: &Db,
    session: &Session,
    me: &SignedIn,
    address: &str,
    form: &PasswordForm,
) -> Result<Done, AppError> {
    let person = me.actor.person;
    let stored = accounts::password_hash(db, person).await?;
    if stored.is_some() {
        // Guessing the current password is limited like signing in.
        let current: String = form.current.chars().take(Password::MAX + 1).collect();
        let check = async {
            Ok(server::verify_password(stored, &current)
                .await
                .then_some(()))
        };
        match server::limited(db, &me.email, address, check).await? {
            Ok(()) => {}
            Err(SignInRefused::Wrong) => {
                return Err(AppError::Invalid {
                    field: "current".into(),
                    problem: FieldProblem::WrongPassword,
                });
            }
            Err(SignInRefused::TooMany { minutes }) => {
                return Err(AppError::TooManyAttempts { minutes });
            }
        }
    }
    let password = Password::parse(&form.new).map_err(|e| AppError::invalid("new", &e))?;
    if form.new != form.confirm {
        return Err(AppError::Invalid {
            field: "confirm".into(),
            problem: FieldProblem::NoMatch,
        });
    }
    let hash = server::hash_password(&password).await?;
    renew_session(session, person).await?;
    // The renewed id is stored when this response goes out; keep only it.
    let keep = session.id().map(|id| session_key(&id));
    session.save().await.map_err(|error| {
        tracing::error!(%error, "cannot save the session");
        AppError::Unavailable
    })?;
    let keep = keep.or_else(|| session.id().map(|id| session_key(&id)));
    accounts::set_password(db, Some(person), person, &hash, keep.as_deref()).await?;
    Ok(Done::Saved)
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
    fn the_refused_email_travels_in_a_cookie_of_its_own() {
        let cookie = email_cookie("anna+okr@example.nl");
        assert!(cookie.contains("HttpOnly") && cookie.contains("Path=/sign-in"));
        let value = cookie.split(';').next().unwrap();
        assert_eq!(
            remembered_email(&headers(&[])).as_deref(),
            None,
            "no cookie, no email"
        );
        let mut map = HeaderMap::new();
        map.insert(header::COOKIE, format!("a=1; {value}").parse().unwrap());
        assert_eq!(
            remembered_email(&map).as_deref(),
            Some("anna+okr@example.nl")
        );
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
