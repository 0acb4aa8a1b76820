//! The webhooks' outbox: a change a webhook subscribes to queues a delivery in
//! the change's own transaction (`enqueue`); senders claim one webhook at a
//! time (`claim`), so its events leave in order, and record each attempt
//! (`finish`), switching a webhook off after too many failures in a row.

use cairn::audit::Action;
use cairn::ids::{ObjectiveId, UnitId};
use cairn::webhooks::EventKind;
use sqlx::{Any, Row, Transaction};

use super::{DELIVERY_COLUMNS, Delivery, Event, Webhook, audit, delivery, get};
use crate::storage::{Db, StorageError};

/// The statement that queues an audited change for every active webhook
/// subscribed to its kind: `$1` the audit event, `$2` its action, `$3` the
/// moment, `$4` the kind's pattern (`% check-ins %`).
pub(crate) const ENQUEUE: &str = "INSERT INTO webhook_deliveries (webhook_id, audit_event_id, event_type, created_at) \
     SELECT w.id, $1, $2, $3 FROM webhooks w WHERE w.active = 1 AND (' ' || w.kinds || ' ') LIKE $4";

/// The `LIKE` pattern that finds webhooks subscribed to `kind`.
pub(crate) fn pattern(kind: EventKind) -> String {
    format!("% {} %", kind.as_str())
}

/// Queues the audited change `audit_event` for the webhooks that hear of it,
/// in the change's transaction.
pub(crate) async fn enqueue(
    tx: &mut Transaction<'static, Any>,
    audit_event: i64,
    action: Action,
    at: i64,
) -> Result<(), StorageError> {
    let Some(kind) = EventKind::of(action) else {
        return Ok(());
    };
    let queued = sqlx::query(ENQUEUE)
        .bind(audit_event)
        .bind(action.as_str())
        .bind(at)
        .bind(pattern(kind))
        .execute(&mut **tx)
        .await?;
    if queued.rows_affected() > 0 {
        wake();
    }
    Ok(())
}

static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Tells this node's sender that something was queued.
pub fn wake() {
    WAKE.notify_one();
}

/// Waits until something is queued on this node (or the caller's timeout).
pub async fn woken() {
    WAKE.notified().await;
}

/// What a sender works on: a webhook it holds, and its oldest queued delivery.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub webhook: Webhook,
    pub delivery: Delivery,
    /// The change it tells of; None for a test event.
    pub event: Option<Event>,
}

/// Claims a webhook that is due and has a delivery queued, for `lease_ms`, and
/// returns its oldest queued delivery. Nobody else sends to it meanwhile.
pub async fn claim(db: &Db, now: i64, lease_ms: i64) -> Result<Option<Claimed>, StorageError> {
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT w.id FROM webhooks w WHERE w.active = 1 AND w.next_at <= $1 AND w.lease_until <= $1 \
         AND EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.state = 'queued') \
         ORDER BY w.next_at, w.id LIMIT 10",
    )
    .bind(now)
    .fetch_all(db.reader())
    .await?;
    for id in due {
        let mut tx = db.writer().begin().await?;
        let held = sqlx::query(
            "UPDATE webhooks SET lease_until = $1 WHERE id = $2 AND active = 1 AND lease_until <= $3",
        )
        .bind(now + lease_ms)
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if held.rows_affected() != 1 {
            continue;
        }
        let Some(row) = sqlx::query(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 AND state = 'queued' \
             ORDER BY id LIMIT 1"
        ))
        .bind(id)
        .fetch_optional(db.reader())
        .await?
        else {
            release(db, id).await?;
            continue;
        };
        let delivery = delivery(&row)?;
        let event = match delivery.audit_event {
            Some(audit) => Some(event(db, audit).await?),
            None => None,
        };
        return Ok(Some(Claimed {
            webhook: get(db, id).await?,
            delivery,
            event,
        }));
    }
    Ok(None)
}

async fn release(db: &Db, webhook: i64) -> Result<(), StorageError> {
    let mut tx = db.writer().begin().await?;
    sqlx::query("UPDATE webhooks SET lease_until = 0 WHERE id = $1")
        .bind(webhook)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn event(db: &Db, audit: i64) -> Result<Event, StorageError> {
    let row = sqlx::query(
        "SELECT at, action, entity, entity_id, actor_id, via, before, after FROM audit_events WHERE id = $1",
    )
    .bind(audit)
    .fetch_one(db.reader())
    .await?;
    let entity: String = row.try_get("entity")?;
    let entity_id: i64 = row.try_get("entity_id")?;
    let objective = match entity.as_str() {
        "objectives" => Some(ObjectiveId(entity_id)),
        "key_results" => {
            sqlx::query_scalar::<_, i64>("SELECT objective_id FROM key_results WHERE id = $1")
                .bind(entity_id)
                .fetch_optional(db.reader())
                .await?
                .map(ObjectiveId)
        }
        _ => None,
    };
    Ok(Event {
        at: row.try_get("at")?,
        action: row.try_get("action")?,
        entity,
        entity_id,
        actor: row.try_get("actor_id")?,
        via: row.try_get("via")?,
        before: row.try_get("before")?,
        after: row.try_get("after")?,
        objective,
    })
}

/// Whether an objective belongs to `unit` or a unit below it: owned by one, or
/// by a person who is a member of one.
pub async fn within(db: &Db, unit: UnitId, objective: ObjectiveId) -> Result<bool, StorageError> {
    let owner = sqlx::query("SELECT owner_unit_id, owner_person_id FROM objectives WHERE id = $1")
        .bind(objective.0)
        .fetch_optional(db.reader())
        .await?;
    let Some(owner) = owner else {
        return Ok(false);
    };
    let mut start: Vec<i64> = Vec::new();
    if let Some(u) = owner.try_get::<Option<i64>, _>("owner_unit_id")? {
        start.push(u);
    }
    if let Some(p) = owner.try_get::<Option<i64>, _>("owner_person_id")? {
        start.extend(
            sqlx::query_scalar::<_, i64>("SELECT unit_id FROM memberships WHERE person_id = $1")
                .bind(p)
                .fetch_all(db.reader())
                .await?,
        );
    }
    for mut at in start {
        // Up the chain; a chain is short and has no loops (units are a tree).
        for _ in 0..64 {
            if at == unit.0 {
                return Ok(true);
            }
            match sqlx::query_scalar::<_, Option<i64>>(
                "SELECT parent_id FROM org_units WHERE id = $1",
            )
            .bind(at)
            .fetch_optional(db.reader())
            .await?
            .flatten()
            {
                Some(parent) => at = parent,
                None => break,
            }
        }
    }
    Ok(false)
}

/// How an attempt went.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    /// The receiver answered 2xx.
    Sent { status: i64 },
    /// Not delivered: the receiver's status, if it answered, and why.
    Failed { status: Option<i64>, error: String },
    /// Not for this webhook (outside its unit): nothing was sent.
    Skipped,
}

/// What `finish` did to the webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// It goes on (at once after a success, after its back-off after a failure).
    Continues,
    /// It failed too often in a row and is switched off.
    SwitchedOff,
}

/// Records an attempt and lets go of the webhook. After a failure the webhook
/// waits `wait_ms`; after `max_failures` in a row it is switched off, audited,
/// and its maker is told.
pub async fn finish(
    db: &Db,
    claimed: &Claimed,
    attempt: &Attempt,
    wait_ms: i64,
    max_failures: i64,
    letters: &dyn crate::storage::notices::Letters,
) -> Result<After, StorageError> {
    let at = db.now_ms();
    let (id, webhook) = (claimed.delivery.id, &claimed.webhook);
    let mut tx = db.writer().begin().await?;
    let mut after = After::Continues;
    match attempt {
        Attempt::Skipped => {
            sqlx::query("UPDATE webhook_deliveries SET state = 'skipped' WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE webhooks SET lease_until = 0 WHERE id = $1")
                .bind(webhook.id)
                .execute(&mut *tx)
                .await?;
        }
        Attempt::Sent { status } => {
            sqlx::query(
                "UPDATE webhook_deliveries SET state = 'sent', attempts = attempts + 1, last_at = $1, \
                 last_status = $2, sent_at = $1 WHERE id = $3",
            )
            .bind(at)
            .bind(status)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE webhooks SET failures = 0, next_at = 0, lease_until = 0 WHERE id = $1",
            )
            .bind(webhook.id)
            .execute(&mut *tx)
            .await?;
        }
        Attempt::Failed { status, error } => {
            sqlx::query(
                "UPDATE webhook_deliveries SET attempts = attempts + 1, last_at = $1, last_status = $2, \
                 last_error = $3 WHERE id = $4",
            )
            .bind(at)
            .bind(status)
            .bind(error.chars().take(500).collect::<String>())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let failures: i64 = sqlx::query_scalar(
                "UPDATE webhooks SET failures = failures + 1, next_at = $1, lease_until = 0 WHERE id = $2 \
                 RETURNING failures",
            )
            .bind(at + wait_ms)
            .bind(webhook.id)
            .fetch_one(&mut *tx)
            .await?;
            if failures >= max_failures {
                sqlx::query("UPDATE webhooks SET active = 0, disabled_at = $1 WHERE id = $2")
                    .bind(at)
                    .bind(webhook.id)
                    .execute(&mut *tx)
                    .await?;
                let shown = serde_json::json!({ "webhook": webhook.id, "url": webhook.url, "failures": failures });
                audit(
                    &mut tx,
                    at,
                    None,
                    Action::WebhookDisable,
                    webhook.unit,
                    shown,
                )
                .await?;
                if let Some(owner) = webhook.created_by {
                    crate::storage::notices::tell_webhook_off(
                        &mut tx,
                        at,
                        letters,
                        owner,
                        webhook.id,
                        &webhook.url,
                        failures,
                    )
                    .await?;
                }
                after = After::SwitchedOff;
            }
        }
    }
    tx.commit().await?;
    Ok(after)
}

/// How many deliveries are waiting, for every webhook (for metrics and tests).
pub async fn queued(db: &Db) -> Result<i64, StorageError> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM webhook_deliveries WHERE state = 'queued'")
            .fetch_one(db.reader())
            .await?,
    )
}
