use super::model::{OutboxLine, OutboxPage, OutboxState};
use crate::error::AppError;
use crate::storage::Db;
use crate::storage::outbox;

/// The newest messages shown.
const SHOWN: i64 = 200;

pub async fn page(db: &Db, mail: Option<String>) -> Result<OutboxPage, AppError> {
    let depth = outbox::depth(db).await?;
    let lines = outbox::recent(db, SHOWN)
        .await?
        .into_iter()
        .map(|m| {
            let (state, at_ms) = match (m.sent_at, m.failed_at) {
                (Some(at), _) => (OutboxState::Sent, at),
                (None, Some(at)) => (OutboxState::Failed, at),
                (None, None) => (OutboxState::Queued, m.created_at),
            };
            OutboxLine {
                id: m.id,
                kind: m.kind,
                recipient: m.recipient,
                state,
                attempts: m.attempts,
                at_ms,
                last_error: m.last_error,
            }
        })
        .collect();
    Ok(OutboxPage {
        mail,
        queued: depth.queued,
        failed: depth.failed,
        sent: depth.sent,
        lines,
    })
}
