//! `GET /events`: the server-sent events stream.
//!
//! A page is rendered with the live mark of that moment and opens the stream with
//! `?after=<mark>`; a reconnecting browser sends `Last-Event-ID`. Either way the
//! stream first replays what the database holds after that id, then forwards what
//! the hub sends, each event exactly once. Every event's SSE id is a mark: the
//! browser has everything up to it, so a reconnect misses nothing.

use std::collections::{HashSet, VecDeque};
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
) -> Response {
    let resumed = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let after = resumed.or(query.after).unwrap_or_else(|| hub.mark()).max(0);

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
            replayed: replay.iter().map(|e| e.id).collect(),
            replay: replay.into_iter().map(|event| (event, mark)).collect(),
            receiver: Some(receiver),
            sent_mark: after,
            reload: false,
            hub: hub.clone(),
        }
    };
    Sse::new(stream::unfold(state, Streaming::next))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

struct Streaming {
    replay: VecDeque<(LiveEvent, i64)>,
    /// Replayed ids, which the hub may send again.
    replayed: HashSet<i64>,
    receiver: Option<broadcast::Receiver<Arc<Sent>>>,
    /// The highest mark sent: the SSE id, never going down.
    sent_mark: i64,
    reload: bool,
    hub: Hub,
}

impl Streaming {
    fn reload(hub: Hub) -> Streaming {
        Streaming {
            replay: VecDeque::new(),
            replayed: HashSet::new(),
            receiver: None,
            sent_mark: 0,
            reload: true,
            hub,
        }
    }

    async fn next(mut self) -> Option<(Result<Event, Infallible>, Streaming)> {
        if self.reload {
            self.reload = false;
            return Some((Ok(Event::default().event(RELOAD).data("")), self));
        }
        if let Some((event, mark)) = self.replay.pop_front() {
            // A replayed event above the hub's mark may have gaps below it.
            let frame = self.frame(&event, mark.min(event.id));
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
                    if self.replayed.remove(&sent.event.id) || sent.event.id <= self.sent_mark {
                        continue;
                    }
                    let frame = self.frame(&sent.event, sent.mark);
                    return Some((Ok(frame), self));
                }
                // Too far behind: end the stream; the browser reconnects with its
                // last id and catches up from the database.
                Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => return None,
            }
        }
    }

    fn frame(&mut self, event: &LiveEvent, mark: i64) -> Event {
        self.sent_mark = self.sent_mark.max(mark);
        Event::default()
            .id(self.sent_mark.to_string())
            .data(crate::live::message_json(event))
    }
}
