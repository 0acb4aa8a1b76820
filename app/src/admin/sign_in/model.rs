//! The wire contract of the sign-in overview.

use cairn::identity::Grant;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignInOverview {
    /// Whether the email-and-password form is offered.
    pub password: bool,
    pub providers: Vec<ProviderOverview>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderOverview {
    pub id: String,
    pub label: String,
    pub issuer: String,
    pub client_id: String,
    /// What to register at the provider.
    pub redirect_url: String,
    pub signed_out_url: String,
    /// Why the provider cannot be reached, while it cannot.
    pub problem: Option<String>,
    pub allowed_domains: Vec<String>,
    pub groups_claim: String,
    pub rules: Vec<RuleOverview>,
    /// People signed in through it at least once.
    pub linked: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleOverview {
    pub group: String,
    pub grant: Grant,
    /// For a unit rule: whether exactly one active unit has that name.
    pub unit_found: bool,
}
