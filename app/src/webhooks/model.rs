//! The wire contract of the webhook pages.

use serde::{Deserialize, Serialize};

use crate::forms::Outcome;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookLine {
    pub id: i64,
    pub url: String,
    /// `check-ins moves`
    pub kinds: String,
    /// Its unit's id and name; None for the whole organisation.
    pub unit: Option<(i64, String)>,
    pub active: bool,
    /// Failed attempts in a row.
    pub failures: i64,
    pub queued: i64,
    pub sent: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhooksPage {
    pub lines: Vec<WebhookLine>,
    /// The units the reader may subscribe webhooks for (those they lead; every
    /// unit for admins).
    pub units: Vec<(i64, String)>,
    /// Whether the reader may subscribe for the whole organisation (admins).
    pub whole: bool,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryLine {
    pub id: i64,
    /// `check_in.create`, `webhook.test`, …
    pub event_type: String,
    pub created_ms: i64,
    /// queued, sent or skipped
    pub state: String,
    pub attempts: i64,
    pub last_ms: Option<i64>,
    pub last_status: Option<i64>,
    /// Why the last failed attempt failed (kept once it went through).
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookPage {
    pub line: WebhookLine,
    /// `whsec_…`: what receivers check signatures with.
    pub secret: String,
    /// The latest deliveries, newest first.
    pub deliveries: Vec<DeliveryLine>,
    pub outcome: Option<Outcome>,
}
