//! Who calls the API: a bearer token, checked on every request (revoked or
//! expired tokens are refused at once), limited in rate per token, working with
//! its person's rights (or, for a service token, an admin's) within its scopes.

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cairn::access::Actor;
use cairn::api::Scope;
use cairn::ids::PersonId;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::problem::Problem;
use crate::storage::accounts::sessions::hex_sha256;
use crate::storage::tokens::{self, Holder, Token};
use crate::storage::{Db, accounts};

/// The calling token and the rights it works with.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: Token,
    /// The person it acts as; None for a service token.
    pub person: Option<PersonId>,
    /// Its person's rights by the access rules, or an admin's for a service token.
    pub actor: Actor,
}

impl Caller {
    /// Refuses (403) unless the token has `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), Problem> {
        if self.token.scopes.allows(scope) {
            Ok(())
        } else {
            Err(Problem::new(
                "insufficient-scope",
                format!(
                    "this token's scopes are \"{}\"; this needs \"{}\"",
                    self.token.scopes.text(),
                    scope.as_str()
                ),
            ))
        }
    }

    /// The person a change is recorded as made by (a service token's have none).
    pub fn author(&self) -> Option<PersonId> {
        self.person
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Caller>().cloned().ok_or_else(|| {
            Problem::new(
                "unauthenticated",
                "send a token: Authorization: Bearer cairn_…",
            )
        })
    }
}

/// Requests per minute each token may make, in bursts of up to a tenth of that.
#[derive(Clone)]
pub struct Limits {
    limiter: Arc<DefaultKeyedRateLimiter<i64>>,
}

impl std::fmt::Debug for Limits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Limits")
    }
}

impl Limits {
    pub fn per_minute(requests: u32) -> Limits {
        let rate = NonZeroU32::new(requests.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new((requests / 10).max(1)).unwrap_or(NonZeroU32::MIN);
        Limits {
            limiter: Arc::new(RateLimiter::keyed(
                Quota::per_minute(rate).allow_burst(burst),
            )),
        }
    }

    /// Seconds `token` must wait before its next request; None when it may go on.
    fn wait(&self, token: i64) -> Option<u32> {
        use governor::clock::{Clock, DefaultClock};
        match self.limiter.check_key(&token) {
            Ok(()) => None,
            Err(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                Some(u32::try_from(wait.as_secs()).unwrap_or(u32::MAX).max(1))
            }
        }
    }
}

/// What authenticating a request needs.
#[derive(Clone)]
pub struct Gate {
    pub db: Db,
    pub limits: Limits,
}

impl<S> FromRef<S> for Gate
where
    Db: FromRef<S>,
    Limits: FromRef<S>,
{
    fn from_ref(state: &S) -> Gate {
        Gate {
            db: Db::from_ref(state),
            limits: Limits::from_ref(state),
        }
    }
}

/// Middleware: the bearer token becomes the request's `Caller`, or the request
/// is answered 401 (no token, an unknown, revoked or expired one, a person no
/// longer active) or 429 (the token's rate is used up).
pub async fn authenticate(State(gate): State<Gate>, mut request: Request, next: Next) -> Response {
    let secret = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.len() <= 200)
        .map(str::to_string);
    let Some(secret) = secret else {
        return Problem::new(
            "unauthenticated",
            "send a token: Authorization: Bearer cairn_…",
        )
        .into_response();
    };
    let caller = match caller(&gate.db, &secret).await {
        Ok(Some(caller)) => caller,
        Ok(None) => {
            crate::metrics::sign_in_failed(crate::metrics::SignInFailure::Token);
            return Problem::new(
                "unauthenticated",
                "this token is unknown, revoked or expired, or its person is no longer active",
            )
            .into_response();
        }
        Err(problem) => return problem.into_response(),
    };
    if let Some(seconds) = gate.limits.wait(caller.token.id) {
        return Problem::new(
            "too-many-requests",
            format!("this token sent too many requests; wait {seconds} s"),
        )
        .retry_after(seconds)
        .into_response();
    }
    request.extensions_mut().insert(caller);
    next.run(request).await
}

async fn caller(db: &Db, secret: &str) -> Result<Option<Caller>, Problem> {
    let Some(token) = tokens::by_hash(db, &hex_sha256(secret.as_bytes())).await? else {
        return Ok(None);
    };
    if !token.works_at(db.now_ms()) {
        return Ok(None);
    }
    Ok(match token.holder {
        Holder::Person(person) => accounts::signed_in(db, person).await?.map(|me| Caller {
            person: Some(person),
            actor: me.actor,
            token,
        }),
        Holder::Service => Some(Caller {
            person: None,
            actor: Actor {
                person: PersonId(0),
                admin: true,
                leads: Vec::new(),
                member_of: Vec::new(),
            },
            token,
        }),
    })
}
