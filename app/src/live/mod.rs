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

/// A change as storage writes it into the event log and an open page applies it:
/// one type, serialised by the writer and read by the reader, so the two cannot
/// drift apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveChange {
    CheckIn(CheckInChange),
    /// Aligned to another parent, or another place among the same siblings.
    Moved(MoveChange),
    /// Created, edited or graded: pages that show it read afresh.
    Objective {
        objective: i64,
        period: i64,
        version: i64,
    },
    /// A new comment on an objective.
    Comment {
        objective: i64,
        comment: i64,
    },
    /// Moved along its lifecycle.
    Period {
        period: i64,
        state: cairn::period::PeriodState,
    },
    /// Inboxes changed: each person's number of unread notices. A stream
    /// carries only its own reader's (see `for_reader`).
    Notices {
        unread: Vec<(i64, i64)>,
    },
    /// An event this page cannot read (one written by an older Cairn): pages that
    /// could be showing anything read afresh.
    #[serde(other)]
    Unknown,
}

impl LiveChange {
    /// The event's kind, stored beside it for people reading the table.
    pub fn kind(&self) -> &'static str {
        match self {
            LiveChange::CheckIn(_) => "check_in",
            LiveChange::Moved(_) => "move",
            LiveChange::Objective { .. } => "objective",
            LiveChange::Comment { .. } => "comment",
            LiveChange::Period { .. } => "period",
            LiveChange::Notices { .. } => Self::NOTICES_KIND,
            LiveChange::Unknown => "unknown",
        }
    }

    /// The kind of the events that each reader gets only their own part of.
    pub const NOTICES_KIND: &'static str = "notices";

    /// What a stream read by `reader` (None: nobody signed in) carries of this
    /// change: all of it, or of inboxes only the reader's own; None for nothing.
    pub fn for_reader(self, reader: Option<i64>) -> Option<LiveChange> {
        match self {
            LiveChange::Notices { unread } => {
                let reader = reader?;
                let own: Vec<(i64, i64)> =
                    unread.into_iter().filter(|(p, _)| *p == reader).collect();
                (!own.is_empty()).then_some(LiveChange::Notices { unread: own })
            }
            other => Some(other),
        }
    }

    /// What it touched, for pages that read afresh when it is something they show.
    pub fn touched(&self) -> Touched {
        match self {
            LiveChange::CheckIn(c) => Touched {
                objective: Some(c.objective),
                period: None,
            },
            LiveChange::Moved(m) => Touched {
                objective: Some(m.objective),
                period: None,
            },
            LiveChange::Objective {
                objective, period, ..
            } => Touched {
                objective: Some(*objective),
                period: Some(*period),
            },
            LiveChange::Comment { objective, .. } => Touched {
                objective: Some(*objective),
                period: None,
            },
            LiveChange::Period { period, .. } => Touched {
                objective: None,
                period: Some(*period),
            },
            LiveChange::Notices { .. } | LiveChange::Unknown => Touched::default(),
        }
    }
}

/// What a change touched.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Touched {
    pub objective: Option<i64>,
    pub period: Option<i64>,
}

/// What a check-in changed (see storage::key_results::check_ins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInChange {
    pub key_result: i64,
    pub objective: i64,
    pub progress: f64,
    pub objective_progress: f64,
    pub confidence: u8,
    /// The value checked in, for metric and binary key results.
    #[serde(default)]
    pub value: Option<f64>,
    /// The check-in's id (filled in by the database as it is written).
    #[serde(default)]
    pub check_in: Option<i64>,
    /// A check-in deleted by its author: the key result's reading is the one
    /// before it again, and pages counting check-ins count one fewer.
    #[serde(default)]
    pub withdrawn: Option<i64>,
}

/// What a move or reorder changed (see storage::objectives::alignment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoveChange {
    pub objective: i64,
    pub parent: Option<Parent>,
    /// The new parent's children in order.
    pub siblings: Vec<i64>,
    pub version: i64,
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

/// An event's data on the wire: `{"id":…,"kind":…,"at":…,"change":{"type":…}}`.
#[derive(Deserialize)]
struct Message {
    id: i64,
    change: LiveChange,
}

/// Reads one event's data; None if it is not an event at all. A change it cannot
/// read is `Unknown`.
pub fn parse(data: &str) -> Option<(i64, LiveChange)> {
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    match serde_json::from_str::<Message>(data) {
        Ok(message) => Some((message.id, message.change)),
        Err(_) => serde_json::from_str::<Id>(data)
            .ok()
            .map(|head| (head.id, LiveChange::Unknown)),
    }
}

/// An event's data on the wire (the change is stored as JSON text already).
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

    fn event(id: i64, change: &LiveChange) -> LiveEvent {
        LiveEvent {
            id,
            at: 1,
            kind: change.kind().into(),
            payload: serde_json::to_string(change).unwrap(),
        }
    }

    #[test]
    fn every_change_reads_back_as_written() {
        let changes = [
            LiveChange::CheckIn(CheckInChange {
                key_result: 3,
                objective: 2,
                progress: 0.5,
                objective_progress: 0.25,
                confidence: 8,
                value: Some(5.0),
                check_in: Some(9),
                withdrawn: None,
            }),
            LiveChange::Moved(MoveChange {
                objective: 4,
                parent: Some(Parent::KeyResult(cairn::ids::KeyResultId(3))),
                siblings: vec![4],
                version: 2,
            }),
            LiveChange::Objective {
                objective: 4,
                period: 2,
                version: 3,
            },
            LiveChange::Period {
                period: 4,
                state: cairn::period::PeriodState::Grading,
            },
            LiveChange::Notices {
                unread: vec![(5, 2)],
            },
        ];
        for (id, change) in changes.iter().enumerate() {
            let read = parse(&message_json(&event(id as i64, change)));
            assert_eq!(read, Some((id as i64, change.clone())));
        }
    }

    #[test]
    fn a_reader_gets_only_their_own_unread_count() {
        let change = LiveChange::Notices {
            unread: vec![(5, 2), (7, 0)],
        };
        assert_eq!(
            change.clone().for_reader(Some(7)),
            Some(LiveChange::Notices {
                unread: vec![(7, 0)]
            })
        );
        assert_eq!(change.clone().for_reader(Some(8)), None);
        assert_eq!(change.for_reader(None), None);
        let moved = LiveChange::Period {
            period: 1,
            state: cairn::period::PeriodState::Active,
        };
        assert_eq!(moved.clone().for_reader(None), Some(moved));
    }

    #[test]
    fn an_old_or_strange_event_is_unknown_and_not_data_is_nothing() {
        let old = LiveEvent {
            id: 7,
            at: 1,
            kind: "period.state".into(),
            payload: r#"{"period":4,"state":"grading"}"#.into(),
        };
        assert_eq!(parse(&message_json(&old)), Some((7, LiveChange::Unknown)));
        assert_eq!(parse("not json"), None);
    }
}
