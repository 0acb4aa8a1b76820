//! Signing in with OpenID Connect providers: the authorization code flow with PKCE,
//! `state` and `nonce`, through the `openidconnect` crate, with each provider found
//! by discovery from its issuer. The flow's handlers are in `flow`, what the claims
//! say in `claims`; who the person is in Cairn is decided in storage
//! (`storage::accounts::identities`).

pub mod claims;
pub mod flow;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cairn::identity::GroupRule;
use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClientAuthMethod, CoreGrantType,
    CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{AdditionalProviderMetadata, IssuerUrl, ProviderMetadata};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

/// One provider as the operator set it up.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderSettings {
    /// Its id in Cairn's addresses (`/sign-in/oidc/<id>`): lower-case letters,
    /// digits and dashes.
    pub id: String,
    /// The button says "Sign in with <label>".
    pub label: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub scopes: Vec<String>,
    /// The claims that hold the email address, the name and the groups.
    pub email_claim: String,
    pub name_claim: String,
    pub groups_claim: String,
    /// Take the email claim as verified without `email_verified` (for providers
    /// that vouch for their addresses but do not say so, such as Entra ID).
    pub trust_email: bool,
    /// Email domains whose people may arrive by themselves (created at their first
    /// sign-in). With a list, only these domains are linked to existing people too.
    pub allowed_domains: Vec<String>,
    pub group_map: Vec<GroupRule>,
}

impl ProviderSettings {
    /// Settings with the usual claims and scopes.
    pub fn new(id: &str, issuer: &str, client_id: &str) -> Self {
        ProviderSettings {
            id: id.to_string(),
            label: id.to_string(),
            issuer: issuer.to_string(),
            client_id: client_id.to_string(),
            client_secret: None,
            scopes: DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect(),
            email_claim: "email".into(),
            name_claim: "name".into(),
            groups_claim: "groups".into(),
            trust_email: false,
            allowed_domains: Vec::new(),
            group_map: Vec::new(),
        }
    }
}

/// How many minutes a provider's word on a signed-in person counts by default.
pub const DEFAULT_RECHECK_MINUTES: i64 = 15;

/// The scopes asked for unless the settings say otherwise (`openid` always is).
pub const DEFAULT_SCOPES: &[&str] = &["openid", "email", "profile"];

/// Whether a provider id fits in an address as it is.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 32
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The part of a provider's discovery document beyond the core: where to send a
/// person to sign out there too (RP-initiated logout).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogoutMetadata {
    pub end_session_endpoint: Option<String>,
}

impl AdditionalProviderMetadata for LogoutMetadata {}

/// A provider's discovery document.
pub type Metadata = ProviderMetadata<
    LogoutMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// How long a discovery document (and its signing keys) is used before it is
/// fetched again.
const METADATA_FRESH: Duration = Duration::from_secs(15 * 60);

/// One provider: its settings and what discovery found.
pub struct Provider {
    pub settings: ProviderSettings,
    http: reqwest::Client,
    metadata: RwLock<Option<(Arc<Metadata>, Instant)>>,
    /// Why the last discovery failed, while it does.
    problem: Mutex<Option<String>>,
}

impl Provider {
    /// The discovery document, fetched when there is none or it is stale. A stale
    /// one is used while the provider cannot be reached.
    pub async fn metadata(&self) -> Result<Arc<Metadata>, String> {
        if let Some((metadata, at)) = self.metadata.read().await.as_ref()
            && at.elapsed() < METADATA_FRESH
        {
            return Ok(metadata.clone());
        }
        let mut slot = self.metadata.write().await;
        if let Some((metadata, at)) = slot.as_ref()
            && at.elapsed() < METADATA_FRESH
        {
            return Ok(metadata.clone());
        }
        match self.discover().await {
            Ok(metadata) => {
                let metadata = Arc::new(metadata);
                *slot = Some((metadata.clone(), Instant::now()));
                self.set_problem(None);
                Ok(metadata)
            }
            Err(problem) => {
                self.set_problem(Some(problem.clone()));
                match slot.as_ref() {
                    Some((metadata, _)) => Ok(metadata.clone()),
                    None => Err(problem),
                }
            }
        }
    }

    async fn discover(&self) -> Result<Metadata, String> {
        let issuer = IssuerUrl::new(self.settings.issuer.clone()).map_err(|e| e.to_string())?;
        Metadata::discover_async(issuer, &self.http)
            .await
            .map_err(|error| {
                let mut text = error.to_string();
                let mut cause = std::error::Error::source(&error);
                while let Some(inner) = cause {
                    text.push_str(": ");
                    text.push_str(&inner.to_string());
                    cause = inner.source();
                }
                text
            })
    }

    fn set_problem(&self, problem: Option<String>) {
        if let Ok(mut slot) = self.problem.lock() {
            *slot = problem;
        }
    }

    /// Why the provider could not be reached last time, if it could not.
    pub fn problem(&self) -> Option<String> {
        self.problem.lock().ok().and_then(|p| p.clone())
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }
}

/// The providers people may sign in with.
#[derive(Clone, Default)]
pub struct Providers(Arc<Vec<Provider>>);

impl Providers {
    /// The providers of these settings, not yet discovered. The HTTP client
    /// follows no redirects (the crate's advice against request forgery) and
    /// gives up after ten seconds.
    pub fn new(settings: Vec<ProviderSettings>) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("cairn/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Providers(Arc::new(
            settings
                .into_iter()
                .map(|settings| Provider {
                    settings,
                    http: http.clone(),
                    metadata: RwLock::new(None),
                    problem: Mutex::new(None),
                })
                .collect(),
        )))
    }

    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.0.iter().find(|p| p.settings.id == id)
    }

    pub fn all(&self) -> &[Provider] {
        &self.0
    }

    /// Discovers every provider once, logging the ones that cannot be reached;
    /// each is tried again when someone chooses it.
    pub async fn discover_all(&self) {
        for provider in self.all() {
            match provider.metadata().await {
                Ok(_) => tracing::info!(
                    provider = %provider.settings.id,
                    issuer = %provider.settings.issuer,
                    "identity provider found"
                ),
                Err(problem) => tracing::warn!(
                    provider = %provider.settings.id,
                    issuer = %provider.settings.issuer,
                    %problem,
                    "identity provider cannot be reached; its sign-in button says so until it can"
                ),
            }
        }
    }
}

/// How people sign in here.
#[derive(Clone)]
pub struct SignInSettings {
    pub providers: Providers,
    /// Whether the email-and-password form is offered.
    pub password: bool,
    /// The address people reach Cairn at; None: the request's own host.
    pub public_url: Option<String>,
    /// How old a provider's word on a signed-in person may get before the next
    /// page load asks the provider again (and applies the groups anew).
    pub recheck_ms: i64,
}

impl Default for SignInSettings {
    fn default() -> Self {
        SignInSettings {
            providers: Providers::default(),
            password: true,
            public_url: None,
            recheck_ms: DEFAULT_RECHECK_MINUTES * 60_000,
        }
    }
}
