//! The outbox: messages that must leave Cairn, written in the transaction of the
//! change that causes them and taken by senders under a lease, so that each is
//! tried by one sender at a time, on one node or many, and none is lost.

use serde::{Deserialize, Serialize};
use sqlx::{Any, Row, Transaction};

use crate::storage::{Backend, Db, StorageError};

/// Where a message goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    Mail,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Mail => "mail",
        }
    }
}

/// What a message is, for the outbox page and the logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// `cairn mail test --queue`.
    Test,
    /// A new person's first sign-in link.
    Invitation,
    /// A new sign-in link an admin made.
    SignInLink,
    /// A sign-in link asked for on the sign-in page ("forgot password").
    PasswordReset,
    Reminder,
    Escalation,
    Digest,
    /// Mentions and replies, batched.
    Comments,
    Grading,
    /// A webhook switched off after repeated failure.
    Webhook,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Test => "test",
            MessageKind::Invitation => "invitation",
            MessageKind::SignInLink => "sign_in_link",
            MessageKind::PasswordReset => "password_reset",
            MessageKind::Reminder => "reminder",
            MessageKind::Escalation => "escalation",
            MessageKind::Digest => "digest",
            MessageKind::Comments => "comments",
            MessageKind::Grading => "grading",
            MessageKind::Webhook => "webhook",
        }
    }
}

/// A message to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub channel: Channel,
    pub kind: MessageKind,
    pub recipient: String,
    /// What the sender needs, as JSON (for mail: subject, text, html).
    pub payload: String,
}

/// A message a sender holds under its lease.
#[derive(Debug, Clone, PartialEq)]
pub struct Leased {
    pub id: i64,
    pub channel: Channel,
    /// As stored (a newer node may queue kinds this one does not know), for logs.
    pub kind: String,
    pub recipient: String,
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: i64,
}

/// How an attempt went.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Sent {
        detail: String,
    },
    /// A temporary failure: try again at `retry_at`.
    Retry {
        detail: String,
        retry_at: i64,
    },
    /// A permanent failure: never tried again.
    Failed {
        detail: String,
    },
}

/// Queues a message in the caller's transaction, due now.
pub async fn enqueue(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    message: &Outgoing,
) -> Result<i64, StorageError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox (channel, kind, recipient, payload, created_at, due_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(message.channel.as_str())
    .bind(message.kind.as_str())
    .bind(&message.recipient)
    .bind(&message.payload)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?)
}

/// Queues a message on its own.
pub async fn queue(db: &Db, message: &Outgoing) -> Result<i64, StorageError> {
    let mut tx = db.writer().begin().await?;
    let id = enqueue(&mut tx, db.now_ms(), message).await?;
    tx.commit().await?;
    Ok(id)
}

/// Takes up to `limit` due messages for `owner` until `lease_ms` from now: ones
/// never sent, not failed, and not held under another sender's live lease. On
/// PostgreSQL rows another node is taking are skipped rather than waited for.
pub async fn lease(
    db: &Db,
    owner: &str,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<Leased>, StorageError> {
    let now = db.now_ms();
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE outbox SET lease_owner = $1, lease_until = $2 WHERE id IN (\
           SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND due_at <= $3 \
           AND (lease_until IS NULL OR lease_until < $3) ORDER BY due_at, id LIMIT $4{lock}) \
         RETURNING id, channel, kind, recipient, payload, attempts"
    );
    let mut tx = db.writer().begin().await?;
    let rows = sqlx::query(&sql)
        .bind(owner)
        .bind(now + lease_ms)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let mut leased = rows
        .iter()
        .map(|row| {
            let channel: String = row.try_get("channel")?;
            Ok(Leased {
                id: row.try_get("id")?,
                channel: match channel.as_str() {
                    "mail" => Channel::Mail,
                    other => return Err(StorageError::corrupt(format!("channel {other}"))),
                },
                kind: row.try_get("kind")?,
                recipient: row.try_get("recipient")?,
                payload: row.try_get("payload")?,
                attempts: row.try_get("attempts")?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    leased.sort_by_key(|m| m.id);
    Ok(leased)
}

/// Records an attempt at a message `owner` holds; false when the lease was lost
/// (it ran out and another sender took the message), and nothing is changed.
pub async fn settle(
    db: &Db,
    id: i64,
    owner: &str,
    outcome: &Outcome,
) -> Result<bool, StorageError> {
    let now = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let held = "attempts = attempts + 1, lease_owner = NULL, lease_until = NULL \
                WHERE id = $3 AND lease_owner = $4 AND sent_at IS NULL AND failed_at IS NULL";
    let (sql, detail, name, when) = match outcome {
        Outcome::Sent { detail } => (
            format!("UPDATE outbox SET sent_at = $1, last_error = $2, {held}"),
            detail,
            "sent",
            now,
        ),
        Outcome::Retry { detail, retry_at } => (
            format!("UPDATE outbox SET due_at = $1, last_error = $2, {held}"),
            detail,
            "retry",
            *retry_at,
        ),
        Outcome::Failed { detail } => (
            format!("UPDATE outbox SET failed_at = $1, last_error = $2, {held}"),
            detail,
            "failed",
            now,
        ),
    };
    // A sent message keeps no error: the server's answer is in its attempt.
    let error = (name != "sent").then_some(detail.as_str());
    let updated = sqlx::query(&sql)
        .bind(when)
        .bind(error)
        .bind(id)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    if updated.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO outbox_attempts (message_id, at, outcome, detail) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(now)
    .bind(name)
    .bind(detail)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// How many messages wait (due or later) and how many failed for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Depth {
    pub queued: i64,
    pub failed: i64,
    pub sent: i64,
}

pub async fn depth(db: &Db) -> Result<Depth, StorageError> {
    let row = sqlx::query(
        "SELECT \
           coalesce(sum(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0) AS queued, \
           coalesce(sum(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS failed, \
           coalesce(sum(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS sent \
         FROM outbox",
    )
    .fetch_one(db.reader())
    .await?;
    Ok(Depth {
        queued: row.try_get("queued")?,
        failed: row.try_get("failed")?,
        sent: row.try_get("sent")?,
    })
}

/// A message as the outbox page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub created_at: i64,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub failed_at: Option<i64>,
    pub last_error: Option<String>,
}

/// The newest `limit` messages.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<Listed>, StorageError> {
    sqlx::query(
        "SELECT id, kind, recipient, created_at, attempts, sent_at, failed_at, last_error \
         FROM outbox ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.reader())
    .await?
    .iter()
    .map(|row| {
        Ok(Listed {
            id: row.try_get("id")?,
            kind: row.try_get("kind")?,
            recipient: row.try_get("recipient")?,
            created_at: row.try_get("created_at")?,
            attempts: row.try_get("attempts")?,
            sent_at: row.try_get("sent_at")?,
            failed_at: row.try_get("failed_at")?,
            last_error: row.try_get("last_error")?,
        })
    })
    .collect()
}
