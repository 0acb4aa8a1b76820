//! Sending webhook deliveries: signed as the Standard Webhooks scheme says
//! (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<HMAC-SHA256>`),
//! one at a time per webhook in the order they were queued, again after a
//! doubling wait when the receiver fails, and never to a private or loopback
//! address unless the operator allows it.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use cairn::webhooks::{TEST_EVENT, backoff, is_public};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use serde_json::{Value, json};

use crate::storage::Db;
use crate::storage::webhooks::{self as store, After, Attempt, Claimed};

/// How webhooks are sent; set by the `--webhook-*` flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Whether webhooks may point into private networks and this machine.
    pub allow_private: bool,
    /// The first wait after a failure, in seconds (doubling, up to an hour).
    pub retry_seconds: u64,
    /// Failures in a row before a webhook is switched off.
    pub max_failures: i64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            allow_private: false,
            retry_seconds: 30,
            max_failures: 15,
        }
    }
}

/// How long a sender holds a webhook: longer than one attempt may take.
const LEASE_MS: i64 = 60_000;
/// How long the receiver has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Webhooks sent to at once by one node.
const AT_ONCE: usize = 8;

/// Resolves names for webhook requests, refusing any name with a private or
/// loopback address (asked again for every connection: a name cannot be aimed
/// at a public address when checked and a private one when used).
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            if found.iter().any(|a| !is_public(a.ip())) {
                return Err(Box::new(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!(
                        "{} resolves to a private or loopback address",
                        name.as_str()
                    ),
                ))
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

/// Sends what webhooks have queued.
#[derive(Clone)]
pub struct Sender {
    db: Db,
    http: reqwest::Client,
    settings: Settings,
    postman: crate::notices::Postman,
}

impl Sender {
    pub fn new(
        db: Db,
        postman: crate::notices::Postman,
        settings: Settings,
    ) -> Result<Sender, reqwest::Error> {
        let mut http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .user_agent(concat!("Cairn-Webhooks/", env!("CARGO_PKG_VERSION")));
        if !settings.allow_private {
            http = http.dns_resolver(Arc::new(PublicOnly));
        }
        Ok(Sender {
            db,
            http: http.build()?,
            settings,
            postman,
        })
    }

    /// Sends until `stop`: whatever is due, then waits to be woken (something
    /// was queued on this node) or for `every` (queued elsewhere, or a wait ran out).
    pub async fn run(self, every: Duration, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            match self.round().await {
                Ok(sent) if sent > 0 => continue,
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "webhook deliveries wait for the database"),
            }
            tokio::select! {
                () = &mut stop => return,
                () = store::woken() => {
                    // Woken in the change's transaction: let it commit first.
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                () = tokio::time::sleep(every) => {}
            }
        }
    }

    /// Claims up to `AT_ONCE` due webhooks and sends each its oldest delivery;
    /// how many it sent (or tried).
    pub async fn round(&self) -> Result<usize, crate::storage::StorageError> {
        let mut claimed = Vec::new();
        while claimed.len() < AT_ONCE {
            match store::claim(&self.db, self.db.now_ms(), LEASE_MS).await? {
                Some(c) => claimed.push(c),
                None => break,
            }
        }
        let count = claimed.len();
        let sent = futures::future::join_all(claimed.into_iter().map(|c| self.deliver(c))).await;
        for result in sent {
            result?;
        }
        Ok(count)
    }

    async fn deliver(&self, claimed: Claimed) -> Result<After, crate::storage::StorageError> {
        let attempt = match &claimed.event {
            Some(event) => match (claimed.webhook.unit, event.objective) {
                (Some(unit), Some(objective))
                    if !store::within(&self.db, unit, objective).await? =>
                {
                    Attempt::Skipped
                }
                _ => self.send(&claimed).await,
            },
            None => self.send(&claimed).await,
        };
        let failures = u32::try_from(claimed.webhook.failures + 1).unwrap_or(u32::MAX);
        let wait_ms = i64::try_from(backoff(self.settings.retry_seconds, failures) * 1000)
            .unwrap_or(i64::MAX);
        let after = store::finish(
            &self.db,
            &claimed,
            &attempt,
            wait_ms,
            self.settings.max_failures,
            &self.postman,
        )
        .await?;
        match (&attempt, after) {
            (Attempt::Sent { .. }, _) => crate::metrics::webhook_attempt("sent"),
            (Attempt::Failed { .. }, After::Continues) => crate::metrics::webhook_attempt("retry"),
            (Attempt::Failed { .. }, After::SwitchedOff) => {
                crate::metrics::webhook_attempt("failed")
            }
            (Attempt::Skipped, _) => {}
        }
        if after == After::SwitchedOff {
            tracing::warn!(webhook = claimed.webhook.id, url = %claimed.webhook.url, "webhook switched off after repeated failure");
        }
        Ok(after)
    }

    async fn send(&self, claimed: &Claimed) -> Attempt {
        let (id, body) = message(claimed);
        if let Err(error) = self.may_reach(&claimed.webhook.url) {
            return Attempt::Failed {
                status: None,
                error,
            };
        }
        let timestamp = self.db.now_ms() / 1000;
        let signature = sign(&claimed.webhook.secret, &id, timestamp, &body);
        let sent = self
            .http
            .post(&claimed.webhook.url)
            .header("content-type", "application/json")
            .header("webhook-id", &id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => Attempt::Sent {
                status: i64::from(response.status().as_u16()),
            },
            Ok(response) => Attempt::Failed {
                status: Some(i64::from(response.status().as_u16())),
                error: format!("the receiver answered {}", response.status()),
            },
            Err(error) => Attempt::Failed {
                status: None,
                error: explain(&error),
            },
        }
    }

    /// Refuses an address whose host is a private or loopback IP (names are
    /// checked by the resolver when connecting).
    fn may_reach(&self, url: &str) -> Result<(), String> {
        if self.settings.allow_private {
            return Ok(());
        }
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("not an address: {e}"))?;
        let private = match parsed.host() {
            Some(url::Host::Ipv4(ip)) => !is_public(ip.into()),
            Some(url::Host::Ipv6(ip)) => !is_public(ip.into()),
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            None => true,
        };
        if private {
            Err("the address is in a private network or on this machine".into())
        } else {
            Ok(())
        }
    }
}

/// An error with its causes, in one line.
fn explain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A delivery's message id and body. The id is the event's, the same for
/// every attempt and redelivery, so receivers can drop what they have seen.
pub fn message(claimed: &Claimed) -> (String, String) {
    let parse = |text: &Option<String>| {
        text.as_deref()
            .map(|t| {
                serde_json::from_str::<Value>(t).unwrap_or_else(|_| Value::String(t.to_string()))
            })
            .unwrap_or(Value::Null)
    };
    let (id, body) = match &claimed.event {
        Some(event) => (
            format!("msg_{}", claimed.delivery.audit_event.unwrap_or_default()),
            json!({
                "type": event.action,
                "timestamp": timestamp(event.at),
                "data": {
                    "entity": event.entity,
                    "id": event.entity_id,
                    "objective_id": event.objective.map(|o| o.0),
                    "actor_id": event.actor,
                    "via": event.via,
                    "before": parse(&event.before),
                    "after": parse(&event.after),
                },
            }),
        ),
        None => (
            format!("msg_test_{}", claimed.delivery.id),
            json!({
                "type": TEST_EVENT,
                "timestamp": timestamp(claimed.delivery.created_at),
                "data": { "webhook": claimed.webhook.id, "url": claimed.webhook.url },
            }),
        ),
    };
    (id, body.to_string())
}

fn timestamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with the
/// secret's bytes (after `whsec_`).
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    use hmac::Mac;
    let engine = base64::engine::general_purpose::STANDARD;
    let key = engine
        .decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret))
        .unwrap_or_else(|_| secret.as_bytes().to_vec());
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key) else {
        return String::new();
    };
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", engine.encode(mac.finalize().into_bytes()))
}

/// What a webhook secret starts with.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new secret: 32 random bytes.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "{SECRET_PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_follow_the_standard_webhooks_example() {
        // The example in the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, id, 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn secrets_are_new_each_time() {
        let (a, b) = (new_secret(), new_secret());
        assert!(a.starts_with(SECRET_PREFIX) && a != b);
    }
}
