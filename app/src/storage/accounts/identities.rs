//! People signing in through an identity provider: who a provider's subject is in
//! Cairn (linked by verified email the first time, created when allowed), and what
//! their groups make them, in one transaction and every change audited.

use cairn::audit::{Action, Entity};
use cairn::identity::Standing;
use cairn::ids::{PersonId, UnitId};
use cairn::model::{Membership, Role};
use cairn::values::{Email, Name};
use sqlx::{Any, Transaction};

use super::put_account;
use crate::storage::changes::{Change, record};
use crate::storage::org::{NewPerson, insert_person, put_membership};
use crate::storage::{Db, StorageError};

/// Someone the provider vouched for, arriving at Cairn.
pub struct Arrival<'a> {
    /// The provider's id in Cairn's settings.
    pub provider: &'a str,
    /// The provider's stable id for them (`sub`).
    pub subject: &'a str,
    pub email: &'a Email,
    pub name: &'a Name,
    /// A person Cairn does not know yet may be created (their domain is allowed).
    pub may_create: bool,
    /// A person Cairn knows by this email may be linked to the subject.
    pub may_link: bool,
    /// What their groups make them (see `cairn::identity`).
    pub standing: &'a Standing,
}

/// Why someone the provider vouched for does not get in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArrivalRefused {
    /// The person is deactivated in Cairn.
    Deactivated,
    /// Nobody in Cairn has this email, and new people may not arrive by themselves.
    NotInvited,
    /// The email belongs to someone already linked to another account at this
    /// provider (the address was given to someone else there).
    LinkedElsewhere,
}

/// How an arrival went: who it is, and the map's rules that named no unit here.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrived {
    pub person: PersonId,
    pub created: bool,
    pub unknown_units: Vec<String>,
}

/// Finds, links or creates the person and applies their standing.
pub async fn arrive(
    db: &Db,
    arrival: Arrival<'_>,
) -> Result<Result<Arrived, ArrivalRefused>, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let known: Option<i64> =
        sqlx::query_scalar("SELECT person_id FROM identities WHERE provider = $1 AND subject = $2")
            .bind(arrival.provider)
            .bind(arrival.subject)
            .fetch_optional(&mut *tx)
            .await?;
    let mut created = false;
    let person = match known {
        Some(person) => {
            sqlx::query(
                "UPDATE identities SET email = $1, last_sign_in_at = $2 \
                 WHERE provider = $3 AND subject = $4",
            )
            .bind(arrival.email.as_str())
            .bind(at)
            .bind(arrival.provider)
            .bind(arrival.subject)
            .execute(&mut *tx)
            .await?;
            PersonId(person)
        }
        None => {
            let by_email: Option<i64> =
                sqlx::query_scalar("SELECT id FROM people WHERE lower(email) = lower($1)")
                    .bind(arrival.email.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            let person = match by_email {
                Some(person) if arrival.may_link => {
                    let linked: i64 = sqlx::query_scalar(
                        "SELECT count(*) FROM identities WHERE provider = $1 AND person_id = $2",
                    )
                    .bind(arrival.provider)
                    .bind(person)
                    .fetch_one(&mut *tx)
                    .await?;
                    if linked > 0 {
                        return Ok(Err(ArrivalRefused::LinkedElsewhere));
                    }
                    PersonId(person)
                }
                None if arrival.may_create => {
                    created = true;
                    let new = NewPerson {
                        name: arrival.name.clone(),
                        email: arrival.email.clone(),
                    };
                    insert_person(&mut tx, at, None, new).await?.id
                }
                _ => return Ok(Err(ArrivalRefused::NotInvited)),
            };
            link(&mut tx, at, &arrival, person).await?;
            person
        }
    };
    let active: i64 = sqlx::query_scalar("SELECT active FROM people WHERE id = $1")
        .bind(person.0)
        .fetch_one(&mut *tx)
        .await?;
    if active != 1 {
        return Ok(Err(ArrivalRefused::Deactivated));
    }
    let admin_now: Option<i64> =
        sqlx::query_scalar("SELECT is_admin FROM accounts WHERE person_id = $1")
            .bind(person.0)
            .fetch_optional(&mut *tx)
            .await?;
    let admin = arrival
        .standing
        .admin
        .unwrap_or(admin_now.unwrap_or(0) == 1);
    put_account(&mut tx, at, None, person, admin).await?;
    let unknown_units = apply_units(&mut tx, at, person, arrival.standing).await?;
    tx.commit().await?;
    Ok(Ok(Arrived {
        person,
        created,
        unknown_units,
    }))
}

/// Stores the subject as the person's, audited.
async fn link(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    arrival: &Arrival<'_>,
    person: PersonId,
) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO identities (provider, subject, person_id, email, created_at, last_sign_in_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(arrival.provider)
    .bind(arrival.subject)
    .bind(person.0)
    .bind(arrival.email.as_str())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    let after = serde_json::json!({ "provider": arrival.provider, "subject": arrival.subject });
    record(
        tx,
        at,
        Change {
            after: Some(after.to_string()),
            ..Change::noted(None, Action::IdentityLink, Entity::Person, person.0)
        },
    )
    .await?;
    Ok(())
}

/// Puts the person in, or takes them out of, every unit the map names; returns
/// the names that match no active unit (or more than one).
async fn apply_units(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    person: PersonId,
    standing: &Standing,
) -> Result<Vec<String>, StorageError> {
    let mut unknown = Vec::new();
    for (name, role) in &standing.units {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM org_units WHERE name = $1 AND active = 1")
                .bind(name)
                .fetch_all(&mut **tx)
                .await?;
        let [unit] = ids[..] else {
            unknown.push(name.clone());
            continue;
        };
        let now: Option<String> = sqlx::query_scalar(
            "SELECT role FROM memberships WHERE unit_id = $1 AND person_id = $2",
        )
        .bind(unit)
        .bind(person.0)
        .fetch_optional(&mut **tx)
        .await?;
        let now = now.as_deref().and_then(Role::parse);
        match (now, role) {
            (now, Some(role)) if now != Some(*role) => {
                let membership = Membership {
                    unit: UnitId(unit),
                    person,
                    role: *role,
                };
                put_membership(tx, at, None, membership).await?;
            }
            (Some(_), None) => {
                sqlx::query("DELETE FROM memberships WHERE unit_id = $1 AND person_id = $2")
                    .bind(unit)
                    .bind(person.0)
                    .execute(&mut **tx)
                    .await?;
                let before = serde_json::json!({ "unit": unit });
                record(
                    tx,
                    at,
                    Change {
                        before: Some(before.to_string()),
                        ..Change::noted(None, Action::MembershipRemove, Entity::Person, person.0)
                    },
                )
                .await?;
            }
            _ => {}
        }
    }
    Ok(unknown)
}

/// The providers a person is linked to, with the email each last vouched for.
pub async fn of_person(db: &Db, person: PersonId) -> Result<Vec<(String, String)>, StorageError> {
    use sqlx::Row;
    sqlx::query("SELECT provider, email FROM identities WHERE person_id = $1 ORDER BY provider")
        .bind(person.0)
        .fetch_all(db.reader())
        .await?
        .iter()
        .map(|row| Ok((row.try_get("provider")?, row.try_get("email")?)))
        .collect()
}

/// How many active units have this name (a group map rule needs exactly one).
pub async fn units_named(db: &Db, name: &str) -> Result<i64, StorageError> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM org_units WHERE name = $1 AND active = 1")
            .bind(name)
            .fetch_one(db.reader())
            .await?,
    )
}

/// How many people have signed in through this provider.
pub async fn linked(db: &Db, provider: &str) -> Result<i64, StorageError> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM identities WHERE provider = $1")
            .bind(provider)
            .fetch_one(db.reader())
            .await?,
    )
}
