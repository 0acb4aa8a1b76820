//! `GET /events`: the server-sent events stream.
//!
//! A page is rendered with the live mark of that moment and opens the stream with
//! `?after=<mark>`; a reconnecting browser sends `Last-Event-ID`. Either way the
//! stream first replays what the database holds after that point, then forwards
//! what the hub sends, each event exactly once.
//!
//! Every event's SSE id says exactly where the browser stands (see `Position`):
//! a mark below which it has everything, and the events above the mark it has
//! already. An event id can be used up without an event (a rolled-back
//! transaction, PostgreSQL's sequence jumping after a restart), so the mark may
//! wait behind a gap while later events arrive; a reconnect then resumes after the
//! mark without sending those later events again.

use std::collections::{BTreeSet, VecDeque};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream;
use serde::Deserialize;
use tokio::sync::broadcast::{self, error::RecvError};

use super::{Hub, Sent};
use crate::live::RELOAD;
use crate::storage::events::{self, LiveEvent};

/// A browser further behind than this reloads the page instead of replaying.
const REPLAY_LIMIT: i64 = 5000;

#[derive(Debug, Deserialize)]
pub struct After {
    after: Option<i64>,
}

pub async fn stream(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Query(query): Query<After>,
    signed_in: Option<axum::Extension<crate::storage::accounts::SignedIn>>,
) -> Response {
    // Of changes to inboxes, a stream carries its own reader's only.
    let viewer = signed_in.map(|axum::Extension(me)| me.actor.person.0);
    let resumed = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(Position::parse);
    let position =
        resumed.unwrap_or_else(|| Position::at(query.after.unwrap_or_else(|| hub.mark()).max(0)));
    let after = position.mark;

    // Subscribe before reading the mark and the database: what commits after the
    // read arrives through the hub, what committed before is in the read.
    let receiver = hub.subscribe();
    let mark = hub.mark();
    let replay = match events::after(hub.db(), after, REPLAY_LIMIT + 1).await {
        Ok(replay) => replay,
        Err(error) => {
            tracing::warn!(%error, "live events: replay failed");
            return axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let state = if replay.len() as i64 > REPLAY_LIMIT {
        Streaming::reload(hub.clone())
    } else {
        Streaming {
            replay: replay
                .into_iter()
                .filter(|event| !position.has(event.id))
                .filter_map(|event| {
                    let event = event.for_reader(viewer)?.into_owned();
                    Some((event, mark))
                })
                .collect(),
            receiver: Some(receiver),
            position,
            reload: false,
            hub: hub.clone(),
            viewer,
        }
    };
    let mut response = Sse::new(stream::unfold(state, Streaming::next))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    // nginx passes each event on at once instead of filling its buffer first.
    response.headers_mut().insert(
        "x-accel-buffering",
        axum::http::HeaderValue::from_static("no"),
    );
    response
}

/// Where a browser stands in the event log: it has every event up to `mark`, and
/// of those above it, the ones in `above`. Written as the SSE id: `"41"`, or
/// `"41:43,44"` while 42 is still missing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Position {
    pub mark: i64,
    pub above: BTreeSet<i64>,
}

/// Ids above the mark kept in a position at most: past this, the oldest are
/// dropped (their events could come again after a reconnect; the browser drops
/// repeats by event id).
const ABOVE_LIMIT: usize = 256;

impl Position {
    pub fn at(mark: i64) -> Position {
        Position {
            mark,
            above: BTreeSet::new(),
        }
    }

    /// Reads an SSE id; None for anything that is not one.
    pub fn parse(text: &str) -> Option<Position> {
        let text = text.trim();
        let (mark, above) = text.split_once(':').unwrap_or((text, ""));
        let mark: i64 = mark.parse().ok().filter(|m| *m >= 0)?;
        let above = above
            .split(',')
            .filter(|id| !id.is_empty())
            .map(|id| id.parse::<i64>().ok().filter(|id| *id > mark))
            .collect::<Option<BTreeSet<i64>>>()?;
        Some(Position { mark, above })
    }

    /// Whether the browser has the event with this id.
    pub fn has(&self, id: i64) -> bool {
        id <= self.mark || self.above.contains(&id)
    }

    /// The browser now has event `id`, and everything up to `mark`.
    pub fn record(&mut self, id: i64, mark: i64) {
        self.mark = self.mark.max(mark);
        if id > self.mark {
            self.above.insert(id);
        }
        let floor = self.mark;
        self.above.retain(|id| *id > floor);
        while self.above.len() > ABOVE_LIMIT {
            self.above.pop_first();
        }
    }
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.mark)?;
        let mut separator = ':';
        for id in &self.above {
            write!(f, "{separator}{id}")?;
            separator = ',';
        }
        Ok(())
    }
}

struct Streaming {
    replay: VecDeque<(LiveEvent, i64)>,
    receiver: Option<broadcast::Receiver<Arc<Sent>>>,
    /// What the browser has: the SSE id of every event sent.
    position: Position,
    reload: bool,
    hub: Hub,
    /// Who is reading: of inboxes, only theirs is sent.
    viewer: Option<i64>,
}

impl Streaming {
    fn reload(hub: Hub) -> Streaming {
        Streaming {
            replay: VecDeque::new(),
            receiver: None,
            position: Position::default(),
            reload: true,
            hub,
            viewer: None,
        }
    }

    async fn next(mut self) -> Option<(Result<Event, Infallible>, Streaming)> {
        if self.reload {
            self.reload = false;
            return Some((Ok(Event::default().event(RELOAD).data("")), self));
        }
        if let Some((event, mark)) = self.replay.pop_front() {
            // Replayed in order: everything up to this event that the database
            // holds was sent, and below the hub's mark nothing more will come.
            let frame = self.frame(
                event.id,
                mark.min(event.id),
                &crate::live::message_json(&event),
            );
            return Some((Ok(frame), self));
        }
        let receiver = self.receiver.as_mut()?;
        loop {
            let received = tokio::select! {
                received = receiver.recv() => received,
                () = self.hub.closed() => return None,
            };
            match received {
                Ok(sent) => {
                    if self.position.has(sent.event.id) {
                        continue;
                    }
                    // Inboxes: only the reader's own count, and nothing for others.
                    let frame = if sent.event.kind == crate::live::LiveChange::NOTICES_KIND {
                        let Some(own) = sent.event.for_reader(self.viewer) else {
                            continue;
                        };
                        let message = crate::live::message_json(&own);
                        self.frame(sent.event.id, sent.mark, &message)
                    } else {
                        self.frame(sent.event.id, sent.mark, &sent.message)
                    };
                    return Some((Ok(frame), self));
                }
                // Too far behind: end the stream; the browser reconnects with its
                // last id and catches up from the database.
                Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => return None,
            }
        }
    }

    fn frame(&mut self, id: i64, mark: i64, message: &str) -> Event {
        self.position.record(id, mark);
        Event::default().id(self.position.to_string()).data(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_says_exactly_what_was_sent() {
        let mut position = Position::at(40);
        position.record(41, 41);
        assert_eq!(position.to_string(), "41");
        // 42 is missing (rolled back, or not committed yet); 43 and 44 arrive.
        position.record(43, 41);
        position.record(44, 41);
        assert_eq!(position.to_string(), "41:43,44");
        assert!(position.has(43) && !position.has(42) && position.has(12));
        let read = Position::parse("41:43,44").unwrap();
        assert_eq!(read, position);
        // The gap is given up: the mark moves past everything sent.
        position.record(45, 45);
        assert_eq!(position.to_string(), "45");
    }

    #[test]
    fn anything_else_is_no_position() {
        for bad in ["", "x", "-3", "4:x", "4:3", "4:5,,a"] {
            assert_eq!(Position::parse(bad), None, "{bad:?}");
        }
        assert_eq!(Position::parse(" 7 ").unwrap(), Position::at(7));
    }

    #[test]
    fn a_position_never_grows_without_bound() {
        let mut position = Position::at(0);
        for id in 2..2000 {
            position.record(id, 0);
        }
        assert_eq!(position.above.len(), ABOVE_LIMIT);
        assert!(position.has(1999) && !position.has(1));
    }
}
