//! The wire contract of the outbox page.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutboxState {
    Queued,
    Sent,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxLine {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub state: OutboxState,
    pub attempts: i64,
    /// When it was queued, sent or given up (ms since the epoch).
    pub at_ms: i64,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxPage {
    /// Where mail goes (`smtp.example.com:587`), or None when mail is off.
    pub mail: Option<String>,
    pub queued: i64,
    pub failed: i64,
    pub sent: i64,
    pub lines: Vec<OutboxLine>,
}
