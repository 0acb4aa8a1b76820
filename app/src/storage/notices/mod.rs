//! Notices: the "for you" inbox, how each person wants to hear of each kind, the
//! objectives people follow and the language their mail is written in. Each unit's
//! weekly rhythm is in `cadence`, what the rhythm reads in `schedule`.

pub mod cadence;
pub mod schedule;
mod tell;

pub use tell::{
    Letters, MailPlan, NoMail, deliver, hand_over, tell_grading, tell_unread, tell_webhook_off,
};

use std::collections::HashMap;

use cairn::audit::{Action, Entity};
use cairn::ids::PersonId;
use cairn::notify::{Delivery, NoticeKind};
use sqlx::{Any, Row, Transaction};

use crate::notices::InboxItem;
use crate::storage::changes::{Change, json, record};
use crate::storage::{Db, StorageError};

/// How each of `people` wants to hear of `kind` (the default where they chose nothing).
pub async fn deliveries(
    tx: &mut Transaction<'static, Any>,
    people: &[PersonId],
    kind: NoticeKind,
) -> Result<HashMap<PersonId, Delivery>, StorageError> {
    let mut found: HashMap<PersonId, Delivery> =
        people.iter().map(|p| (*p, Delivery::DEFAULT)).collect();
    for chunk in people.chunks(500) {
        let list = id_list(chunk.iter().map(|p| p.0));
        let sql = format!(
            "SELECT person_id, delivery FROM notice_preferences WHERE kind = $1 AND person_id IN ({list})"
        );
        for row in sqlx::query(&sql)
            .bind(kind.as_str())
            .fetch_all(&mut **tx)
            .await?
        {
            let delivery: String = row.try_get("delivery")?;
            found.insert(
                PersonId(row.try_get("person_id")?),
                parse_delivery(&delivery)?,
            );
        }
    }
    Ok(found)
}

/// Every person's choice for `kind` that differs from the default, for the
/// scheduled jobs that reach many people at once.
pub async fn all_deliveries(
    db: &Db,
    kind: NoticeKind,
) -> Result<HashMap<PersonId, Delivery>, StorageError> {
    sqlx::query("SELECT person_id, delivery FROM notice_preferences WHERE kind = $1")
        .bind(kind.as_str())
        .fetch_all(db.reader())
        .await?
        .iter()
        .map(|row| {
            let delivery: String = row.try_get("delivery")?;
            Ok((
                PersonId(row.try_get("person_id")?),
                parse_delivery(&delivery)?,
            ))
        })
        .collect()
}

fn parse_delivery(text: &str) -> Result<Delivery, StorageError> {
    Delivery::parse(text).ok_or_else(|| StorageError::corrupt(format!("delivery {text}")))
}

/// A comma-separated list of ids for an `IN (...)`: numbers only, never text.
pub(crate) fn id_list(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|id| id.to_string()).collect::<Vec<_>>().join(",")
}

/// A person's choice for every kind.
pub async fn preferences(
    db: &Db,
    person: PersonId,
) -> Result<Vec<(NoticeKind, Delivery)>, StorageError> {
    let mut chosen: HashMap<NoticeKind, Delivery> = HashMap::new();
    for row in sqlx::query("SELECT kind, delivery FROM notice_preferences WHERE person_id = $1")
        .bind(person.0)
        .fetch_all(db.reader())
        .await?
    {
        let kind: String = row.try_get("kind")?;
        let delivery: String = row.try_get("delivery")?;
        let kind = NoticeKind::parse(&kind)
            .ok_or_else(|| StorageError::corrupt(format!("notice kind {kind}")))?;
        chosen.insert(kind, parse_delivery(&delivery)?);
    }
    Ok(NoticeKind::ALL
        .iter()
        .map(|kind| {
            (
                *kind,
                chosen.get(kind).copied().unwrap_or(Delivery::DEFAULT),
            )
        })
        .collect())
}

/// Sets how `person` hears of `kind`; audited. True when it changed.
pub async fn set_preference(
    db: &Db,
    actor: Option<PersonId>,
    person: PersonId,
    kind: NoticeKind,
    delivery: Delivery,
) -> Result<bool, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    crate::storage::org::exists(&mut tx, "people", person.0).await?;
    let before = deliveries(&mut tx, &[person], kind).await?[&person];
    if before == delivery {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO notice_preferences (person_id, kind, delivery) VALUES ($1, $2, $3) \
         ON CONFLICT (person_id, kind) DO UPDATE SET delivery = excluded.delivery",
    )
    .bind(person.0)
    .bind(kind.as_str())
    .bind(delivery.as_str())
    .execute(&mut *tx)
    .await?;
    let change = Change {
        actor,
        action: Action::NoticePreference,
        entity: Entity::Person,
        entity_id: person.0,
        before: Some(json(
            &serde_json::json!({ kind.as_str(): before.as_str() }),
        )?),
        after: Some(json(
            &serde_json::json!({ kind.as_str(): delivery.as_str() }),
        )?),
        live: None,
    };
    record(&mut tx, at, change).await?;
    tx.commit().await?;
    Ok(true)
}

async fn unread_in<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    person: PersonId,
) -> Result<i64, StorageError> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM notices WHERE person_id = $1 AND read_at IS NULL")
            .bind(person.0)
            .fetch_one(executor)
            .await?,
    )
}

/// How many notices `person` has not read.
pub async fn unread(db: &Db, person: PersonId) -> Result<i64, StorageError> {
    unread_in(db.reader(), person).await
}

/// `person`'s notices, newest first: `limit` of them, older than `before` if given.
pub async fn inbox(
    db: &Db,
    person: PersonId,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<InboxItem>, StorageError> {
    sqlx::query(
        "SELECT id, created_at, read_at, payload FROM notices \
         WHERE person_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(person.0)
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(db.reader())
    .await?
    .iter()
    .map(|row| {
        let payload: String = row.try_get("payload")?;
        let read_at: Option<i64> = row.try_get("read_at")?;
        Ok(InboxItem {
            id: row.try_get("id")?,
            at: row.try_get("created_at")?,
            read: read_at.is_some(),
            notice: serde_json::from_str(&payload).map_err(StorageError::corrupt)?,
        })
    })
    .collect()
}

/// Which of a person's notices to mark read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    One(i64),
    All,
}

/// Marks `person`'s notices read; a notice of someone else's is not found.
/// Returns how many are left unread.
pub async fn mark_read(db: &Db, person: PersonId, which: Which) -> Result<i64, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let changed = match which {
        Which::One(id) => {
            let owner: Option<i64> =
                sqlx::query_scalar("SELECT person_id FROM notices WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if owner != Some(person.0) {
                return Err(StorageError::not_found("notices", id));
            }
            sqlx::query("UPDATE notices SET read_at = $1 WHERE id = $2 AND read_at IS NULL")
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?
        }
        Which::All => {
            sqlx::query("UPDATE notices SET read_at = $1 WHERE person_id = $2 AND read_at IS NULL")
                .bind(at)
                .bind(person.0)
                .execute(&mut *tx)
                .await?
        }
    };
    if changed.rows_affected() > 0 {
        tell_unread(&mut tx, at, &[person]).await?;
    }
    let left = unread_in(&mut *tx, person).await?;
    tx.commit().await?;
    if changed.rows_affected() > 0 {
        db.committed();
    }
    Ok(left)
}

/// Whether `person` follows `objective`.
pub async fn follows(db: &Db, person: PersonId, objective: i64) -> Result<bool, StorageError> {
    let found: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM follows WHERE person_id = $1 AND objective_id = $2",
    )
    .bind(person.0)
    .bind(objective)
    .fetch_one(db.reader())
    .await?;
    Ok(found > 0)
}

/// Starts or stops following an objective.
pub async fn set_follow(
    db: &Db,
    person: PersonId,
    objective: i64,
    on: bool,
) -> Result<(), StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    crate::storage::org::exists(&mut tx, "objectives", objective).await?;
    if on {
        follow_in(&mut tx, at, person, objective).await?;
    } else {
        sqlx::query("DELETE FROM follows WHERE person_id = $1 AND objective_id = $2")
            .bind(person.0)
            .bind(objective)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Follows an objective in the caller's transaction (a comment follows it).
pub async fn follow_in(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    person: PersonId,
    objective: i64,
) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO follows (person_id, objective_id, since) VALUES ($1, $2, $3) \
         ON CONFLICT (person_id, objective_id) DO NOTHING",
    )
    .bind(person.0)
    .bind(objective)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The language `person`'s mail is written in, as stored (None: not chosen).
pub async fn language(db: &Db, person: PersonId) -> Result<Option<String>, StorageError> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("SELECT language FROM people WHERE id = $1")
            .bind(person.0)
            .fetch_optional(db.reader())
            .await?
            .flatten(),
    )
}

/// Sets the language `person`'s mail is written in (`en`, `nl`).
pub async fn set_language(db: &Db, person: PersonId, code: &str) -> Result<(), StorageError> {
    let mut tx = db.writer().begin().await?;
    sqlx::query(
        "UPDATE people SET language = $1 WHERE id = $2 AND (language IS NULL OR language <> $1)",
    )
    .bind(code)
    .bind(person.0)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A person as mail addresses them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub person: PersonId,
    pub name: String,
    pub email: String,
    /// `en` or `nl`; None when never chosen.
    pub language: Option<String>,
}

/// An active person as mail addresses them.
pub async fn addressee(db: &Db, person: PersonId) -> Result<Option<Addressee>, StorageError> {
    let row = sqlx::query("SELECT name, email, language FROM people WHERE id = $1 AND active = 1")
        .bind(person.0)
        .fetch_optional(db.reader())
        .await?;
    row.map(|row| {
        Ok(Addressee {
            person,
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            language: row.try_get("language")?,
        })
    })
    .transpose()
}

/// The active people among `people`, as mail addresses them.
pub async fn addressees(
    tx: &mut Transaction<'static, Any>,
    people: &[PersonId],
) -> Result<HashMap<PersonId, Addressee>, StorageError> {
    let mut found = HashMap::new();
    for chunk in people.chunks(500) {
        let sql = format!(
            "SELECT id, name, email, language FROM people WHERE active = 1 AND id IN ({})",
            id_list(chunk.iter().map(|p| p.0))
        );
        for row in sqlx::query(&sql).fetch_all(&mut **tx).await? {
            let person = PersonId(row.try_get("id")?);
            found.insert(
                person,
                Addressee {
                    person,
                    name: row.try_get("name")?,
                    email: row.try_get("email")?,
                    language: row.try_get("language")?,
                },
            );
        }
    }
    Ok(found)
}

/// Mentions and replies waiting to go out by mail, per person: only people whose
/// last such mail went `gap_ms` or more ago (at most one mail per gap).
pub async fn batches_due(
    db: &Db,
    gap_ms: i64,
) -> Result<Vec<(PersonId, Vec<InboxItem>)>, StorageError> {
    let now = db.now_ms();
    let rows = sqlx::query(
        "SELECT n.id, n.person_id, n.created_at, n.read_at, n.payload FROM notices n \
         WHERE n.mail_due = 1 AND NOT EXISTS (SELECT 1 FROM notices m WHERE m.person_id = n.person_id \
           AND m.mailed_at IS NOT NULL AND m.kind IN ('mention', 'reply') AND m.mailed_at > $1) \
         ORDER BY n.person_id, n.id",
    )
    .bind(now - gap_ms)
    .fetch_all(db.reader())
    .await?;
    let mut batches: Vec<(PersonId, Vec<InboxItem>)> = Vec::new();
    for row in rows {
        let person = PersonId(row.try_get("person_id")?);
        let payload: String = row.try_get("payload")?;
        let read_at: Option<i64> = row.try_get("read_at")?;
        let item = InboxItem {
            id: row.try_get("id")?,
            at: row.try_get("created_at")?,
            read: read_at.is_some(),
            notice: serde_json::from_str(&payload).map_err(StorageError::corrupt)?,
        };
        match batches.last_mut() {
            Some((last, items)) if *last == person => items.push(item),
            _ => batches.push((person, vec![item])),
        }
    }
    Ok(batches)
}

/// Marks a batch as mailed in the caller's transaction: false (and nothing
/// changed) when another sender took any of it first.
pub async fn take_batch(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    ids: &[i64],
) -> Result<bool, StorageError> {
    let sql = format!(
        "UPDATE notices SET mail_due = 0, mailed_at = $1 WHERE mail_due = 1 AND id IN ({})",
        id_list(ids.iter().copied())
    );
    let taken = sqlx::query(&sql).bind(at).execute(&mut **tx).await?;
    Ok(taken.rows_affected() == ids.len() as u64)
}

/// Gives up a batch's mail without sending it (the person turned mail off since).
pub async fn drop_batch(db: &Db, ids: &[i64]) -> Result<(), StorageError> {
    let mut tx = db.writer().begin().await?;
    let sql = format!(
        "UPDATE notices SET mail_due = 0 WHERE id IN ({})",
        id_list(ids.iter().copied())
    );
    sqlx::query(&sql).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The installation's key for signing unsubscribe links, made on first use.
pub async fn signing_key(db: &Db) -> Result<String, StorageError> {
    let existing: Option<String> = sqlx::query_scalar("SELECT secret FROM instance WHERE id = 1")
        .fetch_one(db.reader())
        .await?;
    if let Some(key) = existing {
        return Ok(key);
    }
    let fresh: String = {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    };
    let mut tx = db.writer().begin().await?;
    // Of two nodes making one at once, the first one stored wins.
    sqlx::query("UPDATE instance SET secret = $1 WHERE id = 1 AND secret IS NULL")
        .bind(&fresh)
        .execute(&mut *tx)
        .await?;
    let key: Option<String> = sqlx::query_scalar("SELECT secret FROM instance WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    key.ok_or_else(|| StorageError::corrupt("the instance has no signing key"))
}
