//! Mail: what a message says (`Mail`, the outbox's payload), how it is sent over
//! SMTP (`sender`), and the sender that drains the outbox (`drain`).

#[cfg(feature = "ssr")]
pub mod drain;
#[cfg(feature = "ssr")]
pub mod sender;

use serde::{Deserialize, Serialize};

/// A message to one person: the outbox keeps it as JSON until it is sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    /// The one-click unsubscribe address (RFC 8058), for mail people may stop.
    #[serde(default)]
    pub unsubscribe: Option<String>,
}
