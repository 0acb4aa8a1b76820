//! The HTTP side of accounts: the sign-in, sign-out, link and password forms. The
//! gate in front of every page and the same-origin check are in `gate`.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cairn::access::Password;
use cairn::ids::PersonId;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use time::OffsetDateTime;
use tower_sessions::{Expiry, Session};

use super::client::ClientAddress;
use super::gate::unavailable_answer;
use super::notice::SignInNotice;
use super::oidc::{self, SignInSettings};
use super::return_to;
use super::server::{self, SESSION_DAYS, SignInRefused};
use cairn::draft::FieldProblem;

use crate::error::AppError;
use crate::forms::Done;
use crate::metrics::{SignInFailure, sign_in_failed};
use crate::storage::Db;
use crate::storage::accounts::sessions::{PERSON, session_key};
use crate::storage::accounts::{self, SignedIn};

pub(crate) fn encode(text: &str) -> String {
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
    State(settings): State<SignInSettings>,
    client: Option<axum::Extension<ClientAddress>>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let Ok(next) = return_to::local(form.next.as_deref()) else {
        return bad_return_address();
    };
    if !settings.password {
        return Redirect::to(&format!(
            "/sign-in?{}&next={}",
            SignInNotice::PasswordOff.query(),
            encode(&next)
        ))
        .into_response();
    }
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
        Ok(Err(SignInRefused::Wrong)) => {
            sign_in_failed(SignInFailure::Wrong);
            again(SignInNotice::Wrong)
        }
        Ok(Err(SignInRefused::TooMany { minutes })) => {
            sign_in_failed(SignInFailure::TooMany);
            again(SignInNotice::TooMany { minutes })
        }
        Err(error) => {
            tracing::error!(%error, "sign-in failed");
            unavailable_answer("/sign-in")
        }
    }
}

/// A fresh session id for `person`, lasting SESSION_DAYS.
pub(crate) async fn start_session(session: &Session, person: PersonId) -> Result<(), Response> {
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
/// A session that came through a provider signs out with its link instead (see
/// `sign_out_link`); posted here, it ends in Cairn and the provider is left be.
pub async fn sign_out(session: Session) -> Response {
    if let Err(error) = session.flush().await {
        tracing::error!(%error, "cannot end a session");
        return unavailable_answer("/account");
    }
    signed_out().await
}

#[derive(Deserialize)]
pub struct SignOutLink {
    #[serde(default)]
    token: String,
}

/// `GET /sign-out?token=`: a session that came through a provider ends here and
/// then at the provider, when it offers that (RP-initiated logout), coming back
/// to `/sign-in/signed-out`. A page navigation rather than a form, so the browser
/// follows on to the provider; the token (this session's own) keeps other sites
/// from signing anyone out.
pub async fn sign_out_link(
    State(settings): State<SignInSettings>,
    headers: HeaderMap,
    session: Session,
    axum::extract::Query(link): axum::extract::Query<SignOutLink>,
) -> Response {
    let at_provider = session
        .get::<oidc::flow::ProviderSession>(oidc::flow::PROVIDER_SESSION)
        .await
        .ok()
        .flatten();
    let Some(at_provider) = at_provider
        .filter(|p| !link.token.is_empty() && p.sign_out_token.as_bytes() == link.token.as_bytes())
    else {
        return Redirect::to("/account").into_response();
    };
    if let Err(error) = session.flush().await {
        tracing::error!(%error, "cannot end a session");
        return unavailable_answer("/account");
    }
    match oidc::flow::sign_out_at_provider(&settings, &headers, Some(at_provider)).await {
        Some(provider) => Redirect::to(&provider).into_response(),
        None => signed_out().await,
    }
}

/// `GET /sign-in/signed-out`: where a provider sends people back after signing
/// them out there.
pub async fn signed_out() -> Response {
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
            Ok(()) => {
                // Someone who forgot their password chooses a new one without it.
                if let Err(error) = session.insert(LINK_SIGN_IN, db.now_ms()).await {
                    tracing::warn!(%error, "cannot note a sign-in by link");
                }
                Redirect::to("/account?welcome=1").into_response()
            }
            Err(response) => response,
        },
        Ok(None) => {
            sign_in_failed(SignInFailure::Link);
            Redirect::to(&format!("/sign-in?{}", SignInNotice::LinkInvalid.query())).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "cannot use a sign-in link");
            unavailable_answer("/sign-in")
        }
    }
}

/// The session key of when it began with a one-time sign-in link.
const LINK_SIGN_IN: &str = "link_sign_in_at";

/// For this long after signing in with a link, a new password needs no current one.
const LINK_GRACE_MS: i64 = 60 * 60 * 1000;

/// Whether `session` began with a one-time link a short while ago (and has not
/// set a password since): the link stands in for the current password.
pub async fn fresh_from_link(db: &Db, session: &Session) -> bool {
    session
        .get::<i64>(LINK_SIGN_IN)
        .await
        .ok()
        .flatten()
        .is_some_and(|at| (0..=LINK_GRACE_MS).contains(&(db.now_ms() - at)))
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
    State(settings): State<SignInSettings>,
    session: Session,
    client: Option<axum::Extension<ClientAddress>>,
    request_signed_in: Option<axum::Extension<SignedIn>>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let Some(axum::Extension(me)) = request_signed_in else {
        return Redirect::to("/sign-in?next=%2Faccount").into_response();
    };
    if !settings.password {
        return Redirect::to("/account").into_response();
    }
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
pub const PASSWORD_FORM: &str = super::PASSWORD_FORM_ID;

async fn new_password(
    db: &Db,
    session: &Session,
    me: &SignedIn,
    address: &str,
    form: &PasswordForm,
) -> Result<Done, AppError> {
    let person = me.actor.person;
    let stored = accounts::password_hash(db, person).await?;
    if stored.is_some() && !fresh_from_link(db, session).await {
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
    // The link stood in for one new password only.
    if let Err(error) = session.remove::<i64>(LINK_SIGN_IN).await {
        tracing::warn!(%error, "cannot forget a sign-in by link");
    }
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
}
