//! Accounts: passwords (stored as argon2id hashes made by the caller), admin
//! rights and one-time sign-in links.
//!
//! Beside it: signed-in browsers (`sessions`) and counted password attempts
//! (`attempts`).

pub mod attempts;
pub mod identities;
pub mod sessions;

use cairn::access::{Actor, Ownership};
use cairn::audit::{Action, Entity};
use cairn::ids::{ObjectiveId, PersonId, UnitId};
use cairn::model::{Owner, Role};
use sqlx::{Any, Row, Transaction};

use crate::storage::changes::{Change, claim, record};
use crate::storage::org::unit_and_ancestors;
use crate::storage::{Db, StorageError};

/// Who is signed in, as pages show them and permission checks need them.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedIn {
    pub actor: Actor,
    pub name: String,
    pub email: String,
    /// Notices in their inbox not read yet.
    pub unread: i64,
    /// The language their mail is written in (`en`, `nl`); None until known.
    pub language: Option<String>,
}

/// A person's way in, looked up by email at sign-in.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub person: PersonId,
    pub password_hash: Option<String>,
}

/// The account of an active person by their email (compared without case).
pub async fn credentials(db: &Db, email: &str) -> Result<Option<Credentials>, StorageError> {
    let row = sqlx::query(
        "SELECT p.id, a.password_hash FROM people p JOIN accounts a ON a.person_id = p.id \
         WHERE lower(p.email) = lower($1) AND p.active = 1",
    )
    .bind(email.trim())
    .fetch_optional(db.reader())
    .await?;
    row.map(|row| {
        Ok(Credentials {
            person: PersonId(row.try_get("id")?),
            password_hash: row.try_get("password_hash")?,
        })
    })
    .transpose()
}

/// The stored hash of a person's password, if they have one.
pub async fn password_hash(db: &Db, person: PersonId) -> Result<Option<String>, StorageError> {
    Ok(sqlx::query_scalar::<_, Option<String>>(
        "SELECT password_hash FROM accounts WHERE person_id = $1",
    )
    .bind(person.0)
    .fetch_optional(db.reader())
    .await?
    .flatten())
}

/// The signed-in person behind a session: None when the person is gone, has been
/// deactivated or has no account any more.
pub async fn signed_in(db: &Db, person: PersonId) -> Result<Option<SignedIn>, StorageError> {
    let Some(row) = sqlx::query(
        "SELECT p.name, p.email, p.language, a.is_admin, (SELECT count(*) FROM notices n \
           WHERE n.person_id = p.id AND n.read_at IS NULL) AS unread \
         FROM people p JOIN accounts a ON a.person_id = p.id WHERE p.id = $1 AND p.active = 1",
    )
    .bind(person.0)
    .fetch_optional(db.reader())
    .await?
    else {
        return Ok(None);
    };
    let memberships = sqlx::query("SELECT unit_id, role FROM memberships WHERE person_id = $1")
        .bind(person.0)
        .fetch_all(db.reader())
        .await?
        .iter()
        .map(|row| {
            let role: String = row.try_get("role")?;
            Ok((
                UnitId(row.try_get("unit_id")?),
                Role::parse(&role).ok_or_else(|| StorageError::corrupt(format!("role {role}")))?,
            ))
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    Ok(Some(SignedIn {
        actor: Actor::new(
            person,
            row.try_get::<i64, _>("is_admin")? == 1,
            &memberships,
        ),
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        unread: row.try_get("unread")?,
        language: row.try_get("language")?,
    }))
}

/// Gives a person an account (or changes its admin right); the password stays as
/// it is. With `expected`, only if the person is still at that version (an admin
/// form made on it). Audited.
pub async fn grant_account(
    db: &Db,
    actor: Option<PersonId>,
    person: PersonId,
    admin: bool,
    expected: Option<i64>,
) -> Result<(), StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    if let Some(expected) = expected {
        claim(&mut tx, "people", person.0, expected).await?;
    }
    put_account(&mut tx, at, actor, person, admin).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a person an account or changes its admin right, audited, in the caller's
/// transaction; nothing when it is as asked already.
pub(crate) async fn put_account(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    actor: Option<PersonId>,
    person: PersonId,
    admin: bool,
) -> Result<(), StorageError> {
    crate::storage::org::exists(tx, "people", person.0).await?;
    let before: Option<i64> =
        sqlx::query_scalar("SELECT is_admin FROM accounts WHERE person_id = $1")
            .bind(person.0)
            .fetch_optional(&mut **tx)
            .await?;
    if before == Some(i64::from(admin)) {
        return Ok(());
    }
    if before.is_some() {
        sqlx::query("UPDATE accounts SET is_admin = $1 WHERE person_id = $2")
            .bind(i64::from(admin))
            .bind(person.0)
            .execute(&mut **tx)
            .await?;
    } else {
        sqlx::query("INSERT INTO accounts (person_id, is_admin, created_at) VALUES ($1, $2, $3)")
            .bind(person.0)
            .bind(i64::from(admin))
            .bind(at)
            .execute(&mut **tx)
            .await?;
    }
    let state =
        |admin: Option<i64>| admin.map(|a| serde_json::json!({ "admin": a == 1 }).to_string());
    record(
        tx,
        at,
        Change {
            actor,
            action: Action::AccountGrant,
            entity: Entity::Person,
            entity_id: person.0,
            before: state(before),
            after: state(Some(i64::from(admin))),
            live: None,
        },
    )
    .await?;
    Ok(())
}

/// Whether the person's account (active or not) carries admin rights.
pub async fn is_admin(db: &Db, person: PersonId) -> Result<bool, StorageError> {
    let admin: Option<i64> =
        sqlx::query_scalar("SELECT is_admin FROM accounts WHERE person_id = $1")
            .bind(person.0)
            .fetch_optional(db.reader())
            .await?;
    Ok(admin == Some(1))
}

/// Whether any admin account exists (the first start creates one if not).
pub async fn has_admin(db: &Db) -> Result<bool, StorageError> {
    let count: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM accounts a JOIN people p ON p.id = a.person_id \
         WHERE a.is_admin = 1 AND p.active = 1",
    )
    .fetch_one(db.reader())
    .await?;
    Ok(count > 0)
}

/// Stores a new password hash and ends the person's other sessions (all of them
/// when `keep_session` is None). Audited without the hash.
pub async fn set_password(
    db: &Db,
    actor: Option<PersonId>,
    person: PersonId,
    hash: &str,
    keep_session: Option<&str>,
) -> Result<(), StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let updated = sqlx::query(
        "UPDATE accounts SET password_hash = $1, password_changed_at = $2 WHERE person_id = $3",
    )
    .bind(hash)
    .bind(at)
    .bind(person.0)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(StorageError::not_found("accounts", person.0));
    }
    sqlx::query("DELETE FROM sessions WHERE person_id = $1 AND id <> $2")
        .bind(person.0)
        .bind(keep_session.unwrap_or(""))
        .execute(&mut *tx)
        .await?;
    record(
        &mut tx,
        at,
        Change::noted(actor, Action::AccountPassword, Entity::Person, person.0),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Stores a one-time sign-in link's token hash for `person`, valid for `valid_ms`.
pub async fn create_sign_in_link(
    db: &Db,
    actor: Option<PersonId>,
    person: PersonId,
    token_hash: &str,
    valid_ms: i64,
) -> Result<(), StorageError> {
    create_sign_in_link_with(db, actor, person, token_hash, valid_ms, None).await
}

/// Stores a one-time sign-in link and queues the mail that carries it, together.
pub async fn create_sign_in_link_with(
    db: &Db,
    actor: Option<PersonId>,
    person: PersonId,
    token_hash: &str,
    valid_ms: i64,
    mail: Option<&crate::storage::outbox::Outgoing>,
) -> Result<(), StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    if let Some(mail) = mail {
        crate::storage::outbox::enqueue(&mut tx, at, mail).await?;
    }
    crate::storage::org::exists(&mut tx, "people", person.0).await?;
    sqlx::query(
        "INSERT INTO sign_in_links (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(person.0)
    .bind(at)
    .bind(at + valid_ms)
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        at,
        Change::noted(actor, Action::SignInLink, Entity::Person, person.0),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Counts a request for a sign-in link by mail from `address` for `account`
/// (written first, so requests sent together are all counted): how many each has
/// made since `since`, this one included. Older requests are forgotten.
pub async fn note_link_request(
    db: &Db,
    account: &str,
    address: &str,
    since: i64,
) -> Result<(i64, i64), StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    sqlx::query("DELETE FROM link_requests WHERE at < $1")
        .bind(since)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO link_requests (account, address, at) VALUES ($1, $2, $3)")
        .bind(account)
        .bind(address)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    let by_account: i64 =
        sqlx::query_scalar("SELECT count(*) FROM link_requests WHERE account = $1 AND at >= $2")
            .bind(account)
            .bind(since)
            .fetch_one(&mut *tx)
            .await?;
    let by_address: i64 =
        sqlx::query_scalar("SELECT count(*) FROM link_requests WHERE address = $1 AND at >= $2")
            .bind(address)
            .bind(since)
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok((by_account, by_address))
}

/// Uses a sign-in link: the person it was made for, once, before it expires; None
/// for an unknown, used or expired link, or a deactivated person.
pub async fn redeem_sign_in_link(
    db: &Db,
    token_hash: &str,
) -> Result<Option<PersonId>, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let person: Option<i64> = sqlx::query_scalar(
        "UPDATE sign_in_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
         RETURNING person_id",
    )
    .bind(at)
    .bind(token_hash)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(person) = person else {
        return Ok(None);
    };
    let active: Option<i64> = sqlx::query_scalar(
        "SELECT p.active FROM people p JOIN accounts a ON a.person_id = p.id WHERE p.id = $1",
    )
    .bind(person)
    .fetch_optional(&mut *tx)
    .await?;
    if active != Some(1) {
        return Ok(None);
    }
    record(
        &mut tx,
        at,
        Change::noted(
            Some(PersonId(person)),
            Action::SignInLinkUsed,
            Entity::Person,
            person,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(PersonId(person)))
}

/// What an objective's rights depend on: its owner and, for a unit, the units above.
pub async fn ownership(db: &Db, objective: ObjectiveId) -> Result<Ownership, StorageError> {
    let row = sqlx::query("SELECT owner_unit_id, owner_person_id FROM objectives WHERE id = $1")
        .bind(objective.0)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StorageError::not_found("objectives", objective.0))?;
    owner_ownership(
        db,
        crate::storage::rows::owner(
            row.try_get("owner_unit_id")?,
            row.try_get("owner_person_id")?,
        )?,
    )
    .await
}

/// The rights of an owner: a person's are theirs; a unit's go up its chain.
pub async fn owner_ownership(db: &Db, owner: Owner) -> Result<Ownership, StorageError> {
    let unit_chain = match owner {
        Owner::Unit(unit) => unit_and_ancestors(db, unit)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect(),
        Owner::Person(_) => Vec::new(),
    };
    Ok(Ownership { owner, unit_chain })
}

/// A person by email (compared without case), active or not.
pub async fn person_by_email(db: &Db, email: &str) -> Result<Option<PersonId>, StorageError> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT id FROM people WHERE lower(email) = lower($1)")
            .bind(email.trim())
            .fetch_optional(db.reader())
            .await?
            .map(PersonId),
    )
}
