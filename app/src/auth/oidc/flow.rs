//! The HTTP side of signing in with a provider: `GET /sign-in/oidc/<id>` sends the
//! browser to the provider, `GET /sign-in/oidc/<id>/callback` takes its answer.
//! What the flow must remember between the two (state, nonce, PKCE verifier, where
//! to go next) is kept in the browser's session on the server and used once.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use openidconnect::core::{CoreAuthPrompt, CoreAuthenticationFlow, CoreClient, CoreGenderClaim};
use openidconnect::{
    AccessToken, AdditionalClaims, AuthorizationCode, ClaimsVerificationError, ClientId,
    ClientSecret, CsrfToken, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, RequestTokenError, Scope, SubjectIdentifier, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tower_sessions::Session;

use super::claims::{Vouched, payload, vouched};
use super::{Provider, SignInSettings};
use crate::auth::http::{encode, start_session};
use crate::auth::notice::{SignInNotice, SsoRefusal};
use crate::auth::return_to;
use crate::metrics::{SignInFailure, sign_in_failed};
use crate::storage::Db;
use crate::storage::accounts::identities::{self, Arrival, ArrivalRefused};

/// The session key of a sign-in under way.
const FLOW: &str = "oidc_flow";
/// The session key of a signed-in session's provider (see `ProviderSession`).
pub const PROVIDER_SESSION: &str = "oidc_session";
/// How long a person may take at the provider.
const FLOW_MS: i64 = 10 * 60 * 1000;

/// A sign-in under way, between leaving for the provider and coming back.
#[derive(Serialize, Deserialize)]
struct Flow {
    provider: String,
    state: String,
    nonce: String,
    verifier: String,
    redirect: String,
    next: String,
    started_ms: i64,
    /// Started by the gate to check a signed-in session again, without a prompt.
    silent: bool,
}

/// A session that came through a provider: which, the ID token (for signing out
/// there), and when the provider last vouched for the person (for checking again).
#[derive(Serialize, Deserialize)]
pub struct ProviderSession {
    pub provider: String,
    pub id_token: String,
    pub checked_ms: i64,
    /// Just checked: the next page is let through without checking again.
    pub fresh: bool,
    /// The secret of this session's sign-out link (`GET /sign-out?token=`): a
    /// page navigation, which can follow the browser on to the provider.
    pub sign_out_token: String,
}

impl ProviderSession {
    /// The signed-in session's, from a server function's request.
    pub async fn of_request() -> Option<ProviderSession> {
        let session = leptos::prelude::use_context::<axum::http::request::Parts>()?
            .extensions
            .get::<Session>()
            .cloned()?;
        session.get(PROVIDER_SESSION).await.ok().flatten()
    }
}

/// Back to the sign-in page, saying why.
fn refused(provider: &str, why: SsoRefusal) -> Response {
    sign_in_failed(SignInFailure::Sso(why));
    let notice = SignInNotice::Sso(why).query();
    Redirect::to(&format!("/sign-in?{notice}&via={}", encode(provider))).into_response()
}

/// The address people reach Cairn at: the configured one, or this request's host.
pub fn base_url(settings: &SignInSettings, headers: &HeaderMap) -> String {
    if let Some(url) = &settings.public_url {
        return url.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()))
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

#[derive(Deserialize)]
pub struct StartQuery {
    next: Option<String>,
    /// `1`: the gate checks a session again; the provider must not prompt.
    silent: Option<String>,
}

/// `GET /sign-in/oidc/<id>`: off to the provider, with a new state, nonce and
/// PKCE challenge remembered in this browser's session.
pub async fn start(
    State(settings): State<SignInSettings>,
    State(db): State<Db>,
    Path(id): Path<String>,
    Query(query): Query<StartQuery>,
    headers: HeaderMap,
    session: Session,
) -> Response {
    let Some(provider) = settings.providers.get(&id) else {
        return refused(&id, SsoRefusal::UnknownProvider);
    };
    let next = return_to::local(query.next.as_deref()).unwrap_or_else(|_| "/".to_string());
    let metadata = match provider.metadata().await {
        Ok(metadata) => metadata,
        Err(problem) => {
            tracing::warn!(provider = %id, %problem, "identity provider cannot be reached");
            return refused(&id, SsoRefusal::Unavailable);
        }
    };
    let redirect = format!(
        "{}/sign-in/oidc/{id}/callback",
        base_url(&settings, &headers)
    );
    let Ok(redirect_url) = RedirectUrl::new(redirect.clone()) else {
        return refused(&id, SsoRefusal::Unavailable);
    };
    let client = client(provider, &metadata).set_redirect_uri(redirect_url);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client.authorize_url(
        CoreAuthenticationFlow::AuthorizationCode,
        CsrfToken::new_random,
        Nonce::new_random,
    );
    for scope in &provider.settings.scopes {
        if scope != "openid" {
            request = request.add_scope(Scope::new(scope.clone()));
        }
    }
    let silent = query.silent.as_deref() == Some("1");
    if silent {
        request = request.add_prompt(CoreAuthPrompt::None);
    }
    let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
    let flow = Flow {
        provider: id.clone(),
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
        redirect,
        next,
        started_ms: db.now_ms(),
        silent,
    };
    if let Err(error) = session.insert(FLOW, flow).await {
        tracing::error!(%error, "cannot keep the sign-in flow in the session");
        return crate::auth::gate::unavailable_answer("/sign-in");
    }
    Redirect::to(url.as_str()).into_response()
}

type Client = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

fn client(provider: &Provider, metadata: &super::Metadata) -> Client {
    CoreClient::from_provider_metadata(
        metadata.clone(),
        ClientId::new(provider.settings.client_id.clone()),
        provider
            .settings
            .client_secret
            .clone()
            .map(ClientSecret::new),
    )
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    /// The issuer of the answer (RFC 9207), from providers that send it.
    iss: Option<String>,
}

/// `GET /sign-in/oidc/<id>/callback`: the provider's answer. The flow is taken
/// out of the session first, so an answer is used once whatever happens next.
pub async fn callback(
    State(settings): State<SignInSettings>,
    State(db): State<Db>,
    Path(id): Path<String>,
    Query(query): Query<CallbackQuery>,
    session: Session,
) -> Response {
    let Some(provider) = settings.providers.get(&id) else {
        return refused(&id, SsoRefusal::UnknownProvider);
    };
    let flow: Option<Flow> = session.remove(FLOW).await.ok().flatten();
    let Some(flow) = flow.filter(|f| db.now_ms() - f.started_ms <= FLOW_MS) else {
        return refused(&id, SsoRefusal::NotStarted);
    };
    let silent = flow.silent;
    match arrive(&db, &id, provider, flow, query, &session).await {
        Ok(response) => response,
        Err(why) => {
            // A session checked again and refused ends here too.
            if silent && let Err(error) = session.flush().await {
                tracing::error!(%error, "cannot end a session");
            }
            let why = match why {
                SsoRefusal::ProviderError if silent => SsoRefusal::SessionEnded,
                why => why,
            };
            refused(&id, why)
        }
    }
}

/// The rest of the callback: the answer checked, the person found, the session
/// started; or why not.
async fn arrive(
    db: &Db,
    id: &str,
    provider: &Provider,
    flow: Flow,
    query: CallbackQuery,
    session: &Session,
) -> Result<Response, SsoRefusal> {
    if flow.provider != id || query.state.as_deref() != Some(flow.state.as_str()) {
        return Err(SsoRefusal::StateMismatch);
    }
    if let Some(error) = &query.error {
        tracing::info!(provider = %id, error = %error.chars().take(100).collect::<String>(), "the identity provider refused a sign-in");
        return Err(SsoRefusal::ProviderError);
    }
    if query
        .iss
        .as_deref()
        .is_some_and(|iss| iss != provider.settings.issuer)
    {
        return Err(SsoRefusal::WrongIssuer);
    }
    let code = query.code.ok_or(SsoRefusal::ProviderError)?;
    let (vouched, id_token) = vouch(provider, &flow, code).await?;
    let settings_of = &provider.settings;
    let allowed = cairn::identity::domain_allowed(&vouched.email, &settings_of.allowed_domains);
    let standing = cairn::identity::standing(&settings_of.group_map, &vouched.groups);
    let arrival = Arrival {
        provider: id,
        subject: &vouched.subject,
        email: &vouched.email,
        name: &vouched.name,
        may_create: allowed,
        may_link: allowed || settings_of.allowed_domains.is_empty(),
        standing: &standing,
    };
    let arrived = match identities::arrive(db, arrival).await {
        Ok(Ok(arrived)) => arrived,
        Ok(Err(refusal)) => {
            return Err(match refusal {
                ArrivalRefused::Deactivated => SsoRefusal::Deactivated,
                ArrivalRefused::LinkedElsewhere => SsoRefusal::LinkedElsewhere,
                ArrivalRefused::NotInvited if !settings_of.allowed_domains.is_empty() => {
                    SsoRefusal::DomainNotAllowed
                }
                ArrivalRefused::NotInvited => SsoRefusal::NotInvited,
            });
        }
        Err(error) => {
            tracing::error!(%error, "cannot sign in through an identity provider");
            return Ok(crate::auth::gate::unavailable_answer("/sign-in"));
        }
    };
    if !arrived.unknown_units.is_empty() {
        tracing::warn!(provider = %id, units = ?arrived.unknown_units, "the group map names units that do not exist (or not one each)");
    }
    if arrived.created {
        tracing::info!(provider = %id, person = arrived.person.0, "a person arrived through an identity provider");
    }
    if let Err(response) = start_session(session, arrived.person).await {
        return Ok(response);
    }
    let at_provider = ProviderSession {
        provider: id.to_string(),
        id_token,
        checked_ms: db.now_ms(),
        fresh: true,
        sign_out_token: CsrfToken::new_random().secret().clone(),
    };
    if let Err(error) = session.insert(PROVIDER_SESSION, at_provider).await {
        tracing::warn!(%error, "cannot remember the provider session");
    }
    Ok(Redirect::to(&flow.next).into_response())
}

/// Claims beyond the standard ones, kept as they came.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Extra {
    #[serde(flatten)]
    claims: Map<String, Value>,
}

impl AdditionalClaims for Extra {}

/// Exchanges the code and checks the ID token; the person it vouches for, and
/// the ID token itself (for signing out at the provider later).
async fn vouch(
    provider: &Provider,
    flow: &Flow,
    code: String,
) -> Result<(Vouched, String), SsoRefusal> {
    let metadata = provider
        .metadata()
        .await
        .map_err(|_| SsoRefusal::Unavailable)?;
    let redirect = RedirectUrl::new(flow.redirect.clone()).map_err(|_| SsoRefusal::NotStarted)?;
    let client = client(provider, &metadata).set_redirect_uri(redirect);
    let exchange = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|_| SsoRefusal::Unavailable)?
        .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier.clone()));
    let tokens = exchange
        .request_async(provider.http())
        .await
        .map_err(|error| match error {
            RequestTokenError::ServerResponse(answer) => {
                tracing::info!(provider = %provider.settings.id, error = %answer, "the identity provider refused the code");
                SsoRefusal::CodeRefused
            }
            other => {
                tracing::warn!(provider = %provider.settings.id, error = %other, "cannot exchange the code");
                SsoRefusal::Unavailable
            }
        })?;
    let id_token = tokens.id_token().ok_or(SsoRefusal::TokenInvalid)?;
    let verifier = client.id_token_verifier();
    let nonce = Nonce::new(flow.nonce.clone());
    let verified = id_token.claims(&verifier, &nonce).map_err(|error| {
        tracing::info!(provider = %provider.settings.id, %error, "an ID token was refused");
        match error {
            ClaimsVerificationError::InvalidIssuer(_) => SsoRefusal::WrongIssuer,
            ClaimsVerificationError::InvalidAudience(_) => SsoRefusal::WrongAudience,
            ClaimsVerificationError::Expired(_) => SsoRefusal::TokenExpired,
            _ => SsoRefusal::TokenInvalid,
        }
    })?;
    let subject = verified.subject().as_str().to_string();
    let raw = id_token.to_string();
    let mut claims = payload(&raw).ok_or(SsoRefusal::TokenInvalid)?;
    if let Ok(request) = client.user_info(
        AccessToken::new(tokens.access_token().secret().clone()),
        Some(SubjectIdentifier::new(subject.clone())),
    ) {
        match request
            .request_async::<Extra, _, CoreGenderClaim>(provider.http())
            .await
        {
            Ok(info) => {
                let info: UserInfoClaims<Extra, CoreGenderClaim> = info;
                if let Ok(Value::Object(more)) = serde_json::to_value(&info) {
                    claims.extend(more);
                }
            }
            Err(error) => {
                tracing::warn!(provider = %provider.settings.id, %error, "no user info; the ID token's claims are used alone");
            }
        }
    }
    let person = vouched(&provider.settings, &subject, &claims)?;
    Ok((person, raw))
}

/// Where signing out sends the browser: the provider's end-session endpoint when
/// this session came through a provider that has one, with the way back.
pub async fn sign_out_at_provider(
    settings: &SignInSettings,
    headers: &HeaderMap,
    logout: Option<ProviderSession>,
) -> Option<String> {
    let logout = logout?;
    let provider = settings.providers.get(&logout.provider)?;
    let metadata = provider.metadata().await.ok()?;
    let end = metadata
        .additional_metadata()
        .end_session_endpoint
        .as_deref()?;
    let mut url = url::Url::parse(end).ok()?;
    let back = format!("{}/sign-in/signed-out", base_url(settings, headers));
    url.query_pairs_mut()
        .append_pair("id_token_hint", &logout.id_token)
        .append_pair("post_logout_redirect_uri", &back)
        .append_pair("client_id", &provider.settings.client_id);
    Some(url.to_string())
}
