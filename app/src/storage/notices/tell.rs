//! Telling people: a notice into someone's inbox as they want it (and its
//! mail queued in the same transaction), the notices of a period entering
//! grading and of a webhook switched off, and the unread counts open pages show.

use cairn::audit::Entity;
use cairn::ids::PersonId;
use cairn::notify::{Delivery, NoticeKind};
use sqlx::{Any, Row, Transaction};

use super::{Addressee, addressees, deliveries, id_list};
use crate::live::LiveChange;
use crate::notices::Notice;
use crate::storage::StorageError;
use crate::storage::changes::{announce, json};

/// Writes the mail that tells a person of a notice (the app's `Postman`):
/// storage queues it without knowing how it is worded.
pub trait Letters: Sync {
    /// Whether mail is sent at all.
    fn mail_on(&self) -> bool;
    /// The mail for `notice` to `to`; None when mail is off.
    fn letter(&self, to: &Addressee, notice: &Notice) -> Option<crate::storage::outbox::Outgoing>;
}

/// No mail at all: notices go to the inbox only.
pub struct NoMail;

impl Letters for NoMail {
    fn mail_on(&self) -> bool {
        false
    }

    fn letter(&self, _: &Addressee, _: &Notice) -> Option<crate::storage::outbox::Outgoing> {
        None
    }
}

/// Tells the owners of a period's objectives (a unit's leads) that it entered
/// grading: one notice each, listing their objectives.
pub async fn tell_grading(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    letters: &dyn Letters,
    period: &cairn::period::Period,
) -> Result<(), StorageError> {
    let rows = sqlx::query(
        "SELECT o.id, o.title, o.owner_person_id AS person FROM objectives o \
         WHERE o.period_id = $1 AND o.owner_person_id IS NOT NULL AND o.state <> 'abandoned' \
         UNION ALL \
         SELECT o.id, o.title, m.person_id AS person FROM objectives o \
         JOIN memberships m ON m.unit_id = o.owner_unit_id AND m.role IN ('lead', 'admin') \
         WHERE o.period_id = $1 AND o.state <> 'abandoned' \
         ORDER BY person, id",
    )
    .bind(period.id.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut owned: std::collections::BTreeMap<PersonId, Vec<crate::notices::Titled>> =
        std::collections::BTreeMap::new();
    for row in rows {
        let list = owned.entry(PersonId(row.try_get("person")?)).or_default();
        let id: i64 = row.try_get("id")?;
        if !list.iter().any(|t| t.id == id) {
            list.push(crate::notices::Titled {
                id,
                title: row.try_get("title")?,
            });
        }
    }
    let people: Vec<PersonId> = owned.keys().copied().collect();
    let to = addressees(tx, &people).await?;
    let choices = deliveries(tx, &people, NoticeKind::Grading).await?;
    let mut told = Vec::new();
    for (person, objectives) in owned {
        let Some(addressee) = to.get(&person) else {
            continue;
        };
        let notice = Notice::Grading {
            period: period.id.0,
            period_name: period.name.clone(),
            objectives,
        };
        if hand_over(tx, at, letters, addressee, choices[&person], &notice).await? {
            told.push(person);
        }
    }
    tell_unread(tx, at, &told).await
}

/// Tells the maker of a webhook that it was switched off after `failures`
/// failed attempts in a row (as they want to hear of it).
pub async fn tell_webhook_off(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    letters: &dyn Letters,
    owner: PersonId,
    webhook: i64,
    url: &str,
    failures: i64,
) -> Result<(), StorageError> {
    let to = addressees(tx, &[owner]).await?;
    let Some(addressee) = to.get(&owner) else {
        return Ok(());
    };
    let choices = deliveries(tx, &[owner], NoticeKind::Webhook).await?;
    let notice = Notice::WebhookOff {
        webhook,
        url: url.to_string(),
        failures,
    };
    if hand_over(tx, at, letters, addressee, choices[&owner], &notice).await? {
        tell_unread(tx, at, &[owner]).await?;
    }
    Ok(())
}

/// A notice to a person as they want it: into the inbox, and by mail when they
/// want that and mail is on (queued in the same transaction). False when they
/// turned this kind off.
pub async fn hand_over(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    letters: &dyn Letters,
    to: &Addressee,
    delivery: Delivery,
    notice: &Notice,
) -> Result<bool, StorageError> {
    if !delivery.in_inbox() {
        return Ok(false);
    }
    let letter = delivery
        .by_mail()
        .then(|| letters.letter(to, notice))
        .flatten();
    let plan = if letter.is_some() {
        MailPlan::Queued
    } else {
        MailPlan::None
    };
    deliver(tx, at, to.person, notice, plan).await?;
    if let Some(letter) = letter {
        crate::storage::outbox::enqueue(tx, at, &letter).await?;
    }
    Ok(true)
}

/// How a new notice goes out besides the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailPlan {
    /// Not by mail (in the app only, or mail is queued by the caller already).
    None,
    /// The caller queued its mail in this transaction.
    Queued,
    /// With the person's next batch (mentions and replies).
    Batch,
}

/// Puts a notice in `person`'s inbox in the caller's transaction; the caller
/// then tells open pages (`tell_unread`) once for everyone it delivered to.
/// Returns the notice's id.
pub async fn deliver(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    person: PersonId,
    notice: &Notice,
    mail: MailPlan,
) -> Result<i64, StorageError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO notices (person_id, kind, objective_id, payload, created_at, mail_due, mailed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(person.0)
    .bind(notice.kind().as_str())
    .bind(notice.objective())
    .bind(json(notice)?)
    .bind(at)
    .bind(i64::from(mail == MailPlan::Batch))
    .bind((mail == MailPlan::Queued).then_some(at))
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Tells the open pages of `people` how many notices each has unread: one live
/// event for them all, of which each reader's stream carries only their own
/// count (a run that reaches a thousand people writes one event, not a thousand).
pub async fn tell_unread(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    people: &[PersonId],
) -> Result<(), StorageError> {
    if people.is_empty() {
        return Ok(());
    }
    let mut unread: Vec<(i64, i64)> = people.iter().map(|p| (p.0, 0)).collect();
    unread.sort_unstable();
    unread.dedup();
    for chunk in people.chunks(500) {
        let sql = format!(
            "SELECT person_id, count(*) AS unread FROM notices WHERE read_at IS NULL \
             AND person_id IN ({}) GROUP BY person_id",
            id_list(chunk.iter().map(|p| p.0))
        );
        for row in sqlx::query(&sql).fetch_all(&mut **tx).await? {
            let person: i64 = row.try_get("person_id")?;
            if let Ok(at) = unread.binary_search_by_key(&person, |(p, _)| *p) {
                unread[at].1 = row.try_get("unread")?;
            }
        }
    }
    announce(tx, at, Entity::Person, 0, &LiveChange::Notices { unread }).await?;
    Ok(())
}
