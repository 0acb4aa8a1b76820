//! The wire contract of the token pages.

use serde::{Deserialize, Serialize};

use crate::forms::Outcome;

/// A token as its list shows it: never its secret, only its first characters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenLine {
    pub id: i64,
    pub name: String,
    /// `cairn_AbCd…`: enough to tell tokens apart.
    pub prefix: String,
    /// `read check-in`
    pub scopes: String,
    pub created_ms: i64,
    pub expires_ms: Option<i64>,
    pub last_used_ms: Option<i64>,
    pub revoked: bool,
    /// Expired (and not revoked).
    pub expired: bool,
}

/// The tokens of the signed-in person, or (for admins) the service tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tokens {
    pub lines: Vec<TokenLine>,
    /// The last token form's outcome: a new token's secret, shown once.
    pub outcome: Option<Outcome>,
}
