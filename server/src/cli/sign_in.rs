//! How people sign in: passwords on or off, and the OpenID provider(s).
//!
//! One provider is set by the `--oidc-*` flags (or `CAIRN_OIDC_*`, or the same
//! keys in the configuration file); more by `--oidc-providers FILE`, a TOML file of
//! `[[provider]]` tables with the same keys without the `oidc-` prefix.

use std::path::{Path, PathBuf};

use app::auth::oidc::{DEFAULT_SCOPES, ProviderSettings, Providers, SignInSettings, valid_id};
use cairn::identity::{GroupRule, parse_rule};
use clap::{Args, ValueEnum};
use serde::Deserialize;

/// Whether the email-and-password form is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

#[derive(Debug, Args)]
pub struct SignInArgs {
    /// `off` hides the password form and refuses passwords (needs a provider).
    /// One-time sign-in links keep working, so `cairn admin create` still lets an
    /// admin in.
    #[arg(long, env = "CAIRN_PASSWORD_SIGN_IN", value_enum, default_value = "on")]
    pub password_sign_in: Switch,

    /// An OpenID provider's issuer URL (discovery reads
    /// `<issuer>/.well-known/openid-configuration`), such as
    /// `https://login.microsoftonline.com/<tenant>/v2.0`.
    #[arg(long, env = "CAIRN_OIDC_ISSUER", value_parser = parse_issuer)]
    pub oidc_issuer: Option<String>,

    /// The client id Cairn has at the provider.
    #[arg(long, env = "CAIRN_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,

    /// The client secret (prefer `--oidc-client-secret-file`).
    #[arg(long, env = "CAIRN_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,

    /// A file holding the client secret (its whitespace around is dropped).
    #[arg(long, env = "CAIRN_OIDC_CLIENT_SECRET_FILE")]
    pub oidc_client_secret_file: Option<PathBuf>,

    /// The provider's id in Cairn's addresses: the redirect URL to register at the
    /// provider is `<public URL>/sign-in/oidc/<id>/callback`.
    #[arg(long, env = "CAIRN_OIDC_ID", default_value = "sso", value_parser = parse_id)]
    pub oidc_id: String,

    /// What the button says after "Sign in with": `Microsoft`, `Google`, `Keycloak`.
    #[arg(long, env = "CAIRN_OIDC_LABEL", default_value = "single sign-on")]
    pub oidc_label: String,

    /// The scopes asked for, comma-separated (`openid` always is).
    #[arg(long, env = "CAIRN_OIDC_SCOPES", value_delimiter = ',', default_values_t = DEFAULT_SCOPES.iter().map(|s| s.to_string()))]
    pub oidc_scopes: Vec<String>,

    /// The claim holding the email address (`email`; `upn` or `preferred_username`
    /// for some Entra ID set-ups).
    #[arg(long, env = "CAIRN_OIDC_EMAIL_CLAIM", default_value = "email")]
    pub oidc_email_claim: String,

    /// The claim holding the person's name.
    #[arg(long, env = "CAIRN_OIDC_NAME_CLAIM", default_value = "name")]
    pub oidc_name_claim: String,

    /// The claim holding the person's groups (a list of names or ids).
    #[arg(long, env = "CAIRN_OIDC_GROUPS_CLAIM", default_value = "groups")]
    pub oidc_groups_claim: String,

    /// Take the email claim as verified although the provider sends no
    /// `email_verified` (Entra ID: its addresses are the tenant's own).
    #[arg(long, env = "CAIRN_OIDC_TRUST_EMAIL")]
    pub oidc_trust_email: bool,

    /// Email domains (comma-separated) whose people are created at their first
    /// sign-in. With a list, people Cairn knows are linked only within it too;
    /// without one, only people Cairn knows (by verified email) get in.
    #[arg(long, env = "CAIRN_OIDC_ALLOWED_DOMAINS", value_delimiter = ',')]
    pub oidc_allowed_domains: Vec<String>,

    /// What groups make people, applied at every sign-in: `group=admin`,
    /// `group=Unit name` (a member) or `group=Unit name:lead`; several separated by
    /// `;`. The units it names and (with an admin rule) the admin right follow the
    /// groups; everything else stays as admins set it.
    #[arg(long, env = "CAIRN_OIDC_GROUP_MAP", value_delimiter = ';', value_parser = parse_group_rule)]
    pub oidc_group_map: Vec<GroupRule>,

    /// How many minutes a provider's word on a signed-in person counts: after
    /// that, the next page load goes through the provider again (without a prompt
    /// while the provider's session lasts), which applies the groups anew and ends
    /// the session when the provider no longer signs the person in.
    #[arg(long, env = "CAIRN_OIDC_RECHECK_MINUTES", default_value_t = app::auth::oidc::DEFAULT_RECHECK_MINUTES, value_parser = clap::value_parser!(i64).range(0..=24 * 60))]
    pub oidc_recheck_minutes: i64,

    /// A TOML file of more providers: `[[provider]]` tables with `id`, `label`,
    /// `issuer`, `client_id`, `client_secret` or `client_secret_file`, and the
    /// other keys of the `--oidc-*` flags without the prefix.
    #[arg(long, env = "CAIRN_OIDC_PROVIDERS")]
    pub oidc_providers: Option<PathBuf>,
}

fn parse_issuer(text: &str) -> Result<String, String> {
    let text = text.trim();
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "https" | "http") && url.host().is_some() => {
            Ok(text.to_string())
        }
        _ => Err(
            "give the provider's issuer URL, such as https://id.example.com/realms/staff".into(),
        ),
    }
}

fn parse_id(text: &str) -> Result<String, String> {
    if valid_id(text) {
        Ok(text.to_string())
    } else {
        Err("use 1 to 32 lower-case letters, digits and dashes".into())
    }
}

fn parse_group_rule(text: &str) -> Result<GroupRule, String> {
    parse_rule(text).map_err(|e| e.to_string())
}

/// One provider of an `--oidc-providers` file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileProvider {
    id: String,
    label: Option<String>,
    issuer: String,
    client_id: String,
    client_secret: Option<String>,
    client_secret_file: Option<PathBuf>,
    scopes: Option<Vec<String>>,
    email_claim: Option<String>,
    name_claim: Option<String>,
    groups_claim: Option<String>,
    #[serde(default)]
    trust_email: bool,
    #[serde(default)]
    allowed_domains: Vec<String>,
    #[serde(default)]
    group_map: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvidersFile {
    #[serde(default)]
    provider: Vec<FileProvider>,
}

fn read_secret(path: &Path) -> Result<String, String> {
    let secret = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the client secret file {}: {e}", path.display()))?;
    Ok(secret.trim().to_string())
}

impl SignInArgs {
    /// The settings, every problem said at once.
    pub fn settings(&self, public_url: Option<String>) -> Result<SignInSettings, Vec<String>> {
        let mut problems = Vec::new();
        let mut providers = Vec::new();
        match (&self.oidc_issuer, &self.oidc_client_id) {
            (Some(issuer), Some(client_id)) => {
                let mut provider = ProviderSettings::new(&self.oidc_id, issuer, client_id);
                provider.label = self.oidc_label.trim().to_string();
                provider.client_secret =
                    match (&self.oidc_client_secret, &self.oidc_client_secret_file) {
                        (Some(_), Some(_)) => {
                            problems.push("give the client secret or its file, not both".into());
                            None
                        }
                        (Some(secret), None) => Some(secret.clone()),
                        (None, Some(path)) => read_secret(path).map_err(|e| problems.push(e)).ok(),
                        (None, None) => None,
                    };
                provider.scopes = self.oidc_scopes.clone();
                provider.email_claim = self.oidc_email_claim.clone();
                provider.name_claim = self.oidc_name_claim.clone();
                provider.groups_claim = self.oidc_groups_claim.clone();
                provider.trust_email = self.oidc_trust_email;
                provider.allowed_domains = self.oidc_allowed_domains.clone();
                provider.group_map = self.oidc_group_map.clone();
                providers.push(provider);
            }
            (Some(_), None) => problems.push("--oidc-issuer needs --oidc-client-id".into()),
            (None, Some(_)) => problems.push("--oidc-client-id needs --oidc-issuer".into()),
            (None, None) => {}
        }
        if let Some(path) = &self.oidc_providers {
            match from_file(path) {
                Ok(more) => providers.extend(more),
                Err(mut more) => problems.append(&mut more),
            }
        }
        for (i, provider) in providers.iter().enumerate() {
            if providers[..i].iter().any(|p| p.id == provider.id) {
                problems.push(format!("two providers have the id `{}`", provider.id));
            }
        }
        let password = self.password_sign_in == Switch::On;
        if !password && providers.is_empty() {
            problems.push(
                "--password-sign-in off needs an identity provider, or nobody could sign in".into(),
            );
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let providers = Providers::new(providers).map_err(|e| vec![e])?;
        Ok(SignInSettings {
            providers,
            password,
            public_url,
            recheck_ms: self.oidc_recheck_minutes * 60_000,
        })
    }
}

/// The providers of an `--oidc-providers` file.
fn from_file(path: &Path) -> Result<Vec<ProviderSettings>, Vec<String>> {
    let at = |problem: String| format!("{}: {problem}", path.display());
    let text = std::fs::read_to_string(path).map_err(|e| vec![at(e.to_string())])?;
    let file: ProvidersFile =
        toml::from_str(&text).map_err(|e| vec![at(e.message().to_string())])?;
    let mut problems = Vec::new();
    let mut providers = Vec::new();
    for entry in file.provider {
        let mut check = |result: Result<String, String>, key: &str| {
            result
                .map_err(|e| problems.push(at(format!("provider {}: {key}: {e}", entry.id))))
                .ok()
        };
        let (Some(id), Some(issuer)) = (
            check(parse_id(&entry.id), "id"),
            check(parse_issuer(&entry.issuer), "issuer"),
        ) else {
            continue;
        };
        let mut provider = ProviderSettings::new(&id, &issuer, &entry.client_id);
        provider.label = entry.label.unwrap_or_else(|| id.clone());
        provider.client_secret = match (entry.client_secret, entry.client_secret_file) {
            (Some(secret), None) => Some(secret),
            (None, Some(file)) => check(read_secret(&file), "client_secret_file"),
            (None, None) => None,
            (Some(_), Some(_)) => check(
                Err("give the secret or its file, not both".into()),
                "client_secret",
            ),
        };
        if let Some(scopes) = entry.scopes {
            provider.scopes = scopes;
        }
        provider.email_claim = entry.email_claim.unwrap_or(provider.email_claim);
        provider.name_claim = entry.name_claim.unwrap_or(provider.name_claim);
        provider.groups_claim = entry.groups_claim.unwrap_or(provider.groups_claim);
        provider.trust_email = entry.trust_email;
        provider.allowed_domains = entry.allowed_domains;
        for rule in &entry.group_map {
            match parse_rule(rule) {
                Ok(rule) => provider.group_map.push(rule),
                Err(e) => problems.push(at(format!("provider {id}: group_map: {e}"))),
            }
        }
        providers.push(provider);
    }
    if problems.is_empty() {
        Ok(providers)
    } else {
        Err(problems)
    }
}
