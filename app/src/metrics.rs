//! What the app counts for operators. The names live here, once; the server
//! installs the Prometheus recorder that exports them at `/metrics`. Without a
//! recorder (in tests, in tools) counting costs next to nothing.

/// Event-stream messages sent: one per event and stream that received it.
pub const LIVE_DELIVERIES: &str = "cairn_live_deliveries_total";
/// Events the hub read from the database and fanned out.
pub const LIVE_EVENTS: &str = "cairn_live_events_total";
/// Sign-ins refused, by reason.
pub const SIGN_IN_FAILURES: &str = "cairn_sign_in_failures_total";

/// Why a sign-in was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInFailure {
    /// Unknown email or wrong password.
    Wrong,
    /// Too many attempts: rate limited.
    TooMany,
    /// A one-time link that is unknown, used or expired.
    Link,
    /// Signing in through an identity provider, refused for this reason.
    Sso(crate::auth::notice::SsoRefusal),
    /// An API token that is unknown, revoked or expired.
    Token,
}

impl SignInFailure {
    pub fn label(self) -> &'static str {
        match self {
            SignInFailure::Wrong => "wrong_credentials",
            SignInFailure::TooMany => "rate_limited",
            SignInFailure::Link => "invalid_link",
            SignInFailure::Sso(why) => why.as_str(),
            SignInFailure::Token => "invalid_token",
        }
    }
}

/// Says what each of the app's metrics means and starts its counters at zero, so
/// a scrape shows every name from the first moment.
pub fn describe() {
    metrics::describe_counter!(
        LIVE_EVENTS,
        "Live events read from the database and fanned out to the open streams"
    );
    metrics::describe_counter!(
        LIVE_DELIVERIES,
        "Live event messages sent: one per event and stream that received it"
    );
    metrics::describe_counter!(SIGN_IN_FAILURES, "Sign-ins refused, by reason");
    metrics::describe_counter!(
        OUTBOX_ATTEMPTS,
        "Attempts at sending outbox messages, by channel and outcome (sent, retry, failed)"
    );
    for outcome in ["sent", "retry", "failed"] {
        for channel in ["mail", "webhook"] {
            metrics::counter!(OUTBOX_ATTEMPTS, "channel" => channel, "outcome" => outcome)
                .absolute(0);
        }
    }
    metrics::counter!(LIVE_EVENTS).absolute(0);
    metrics::counter!(LIVE_DELIVERIES).absolute(0);
    let sso = crate::auth::notice::SsoRefusal::ALL
        .iter()
        .map(|why| SignInFailure::Sso(*why));
    for reason in [
        SignInFailure::Wrong,
        SignInFailure::TooMany,
        SignInFailure::Link,
        SignInFailure::Token,
    ]
    .into_iter()
    .chain(sso)
    {
        metrics::counter!(SIGN_IN_FAILURES, "reason" => reason.label()).absolute(0);
    }
}

pub fn sign_in_failed(reason: SignInFailure) {
    metrics::counter!(SIGN_IN_FAILURES, "reason" => reason.label()).increment(1);
}

/// One event read and sent to `streams` open streams.
pub fn event_fanned_out(streams: usize) {
    metrics::counter!(LIVE_EVENTS).increment(1);
    metrics::counter!(LIVE_DELIVERIES).increment(streams as u64);
}

/// Attempts at outbox messages, by channel and outcome.
pub const OUTBOX_ATTEMPTS: &str = "cairn_outbox_attempts_total";

/// One attempt at a webhook delivery: `sent`, `retry` (it failed; tried again
/// later) or `failed` (it failed once too often: the webhook is switched off).
pub fn webhook_attempt(outcome: &'static str) {
    metrics::counter!(OUTBOX_ATTEMPTS, "channel" => "webhook", "outcome" => outcome).increment(1);
}

/// One attempt at an outbox message.
pub fn outbox_attempt(channel: &'static str, outcome: &crate::storage::outbox::Outcome) {
    use crate::storage::outbox::Outcome;
    let outcome = match outcome {
        Outcome::Sent { .. } => "sent",
        Outcome::Retry { .. } => "retry",
        Outcome::Failed { .. } => "failed",
    };
    metrics::counter!(OUTBOX_ATTEMPTS, "channel" => channel, "outcome" => outcome).increment(1);
}
