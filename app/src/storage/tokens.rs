//! API tokens: made by people for themselves and by admins for services, kept
//! only as the SHA-256 of their secret, revocable at once, each use noted.

use cairn::api::Scopes;
use cairn::audit::{Action, Entity};
use cairn::ids::PersonId;
use cairn::values::Name;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::storage::changes::{Change, json, record};
use crate::storage::{Db, StorageError};

/// Whose rights a token works with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// A person's own token: never more than the person may.
    Person(PersonId),
    /// A service token an admin made: an admin's rights, within its scopes.
    Service,
}

/// A new token, before it is stored.
pub struct NewToken {
    pub holder: Holder,
    pub name: Name,
    pub scopes: Scopes,
    pub expires_at: Option<i64>,
    /// The SHA-256 (hex) of its secret.
    pub hash: String,
    /// The secret's first characters, to tell tokens apart.
    pub prefix: String,
}

/// A token as its lists and the API see it (never its secret).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub id: i64,
    pub holder: Holder,
    pub name: String,
    pub prefix: String,
    pub scopes: Scopes,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl Token {
    /// Whether it works at `now`: not revoked, not expired.
    pub fn works_at(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|end| now < end)
    }
}

const COLUMNS: &str =
    "id, person_id, name, prefix, scopes, created_at, expires_at, last_used_at, revoked_at";

fn read(row: &AnyRow) -> Result<Token, StorageError> {
    let scopes: String = row.try_get("scopes")?;
    Ok(Token {
        id: row.try_get("id")?,
        holder: match row.try_get::<Option<i64>, _>("person_id")? {
            Some(person) => Holder::Person(PersonId(person)),
            None => Holder::Service,
        },
        name: row.try_get("name")?,
        prefix: row.try_get("prefix")?,
        scopes: Scopes::parse(&scopes).map_err(StorageError::corrupt)?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

fn holder_id(holder: Holder) -> Option<i64> {
    match holder {
        Holder::Person(person) => Some(person.0),
        Holder::Service => None,
    }
}

/// Stores a new token; audited (without its secret). Its id.
pub async fn create(db: &Db, actor: Option<PersonId>, new: NewToken) -> Result<i64, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    if let Holder::Person(person) = new.holder {
        crate::storage::org::exists(&mut tx, "people", person.0).await?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (person_id, name, token_hash, prefix, scopes, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(holder_id(new.holder))
    .bind(new.name.as_str())
    .bind(&new.hash)
    .bind(&new.prefix)
    .bind(new.scopes.text())
    .bind(actor.map(|p| p.0))
    .bind(at)
    .bind(new.expires_at)
    .fetch_one(&mut *tx)
    .await?;
    let shown = serde_json::json!({
        "token": id,
        "name": new.name.as_str(),
        "scopes": new.scopes.text(),
        "expires_at": new.expires_at,
        "service": new.holder == Holder::Service,
    });
    let entity = match new.holder {
        Holder::Person(person) => (Entity::Person, person.0),
        Holder::Service => (Entity::Instance, 1),
    };
    let change = Change::created(actor, Action::TokenCreate, entity.0, entity.1, &shown, None)?;
    record(&mut tx, at, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// The tokens a holder has, newest first (revoked ones too, marked).
pub async fn list(db: &Db, holder: Holder) -> Result<Vec<Token>, StorageError> {
    let rows = match holder {
        Holder::Person(person) => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM api_tokens WHERE person_id = $1 ORDER BY id DESC"
            ))
            .bind(person.0)
            .fetch_all(db.reader())
            .await?
        }
        Holder::Service => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM api_tokens WHERE person_id IS NULL ORDER BY id DESC"
            ))
            .fetch_all(db.reader())
            .await?
        }
    };
    rows.iter().map(read).collect()
}

/// Revokes a token at once; `holder` must be its holder (a person revokes their
/// own, an admin a service's). Audited. False when it was revoked already.
pub async fn revoke(
    db: &Db,
    actor: Option<PersonId>,
    holder: Holder,
    id: i64,
) -> Result<bool, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StorageError::not_found("api_tokens", id))?;
    let token = read(&row)?;
    if token.holder != holder {
        return Err(StorageError::not_found("api_tokens", id));
    }
    if token.revoked_at.is_some() {
        return Ok(false);
    }
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let entity = match holder {
        Holder::Person(person) => (Entity::Person, person.0),
        Holder::Service => (Entity::Instance, 1),
    };
    let change = Change {
        actor,
        action: Action::TokenRevoke,
        entity: entity.0,
        entity_id: entity.1,
        before: None,
        after: Some(json(
            &serde_json::json!({ "token": id, "name": token.name }),
        )?),
        live: None,
    };
    record(&mut tx, at, change).await?;
    tx.commit().await?;
    Ok(true)
}

/// How often a token's last use is written at most: a script calling in a
/// loop does not write on every call.
const USE_NOTED_EVERY_MS: i64 = 60_000;

/// The token whose secret hashes to `hash`, if there is one, noting its use.
/// Whether it still works is the caller's to check (`Token::works_at`).
pub async fn by_hash(db: &Db, hash: &str) -> Result<Option<Token>, StorageError> {
    let Some(row) = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1"
    ))
    .bind(hash)
    .fetch_optional(db.reader())
    .await?
    else {
        return Ok(None);
    };
    let token = read(&row)?;
    let now = db.now_ms();
    if token.works_at(now)
        && token
            .last_used_at
            .is_none_or(|at| now - at >= USE_NOTED_EVERY_MS)
    {
        let mut tx = db.writer().begin().await?;
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(token.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(Some(token))
}
