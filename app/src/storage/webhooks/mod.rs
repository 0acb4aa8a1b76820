//! Webhooks: subscriptions, made and managed by admins and unit leads, and
//! their deliveries as the webhook's page lists them. Queuing and sending are in
//! `outbox`.

mod outbox;

pub use outbox::{After, Attempt, Claimed, claim, finish, queued, wake, within, woken};
pub(crate) use outbox::{enqueue, pattern};

use cairn::audit::{Action, Entity};
use cairn::ids::{ObjectiveId, PersonId, UnitId};
use cairn::webhooks::{DeliveryState, Kinds, TEST_EVENT};
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
pub(super) const DELIVERY_COLUMNS: &str = "id, webhook_id, audit_event_id, event_type, created_at, state, attempts, \
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

pub(super) fn delivery(row: &AnyRow) -> Result<Delivery, StorageError> {
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

/// Audits a change to a webhook, against its unit (or the installation).
pub(super) async fn audit(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    actor: Option<PersonId>,
    action: Action,
    unit: Option<UnitId>,
    shown: serde_json::Value,
) -> Result<(), StorageError> {
    let (entity, entity_id) = match unit {
        Some(unit) => (Entity::Unit, unit.0),
        None => (Entity::Instance, 1),
    };
    record(
        tx,
        at,
        Change::created(actor, action, entity, entity_id, &shown, None)?,
    )
    .await?;
    Ok(())
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
    let shown = serde_json::json!({ "webhook": id, "url": new.url, "kinds": new.kinds.text() });
    audit(&mut tx, at, actor, Action::WebhookCreate, new.unit, shown).await?;
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
    let shown = serde_json::json!({ "webhook": id, "url": found.url });
    audit(&mut tx, at, actor, Action::WebhookDelete, found.unit, shown).await?;
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
    let shown = serde_json::json!({ "webhook": id, "url": found.url });
    audit(&mut tx, at, actor, Action::WebhookEnable, found.unit, shown).await?;
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
