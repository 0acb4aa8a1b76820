//! Webhooks and their outbox. A change a webhook subscribes to queues a
//! delivery in the change's own transaction (`enqueue`); senders claim one
//! webhook at a time (`claim`), so its events leave in order, and record each
//! attempt (`finish`), switching a webhook off after too many failures in a row.

use cairn::audit::{Action, Entity};
use cairn::ids::{ObjectiveId, PersonId, UnitId};
use cairn::webhooks::{DeliveryState, EventKind, Kinds, TEST_EVENT};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::storage::changes::{Change, record};
use crate::storage::{Db, StorageError};

/// A subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub kinds: Kinds,
    /// Its unit (and the units below it); None for the whole organisation.
    pub unit: Option<UnitId>,
    /// `whsec_…`: signs every delivery.
    pub secret: String,
    pub created_by: Option<PersonId>,
    pub created_at: i64,
    pub active: bool,
    /// Failed attempts in a row.
    pub failures: i64,
    pub disabled_at: Option<i64>,
}

/// One event on its way to one webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: i64,
    pub webhook: i64,
    pub audit_event: Option<i64>,
    pub event_type: String,
    pub created_at: i64,
    pub state: DeliveryState,
    pub attempts: i64,
    pub last_at: Option<i64>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub sent_at: Option<i64>,
}

/// The change a delivery tells of, as the audit trail holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub at: i64,
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    pub actor: Option<i64>,
    pub via: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// The objective it is about, when it is about one.
    pub objective: Option<ObjectiveId>,
}

/// A new subscription.
pub struct NewWebhook {
    pub url: String,
    pub kinds: Kinds,
    pub unit: Option<UnitId>,
    pub secret: String,
}

const COLUMNS: &str =
    "id, url, kinds, unit_id, secret, created_by, created_at, active, failures, disabled_at";
const DELIVERY_COLUMNS: &str = "id, webhook_id, audit_event_id, event_type, created_at, state, attempts, \
     last_at, last_status, last_error, sent_at";

fn webhook(row: &AnyRow) -> Result<Webhook, StorageError> {
    let kinds: String = row.try_get("kinds")?;
    Ok(Webhook {
        id: row.try_get("id")?,
        url: row.try_get("url")?,
        kinds: Kinds::parse(&kinds)
            .ok_or_else(|| StorageError::corrupt(format!("kinds {kinds}")))?,
        unit: row.try_get::<Option<i64>, _>("unit_id")?.map(UnitId),
        secret: row.try_get("secret")?,
        created_by: row.try_get::<Option<i64>, _>("created_by")?.map(PersonId),
        created_at: row.try_get("created_at")?,
        active: row.try_get::<i64, _>("active")? == 1,
        failures: row.try_get("failures")?,
        disabled_at: row.try_get("disabled_at")?,
    })
}

fn delivery(row: &AnyRow) -> Result<Delivery, StorageError> {
    let state: String = row.try_get("state")?;
    Ok(Delivery {
        id: row.try_get("id")?,
        webhook: row.try_get("webhook_id")?,
        audit_event: row.try_get("audit_event_id")?,
        event_type: row.try_get("event_type")?,
        created_at: row.try_get("created_at")?,
        state: DeliveryState::parse(&state)
            .ok_or_else(|| StorageError::corrupt(format!("delivery state {state}")))?,
        attempts: row.try_get("attempts")?,
        last_at: row.try_get("last_at")?,
        last_status: row.try_get("last_status")?,
        last_error: row.try_get("last_error")?,
        sent_at: row.try_get("sent_at")?,
    })
}

/// What a webhook's changes are audited against: its unit, or the installation.
fn audited(unit: Option<UnitId>) -> (Entity, i64) {
    match unit {
        Some(unit) => (Entity::Unit, unit.0),
        None => (Entity::Instance, 1),
    }
}

/// Subscribes a webhook; audited (without its secret). Its id.
pub async fn create(
    db: &Db,
    actor: Option<PersonId>,
    new: NewWebhook,
) -> Result<i64, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    if let Some(unit) = new.unit {
        crate::storage::org::exists(&mut tx, "org_units", unit.0).await?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO webhooks (url, kinds, unit_id, secret, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&new.url)
    .bind(new.kinds.text())
    .bind(new.unit.map(|u| u.0))
    .bind(&new.secret)
    .bind(actor.map(|p| p.0))
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let (entity, entity_id) = audited(new.unit);
    let shown = serde_json::json!({ "webhook": id, "url": new.url, "kinds": new.kinds.text() });
    let change = Change::created(
        actor,
        Action::WebhookCreate,
        entity,
        entity_id,
        &shown,
        None,
    )?;
    record(&mut tx, at, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// Every webhook (None), or those of these units, newest first.
pub async fn list(db: &Db, units: Option<&[UnitId]>) -> Result<Vec<Webhook>, StorageError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM webhooks ORDER BY id DESC"))
        .fetch_all(db.reader())
        .await?;
    let all: Vec<Webhook> = rows.iter().map(webhook).collect::<Result<_, _>>()?;
    Ok(match units {
        None => all,
        Some(units) => all
            .into_iter()
            .filter(|w| w.unit.is_some_and(|u| units.contains(&u)))
            .collect(),
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Webhook, StorageError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM webhooks WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StorageError::not_found("webhooks", id))?;
    webhook(&row)
}

/// A webhook's latest deliveries, newest first.
pub async fn deliveries(db: &Db, webhook: i64, limit: i64) -> Result<Vec<Delivery>, StorageError> {
    sqlx::query(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2"
    ))
    .bind(webhook)
    .bind(limit)
    .fetch_all(db.reader())
    .await?
    .iter()
    .map(delivery)
    .collect()
}

/// How many of a webhook's deliveries are in each state: (queued, sent).
pub async fn counts(db: &Db, webhook: i64) -> Result<(i64, i64), StorageError> {
    let row = sqlx::query(
        "SELECT coalesce(sum(CASE WHEN state = 'queued' THEN 1 ELSE 0 END), 0) AS queued, \
         coalesce(sum(CASE WHEN state = 'sent' THEN 1 ELSE 0 END), 0) AS sent \
         FROM webhook_deliveries WHERE webhook_id = $1",
    )
    .bind(webhook)
    .fetch_one(db.reader())
    .await?;
    Ok((row.try_get("queued")?, row.try_get("sent")?))
}

/// Removes a webhook and its deliveries; audited.
pub async fn delete(db: &Db, actor: Option<PersonId>, id: i64) -> Result<(), StorageError> {
    let at = db.now_ms();
    let found = get(db, id).await?;
    let mut tx = db.writer().begin().await?;
    sqlx::query("DELETE FROM webhook_deliveries WHERE webhook_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM webhooks WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let (entity, entity_id) = audited(found.unit);
    let shown = serde_json::json!({ "webhook": id, "url": found.url });
    let change = Change::created(
        actor,
        Action::WebhookDelete,
        entity,
        entity_id,
        &shown,
        None,
    )?;
    record(&mut tx, at, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Switches a webhook on again: its queued deliveries go out from the oldest.
pub async fn enable(db: &Db, actor: Option<PersonId>, id: i64) -> Result<(), StorageError> {
    let at = db.now_ms();
    let found = get(db, id).await?;
    let mut tx = db.writer().begin().await?;
    sqlx::query(
        "UPDATE webhooks SET active = 1, failures = 0, disabled_at = NULL, next_at = 0 WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let (entity, entity_id) = audited(found.unit);
    let shown = serde_json::json!({ "webhook": id, "url": found.url });
    let change = Change::created(
        actor,
        Action::WebhookEnable,
        entity,
        entity_id,
        &shown,
        None,
    )?;
    record(&mut tx, at, change).await?;
    tx.commit().await?;
    crate::storage::webhooks::wake();
    Ok(())
}

/// Queues a test event for a webhook; its delivery's id.
pub async fn test_event(db: &Db, id: i64) -> Result<i64, StorageError> {
    get(db, id).await?;
    let queued = queue(db, id, None, TEST_EVENT).await?;
    wake();
    Ok(queued)
}

/// Queues a delivery's event again, as a new delivery; its id.
pub async fn redeliver(db: &Db, webhook: i64, delivery_id: i64) -> Result<i64, StorageError> {
    let row = sqlx::query(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1 AND webhook_id = $2"
    ))
    .bind(delivery_id)
    .bind(webhook)
    .fetch_optional(db.reader())
    .await?
    .ok_or(StorageError::not_found("webhook_deliveries", delivery_id))?;
    let old = delivery(&row)?;
    let queued = queue(db, webhook, old.audit_event, &old.event_type).await?;
    wake();
    Ok(queued)
}

async fn queue(
    db: &Db,
    webhook: i64,
    audit_event: Option<i64>,
    event_type: &str,
) -> Result<i64, StorageError> {
    let mut tx = db.writer().begin().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO webhook_deliveries (webhook_id, audit_event_id, event_type, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(webhook)
    .bind(audit_event)
    .bind(event_type)
    .bind(db.now_ms())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

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
                let (entity, entity_id) = audited(webhook.unit);
                let shown = serde_json::json!({ "webhook": webhook.id, "url": webhook.url, "failures": failures });
                let change = Change::created(
                    None,
                    Action::WebhookDisable,
                    entity,
                    entity_id,
                    &shown,
                    None,
                )?;
                record(&mut tx, at, change).await?;
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
