//! The wire contract of accounts and sign-in: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use serde::{Deserialize, Serialize};

/// The signed-in person's account, for the account page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub name: String,
    pub email: String,
    pub admin: bool,
    pub has_password: bool,
    /// Whether a new password needs the current one (not just after a sign-in link).
    pub current_needed: bool,
    /// Whether passwords sign in here at all (else the password form is left out).
    pub password_sign_in: bool,
    /// For a session that came through a provider: the link that signs out here
    /// and there.
    pub sign_out_link: Option<String>,
    /// What the last password form did (shown once).
    pub outcome: Option<crate::forms::Outcome>,
}
