//! One reader per process tails the event log and fans each event out to every
//! open stream. It wakes when this process commits a change, when PostgreSQL
//! notifies that another node did, and once a second in any case.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, broadcast, watch};

use super::Cursor;
use crate::storage::events::{self, CHANNEL, LiveEvent};
use crate::storage::{Db, StorageError};

/// Events kept for streams that fall behind; a stream further behind than this
/// closes, and the browser reconnects and catches up from the database.
const BACKLOG: usize = 4096;
/// Events read from the log at a time.
const BATCH: i64 = 1000;
/// Read the log this often even without a wake-up (a lost notification, a
/// listener reconnecting).
const POLL: Duration = Duration::from_secs(1);

/// An event as every stream sends it.
#[derive(Debug)]
pub struct Sent {
    pub event: LiveEvent,
    /// Once this event is sent, every event up to `mark` has been.
    pub mark: i64,
    /// The event's message, serialised once for every stream.
    pub message: String,
}

/// The fan-out: cheap to clone, one per process.
#[derive(Clone, Debug)]
pub struct Hub {
    db: Db,
    sender: broadcast::Sender<Arc<Sent>>,
    mark: Arc<AtomicI64>,
    closed: watch::Receiver<bool>,
    close: Arc<watch::Sender<bool>>,
}

impl Hub {
    /// Starts the reader at the newest event: what came before is read from the
    /// database by streams that ask for it.
    pub async fn start(db: Db) -> Result<Hub, StorageError> {
        let start = events::latest(&db).await?;
        let (sender, _) = broadcast::channel(BACKLOG);
        let (close, closed) = watch::channel(false);
        let hub = Hub {
            db: db.clone(),
            sender,
            mark: Arc::new(AtomicI64::new(start)),
            closed,
            close: Arc::new(close),
        };
        let wake = Arc::new(Notify::new());
        if let Some(url) = db.listen_url() {
            tokio::spawn(listen(url.to_string(), wake.clone(), hub.closed.clone()));
        }
        tokio::spawn(hub.clone().tail(Cursor::new(start), wake));
        Ok(hub)
    }

    /// Every event up to this id has been sent to the streams.
    pub fn mark(&self) -> i64 {
        self.mark.load(Ordering::Acquire)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Sent>> {
        self.sender.subscribe()
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Open streams.
    pub fn listeners(&self) -> usize {
        self.sender.receiver_count()
    }

    /// Ends every stream and the reader (at shutdown: open streams would otherwise
    /// keep the server waiting for them).
    pub fn close(&self) {
        let _ = self.close.send(true);
    }

    /// Resolves once `close` is called.
    pub async fn closed(&self) {
        let mut closed = self.closed.clone();
        let _ = closed.wait_for(|closed| *closed).await;
    }

    async fn tail(self, mut cursor: Cursor, wake: Arc<Notify>) {
        loop {
            tokio::select! {
                () = self.db.next_commit() => {}
                () = wake.notified() => {}
                () = tokio::time::sleep(POLL) => {}
                () = self.closed() => return,
            }
            if let Err(error) = self.read(&mut cursor).await {
                tracing::warn!(%error, "reading live events failed; retrying");
            }
        }
    }

    /// Reads and sends everything new, in batches.
    async fn read(&self, cursor: &mut Cursor) -> Result<(), StorageError> {
        loop {
            let from = cursor.mark();
            let read = events::after(&self.db, from, BATCH).await?;
            let full = read.len() as i64 == BATCH;
            let fresh = cursor.take(read.iter().map(|e| e.id), Instant::now());
            let mut read = read.into_iter();
            for (id, mark) in fresh {
                if let Some(event) = read.by_ref().find(|e| e.id == id) {
                    // With no stream open nobody is watching; that is fine.
                    let message = crate::live::message_json(&event);
                    let streams = self
                        .sender
                        .send(Arc::new(Sent {
                            event,
                            mark,
                            message,
                        }))
                        .unwrap_or(0);
                    crate::metrics::event_fanned_out(streams);
                }
            }
            self.mark.store(cursor.mark(), Ordering::Release);
            // A full batch that did not move the mark waits behind a missing id;
            // the next wake-up reads again.
            if !full || cursor.mark() == from {
                return Ok(());
            }
        }
    }
}

/// Turns PostgreSQL notifications on the events channel into wake-ups,
/// reconnecting when the connection drops.
async fn listen(url: String, wake: Arc<Notify>, mut closed: watch::Receiver<bool>) {
    use sqlx::postgres::PgListener;
    loop {
        let listener = async {
            let mut listener = PgListener::connect(&url).await?;
            listener.listen(CHANNEL).await?;
            // Something may have been committed while (re)connecting.
            wake.notify_one();
            loop {
                listener.recv().await?;
                wake.notify_one();
            }
            #[allow(unreachable_code)]
            Ok::<(), sqlx::Error>(())
        };
        tokio::select! {
            result = listener => {
                if let Err(error) = result {
                    tracing::warn!(%error, "listening for other nodes' events failed; reconnecting");
                }
            }
            _ = closed.wait_for(|closed| *closed) => return,
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
