//! Webhooks: which changes a subscription hears of, where it may point, and how
//! long it waits after a failure.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::audit::Action;
use crate::named;

named! {
    /// A kind of event a webhook can subscribe to.
    EventKind {
        /// Check-ins on key results.
        CheckIns = "check-ins",
        /// Objectives and key results created, changed, graded or carried forward.
        Objectives = "objectives",
        /// Objectives aligned to another parent.
        Moves = "moves",
        /// Periods created or moved to another state (active, grading, closed).
        Periods = "periods",
        /// Comments on objectives.
        Comments = "comments",
    }
}

named! {
    /// Where a delivery stands.
    DeliveryState {
        /// Waiting to be sent (again, after a failure).
        Queued = "queued",
        /// The receiver answered 2xx.
        Sent = "sent",
        /// Not for this webhook: about an objective outside its unit.
        Skipped = "skipped",
    }
}

/// The event type of "send a test event".
pub const TEST_EVENT: &str = "webhook.test";

impl EventKind {
    /// The kind of event an audited change is, if webhooks hear of it.
    pub fn of(action: Action) -> Option<EventKind> {
        Some(match action {
            Action::CheckIn | Action::CheckInCorrect | Action::CheckInDelete => EventKind::CheckIns,
            Action::ObjectiveCreate
            | Action::ObjectiveUpdate
            | Action::ObjectiveGrade
            | Action::ObjectiveGradeCorrection
            | Action::ObjectiveCarryForward
            | Action::ObjectiveCarryUndo
            | Action::ObjectiveDelete
            | Action::KeyResultCreate => EventKind::Objectives,
            Action::Move => EventKind::Moves,
            Action::PeriodCreate | Action::PeriodState => EventKind::Periods,
            Action::CommentCreate => EventKind::Comments,
            _ => return None,
        })
    }
}

/// What a subscription hears of: one or more kinds, each once, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kinds(Vec<EventKind>);

impl Kinds {
    /// These kinds; None when there are none.
    pub fn of(mut kinds: Vec<EventKind>) -> Option<Kinds> {
        kinds.sort_by_key(|k| EventKind::ALL.iter().position(|a| a == k));
        kinds.dedup();
        (!kinds.is_empty()).then_some(Kinds(kinds))
    }

    /// As stored: `check-ins moves`.
    pub fn parse(text: &str) -> Option<Kinds> {
        let mut kinds = Vec::new();
        for word in text.split_whitespace() {
            kinds.push(EventKind::parse(word)?);
        }
        Kinds::of(kinds)
    }

    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn all(&self) -> &[EventKind] {
        &self.0
    }
}

/// Why a webhook's address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum UrlProblem {
    #[error("give the full address, starting with https:// or http://")]
    NotHttp,
    #[error("the address is longer than {0} characters")]
    TooLong(usize),
    #[error("the address names no host")]
    NoHost,
    #[error(
        "the address holds a user name or password; put secrets in the receiver, not the address"
    )]
    Credentials,
    #[error(
        "the address points into a private network or this machine, which webhooks may not reach here"
    )]
    Private,
}

impl UrlProblem {
    /// A stable, language-neutral name, for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            UrlProblem::NotHttp => "not_http",
            UrlProblem::TooLong(_) => "too_long",
            UrlProblem::NoHost => "no_host",
            UrlProblem::Credentials => "credentials",
            UrlProblem::Private => "private_address",
        }
    }
}

/// The longest webhook address.
pub const MAX_URL: usize = 2000;

/// A webhook's address as typed: http(s), a host, no credentials, no spaces
/// or control characters. Whether its host may be reached is checked when it
/// is resolved (`is_public`).
pub fn check_url(text: &str) -> Result<String, UrlProblem> {
    let text = text.trim();
    if text.chars().count() > MAX_URL {
        return Err(UrlProblem::TooLong(MAX_URL));
    }
    if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(UrlProblem::NotHttp);
    }
    let lower = text.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or(UrlProblem::NotHttp)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(UrlProblem::Credentials);
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() {
        return Err(UrlProblem::NoHost);
    }
    Ok(text.to_string())
}

/// Whether an address is on the public internet: not this machine, a private
/// or link-local network, a shared (carrier) range, multicast or unspecified.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Seconds to wait before the next attempt after `failures` failures in a row:
/// `base` doubling each time, at most an hour.
pub fn backoff(base: u64, failures: u32) -> u64 {
    let doubled = base.saturating_mul(1u64 << failures.saturating_sub(1).min(20));
    doubled.clamp(1, 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_as_stored_and_every_audited_change_has_at_most_one() {
        let kinds = Kinds::parse("moves check-ins moves").unwrap();
        assert_eq!(kinds.text(), "check-ins moves");
        assert_eq!(Kinds::parse(""), None);
        assert_eq!(Kinds::parse("check-ins deletes"), None);
        assert_eq!(EventKind::of(Action::CheckIn), Some(EventKind::CheckIns));
        assert_eq!(EventKind::of(Action::AccountPassword), None);
        for kind in EventKind::ALL {
            assert!(
                Action::ALL.iter().any(|a| EventKind::of(*a) == Some(*kind)),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn addresses_are_http_with_a_host_and_no_credentials() {
        assert!(check_url(" https://hooks.example.org/cairn?x=1 ").is_ok());
        assert!(check_url("http://[2001:db8::1]:8080/h").is_ok());
        assert_eq!(check_url("ftp://example.org"), Err(UrlProblem::NotHttp));
        assert_eq!(check_url("example.org/hook"), Err(UrlProblem::NotHttp));
        assert_eq!(check_url("https://"), Err(UrlProblem::NoHost));
        assert_eq!(
            check_url("https://u:p@example.org/"),
            Err(UrlProblem::Credentials)
        );
        assert_eq!(check_url("https://exa mple.org/"), Err(UrlProblem::NotHttp));
        assert_eq!(
            check_url("https://example.org/\u{7}"),
            Err(UrlProblem::NotHttp)
        );
        let long = format!("https://example.org/{}", "a".repeat(MAX_URL));
        assert_eq!(check_url(&long), Err(UrlProblem::TooLong(MAX_URL)));
    }

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1::1", "8.8.8.8"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn the_wait_doubles_up_to_an_hour() {
        assert_eq!(backoff(30, 1), 30);
        assert_eq!(backoff(30, 2), 60);
        assert_eq!(backoff(30, 3), 120);
        assert_eq!(backoff(30, 60), 3600);
        assert_eq!(backoff(0, 1), 1);
    }
}
