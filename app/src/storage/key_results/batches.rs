//! Group commit for check-ins: the Monday-morning rush writes at the database's
//! pace, not one transaction per check-in.
//!
//! A check-in joins a queue. When no batch is being written, its caller starts a
//! writer task, which takes everything queued, writes it in one transaction, commits
//! once, answers each caller, and goes on until the queue is empty. Nobody is
//! answered before the commit that holds their check-in: an acknowledged check-in
//! is on disk exactly as before. Check-ins on one objective follow each other
//! inside the transaction, so each one's roll-up sees the ones before it.
//!
//! A check-in refused on its own merits (an unknown key result, a closed period, a
//! reading of the wrong kind) is answered with its refusal, and the rest of the
//! batch is written. If a write fails half-way, the transaction is rolled back and
//! each check-in is written again on its own, so one failure never takes the
//! others with it.

use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::oneshot;

use super::check_ins::{CheckInReceipt, NewCheckIn, lock_clause, plan, write};
use crate::storage::{Db, StorageError};

/// Check-ins written in one transaction at most.
const LARGEST_BATCH: usize = 64;

type Answer = Result<CheckInReceipt, StorageError>;

/// A check-in waiting to be written, with the time it arrived.
struct Job {
    new: NewCheckIn,
    at: i64,
    reply: oneshot::Sender<Answer>,
}

/// The check-ins waiting, and whether a writer task is at work.
#[derive(Default)]
pub struct Queue(Mutex<Waiting>);

#[derive(Default)]
struct Waiting {
    jobs: Vec<Job>,
    writing: bool,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let waiting = self.lock();
        write!(f, "Queue({} waiting)", waiting.jobs.len())
    }
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, Waiting> {
        // Nothing panics while holding the lock; if something did, the list is
        // still a valid list.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues a job; true when no writer is at work, so the caller starts one.
    fn push(&self, job: Job) -> bool {
        let mut waiting = self.lock();
        waiting.jobs.push(job);
        !std::mem::replace(&mut waiting.writing, true)
    }

    /// The next batch; None, and the writer stops, when nothing is waiting.
    fn take(&self) -> Option<Vec<Job>> {
        let mut waiting = self.lock();
        if waiting.jobs.is_empty() {
            waiting.writing = false;
            return None;
        }
        let n = waiting.jobs.len().min(LARGEST_BATCH);
        Some(waiting.jobs.drain(..n).collect())
    }
}

/// Writes the check-in with the others waiting, and answers once it is committed.
pub(super) async fn submit(db: &Db, new: NewCheckIn, at: i64) -> Answer {
    let (reply, answer) = oneshot::channel();
    if db.check_ins().push(Job { new, at, reply }) {
        // Spawned, so that the batch is finished even if this caller goes away.
        tokio::spawn(write_all(db.clone()));
    }
    answer.await.unwrap_or_else(|_| {
        Err(StorageError::Unconfirmed(Arc::new(
            sqlx::Error::WorkerCrashed,
        )))
    })
}

/// The writer task: batches until the queue is empty.
async fn write_all(db: Db) {
    // Should the task end by a panic, the next check-in starts a new writer (the
    // callers of this batch are told their check-ins are unconfirmed).
    struct Unwinding<'a>(&'a Queue);
    impl Drop for Unwinding<'_> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                self.0.lock().writing = false;
            }
        }
    }
    let queue = Arc::clone(db.check_ins());
    let _guard = Unwinding(&queue);
    while let Some(jobs) = queue.take() {
        write_batch(&db, jobs).await;
    }
}

async fn write_batch(db: &Db, jobs: Vec<Job>) {
    tracing::debug!(check_ins = jobs.len(), "writing a batch of check-ins");
    if jobs.len() > 1 {
        match together(db, &jobs).await {
            Ok(answers) => {
                db.committed();
                for (job, answer) in jobs.into_iter().zip(answers) {
                    let _ = job.reply.send(answer);
                }
                return;
            }
            // The database may or may not hold the batch: nobody is told it does.
            Err(Failed::Commit(error)) => {
                let error = Arc::new(error);
                for job in jobs {
                    let _ = job
                        .reply
                        .send(Err(StorageError::Unconfirmed(error.clone())));
                }
                return;
            }
            // Rolled back: each is written on its own below.
            Err(Failed::Write) => {}
        }
    }
    for job in jobs {
        let _ = job.reply.send(alone(db, &job.new, job.at).await);
    }
}

enum Failed {
    /// A statement failed before the commit: nothing was stored.
    Write,
    /// The commit itself failed.
    Commit(sqlx::Error),
}

/// Every job in one transaction: each one's answer, or why the batch failed.
async fn together(db: &Db, jobs: &[Job]) -> Result<Vec<Answer>, Failed> {
    let backend = db.backend();
    let mut tx = db.writer().begin().await.map_err(|_| Failed::Write)?;
    let mut answers = Vec::with_capacity(jobs.len());
    for job in jobs {
        let planned = match plan(&mut tx, &job.new, lock_clause(backend)).await {
            Ok(planned) => planned,
            // A database error may have ended the transaction (PostgreSQL aborts it).
            Err(StorageError::Query(_)) => return Err(Failed::Write),
            Err(refused) => {
                answers.push(Err(refused));
                continue;
            }
        };
        match write(&mut tx, backend, &planned, job.at).await {
            Ok(receipt) => answers.push(Ok(receipt)),
            Err(_) => return Err(Failed::Write),
        }
    }
    tx.commit().await.map_err(Failed::Commit)?;
    Ok(answers)
}

/// One check-in in a transaction of its own.
async fn alone(db: &Db, new: &NewCheckIn, at: i64) -> Answer {
    let mut tx = db.writer().begin().await?;
    let planned = plan(&mut tx, new, lock_clause(db.backend())).await?;
    let receipt = write(&mut tx, db.backend(), &planned, at).await?;
    tx.commit().await?;
    db.committed();
    Ok(receipt)
}
