//! Live updates: every change is pushed to every open page as a server-sent event.
//!
//! The server side (`server`) tails the event log and streams it at `/events`; the
//! browser side (`client`) listens and hands typed changes to the islands.

use cairn::alignment::Parent;
use serde::{Deserialize, Serialize};

#[cfg(feature = "hydrate")]
pub mod client;
mod meters;
#[cfg(feature = "ssr")]
pub mod server;

pub use meters::LiveMeters;
#[cfg(feature = "hydrate")]
pub use meters::show as show_progress;

/// The event that tells a browser it fell too far behind: it reloads the page.
pub const RELOAD: &str = "reload";

/// A change as an open page applies it.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    CheckIn(CheckInChange),
    Moved(MoveChange),
    /// Anything else (a new or edited objective or key result, a period changing
    /// state): pages that show what it touched read afresh.
    Other(Touched),
}

/// What a change touched, as far as its event says.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Touched {
    #[serde(default)]
    pub objective: Option<i64>,
    #[serde(default)]
    pub period: Option<i64>,
}

/// What a check-in changed (see storage::check_ins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInChange {
    pub key_result: i64,
    pub objective: i64,
    pub progress: f64,
    pub objective_progress: f64,
    pub confidence: u8,
}

/// What a move or reorder changed (see storage::alignment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoveChange {
    pub objective: i64,
    pub parent: Option<Parent>,
    /// The new parent's children in order.
    pub siblings: Vec<i64>,
    pub version: i64,
}

#[derive(Deserialize)]
struct Head {
    id: i64,
    kind: String,
}

#[derive(Deserialize)]
struct Body<T> {
    change: T,
}

/// The event ids a page applied lately: a repeat (after a reconnect) is applied
/// once. The server sends each event once; this is the second line of defence.
#[derive(Debug, Default)]
pub struct Applied {
    order: std::collections::VecDeque<i64>,
    ids: std::collections::HashSet<i64>,
}

impl Applied {
    /// Ids remembered at most.
    const KEEP: usize = 2048;

    /// Whether `id` is new (and remembers it).
    pub fn first_time(&mut self, id: i64) -> bool {
        if !self.ids.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > Self::KEEP
            && let Some(old) = self.order.pop_front()
        {
            self.ids.remove(&old);
        }
        true
    }
}

/// Reads one event's data; None if it is not an event at all.
pub fn parse(data: &str) -> Option<(i64, Update)> {
    fn body<T: serde::de::DeserializeOwned>(data: &str) -> Option<T> {
        serde_json::from_str::<Body<T>>(data).ok().map(|b| b.change)
    }
    let head: Head = serde_json::from_str(data).ok()?;
    let update = match head.kind.as_str() {
        "check_in.create" => body(data).map(Update::CheckIn),
        "alignment.move" | "alignment.reorder" => body(data).map(Update::Moved),
        _ => body(data).map(Update::Other),
    };
    Some((
        head.id,
        update.unwrap_or_else(|| Update::Other(Touched::default())),
    ))
}

/// An event's data on the wire: `{"id":…,"kind":…,"at":…,"change":{…}}`.
#[cfg(feature = "ssr")]
pub fn message_json(event: &crate::storage::events::LiveEvent) -> String {
    format!(
        r#"{{"id":{},"kind":{},"at":{},"change":{}}}"#,
        event.id,
        serde_json::Value::String(event.kind.clone()),
        event.at,
        event.payload
    )
}

#[cfg(test)]
mod applied_tests {
    use super::Applied;

    #[test]
    fn each_event_is_applied_once() {
        let mut applied = Applied::default();
        assert!(applied.first_time(4));
        assert!(applied.first_time(5));
        assert!(!applied.first_time(4));
        for id in 10..(10 + Applied::KEEP as i64) {
            applied.first_time(id);
        }
        assert!(applied.first_time(4), "long forgotten");
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::storage::events::LiveEvent;

    #[test]
    fn events_on_the_wire_read_back_as_updates() {
        let event = LiveEvent {
            id: 7,
            at: 1,
            kind: "check_in.create".into(),
            payload: r#"{"key_result":3,"objective":2,"progress":0.5,"objective_progress":0.25,"confidence":8,"value":5.0}"#.into(),
        };
        let (id, update) = parse(&message_json(&event)).unwrap();
        assert_eq!(id, 7);
        assert!(
            matches!(update, Update::CheckIn(c) if c.key_result == 3 && c.objective_progress == 0.25)
        );
        let moved = LiveEvent {
            id: 8,
            at: 2,
            kind: "alignment.move".into(),
            payload: r#"{"objective":4,"parent":{"type":"key_result","id":3},"siblings":[4],"version":2}"#.into(),
        };
        let (_, update) = parse(&message_json(&moved)).unwrap();
        assert!(
            matches!(update, Update::Moved(m) if m.parent == Some(Parent::KeyResult(cairn::ids::KeyResultId(3))))
        );
        let other = LiveEvent {
            kind: "period.state".into(),
            payload: r#"{"period":4,"state":"grading"}"#.into(),
            ..event
        };
        let touched = Touched {
            objective: None,
            period: Some(4),
        };
        assert_eq!(
            parse(&message_json(&other)).unwrap().1,
            Update::Other(touched)
        );
        assert_eq!(parse("not json"), None);
    }
}
