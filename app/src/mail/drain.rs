//! The sender that drains the outbox: it takes due messages under a lease, sends
//! each, and records how it went. A temporary failure is tried again after a
//! back-off that doubles (up to an hour) until `max_attempts`; a permanent one is
//! kept with the server's reason. Several nodes drain one PostgreSQL outbox side
//! by side: a message is held by one of them at a time.

use std::time::Duration;

use futures::StreamExt;

use super::Mail;
use super::sender::{SendError, Sender};
use crate::storage::Db;
use crate::storage::outbox::{self, Leased, Outcome};

/// How long a sender holds a message before another may take it.
const LEASE_MS: i64 = 2 * 60 * 1000;
/// Messages taken at once.
const BATCH: i64 = 40;
/// Messages sent at once (each over a connection of its own, or one the pool keeps).
const AT_ONCE: usize = 8;
/// The longest wait between two attempts at one message.
const MAX_BACKOFF_MS: i64 = 60 * 60 * 1000;

/// The outbox's mail sender.
pub struct Drain {
    pub db: Db,
    pub sender: Sender,
    /// This sender's name in leases (host and process).
    pub owner: String,
    /// How often the outbox is looked at.
    pub poll: Duration,
    /// The wait after a message's first temporary failure.
    pub retry_ms: i64,
    /// Attempts before a message that keeps failing for now is given up.
    pub max_attempts: i64,
}

impl Drain {
    /// Drains until `stop` resolves.
    pub async fn run(self, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            let sent = self.round().await;
            if sent > 0 {
                continue;
            }
            tokio::select! {
                _ = &mut stop => return,
                _ = tokio::time::sleep(self.poll) => {}
            }
        }
    }

    /// One look at the outbox: the messages tried.
    pub async fn round(&self) -> usize {
        let leased = match outbox::lease(&self.db, &self.owner, LEASE_MS, BATCH).await {
            Ok(leased) => leased,
            Err(error) => {
                tracing::warn!(%error, "cannot read the outbox");
                return 0;
            }
        };
        let tried = leased.len();
        // Several at once: each SMTP exchange spends most of its time waiting
        // for the server, and a Monday's digests are thousands of messages.
        futures::stream::iter(leased)
            .for_each_concurrent(AT_ONCE, |message| async move {
                let outcome = self.attempt(&message).await;
                crate::metrics::outbox_attempt(message.channel.as_str(), &outcome);
                match outbox::settle(&self.db, message.id, &self.owner, &outcome).await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(
                        message = message.id,
                        "the lease on a message ran out while it was sent"
                    ),
                    Err(error) => {
                        tracing::error!(%error, message = message.id, "cannot record a delivery")
                    }
                }
            })
            .await;
        tried
    }

    async fn attempt(&self, message: &Leased) -> Outcome {
        let mail: Mail = match serde_json::from_str(&message.payload) {
            Ok(mail) => mail,
            Err(error) => {
                return Outcome::Failed {
                    detail: format!("the queued message cannot be read: {error}"),
                };
            }
        };
        match self
            .sender
            .send(&message.recipient, &mail, Some(message.id))
            .await
        {
            Ok(answer) => {
                tracing::info!(message = message.id, kind = %message.kind, %answer, "mail sent");
                Outcome::Sent { detail: answer }
            }
            Err(SendError::Permanent(why)) => {
                tracing::warn!(message = message.id, %why, "mail refused for good");
                Outcome::Failed { detail: why }
            }
            Err(SendError::Temporary(why)) if message.attempts + 1 >= self.max_attempts => {
                Outcome::Failed {
                    detail: format!("gave up after {} attempts: {why}", message.attempts + 1),
                }
            }
            Err(SendError::Temporary(why)) => {
                let wait = backoff(self.retry_ms, message.attempts);
                tracing::info!(message = message.id, %why, wait_ms = wait, "mail to be tried again");
                Outcome::Retry {
                    detail: why,
                    retry_at: self.db.now_ms() + wait,
                }
            }
        }
    }
}

/// The wait after the `attempts`+1-th temporary failure: doubling, capped.
pub fn backoff(first_ms: i64, attempts: i64) -> i64 {
    let doubled = first_ms.saturating_mul(1_i64 << attempts.clamp(0, 30));
    doubled.clamp(0, MAX_BACKOFF_MS.max(first_ms))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_wait_doubles_up_to_an_hour() {
        assert_eq!(super::backoff(30_000, 0), 30_000);
        assert_eq!(super::backoff(30_000, 1), 60_000);
        assert_eq!(super::backoff(30_000, 3), 240_000);
        assert_eq!(super::backoff(30_000, 40), 3_600_000);
    }
}
