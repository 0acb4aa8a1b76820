//! What admins change about the organisation: people (edit, deactivate), units
//! (rename, move, deactivate) and memberships, each audited.

use cairn::audit::{Action, Entity};
use cairn::ids::{PersonId, UnitId};
use cairn::values::{Email, Name};
use sqlx::Row;

use crate::storage::changes::{Change, Turn, claim, record, take_turn};
use crate::storage::org::exists;
use crate::storage::{Db, StorageError};

pub(super) fn change(
    actor: Option<PersonId>,
    action: Action,
    entity: Entity,
    id: i64,
    after: serde_json::Value,
) -> Change {
    Change {
        actor,
        action,
        entity,
        entity_id: id,
        before: None,
        after: Some(after.to_string()),
        live: None,
    }
}

/// Adds a person with an account (no password yet) and, optionally, a place in a
/// unit: all of it or nothing, in one transaction.
pub async fn add_person(
    db: &Db,
    actor: Option<PersonId>,
    new: crate::storage::org::NewPerson,
    unit: Option<(UnitId, cairn::model::Role)>,
) -> Result<PersonId, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let person = crate::storage::org::insert_person(&mut tx, at, actor, new)
        .await?
        .id;
    crate::storage::accounts::put_account(&mut tx, at, actor, person, false).await?;
    if let Some((unit, role)) = unit {
        let membership = cairn::model::Membership { unit, person, role };
        crate::storage::org::put_membership(&mut tx, at, actor, membership).await?;
    }
    tx.commit().await?;
    Ok(person)
}

/// A person as the admin list shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub active: bool,
    pub admin: bool,
    pub has_account: bool,
    pub has_password: bool,
    /// (unit id, unit name, role)
    pub units: Vec<(i64, String, cairn::model::Role)>,
    pub version: i64,
}

/// People whose name or email contains `query` (all when empty), by name.
pub async fn people(db: &Db, query: &str, limit: i64) -> Result<Vec<PersonRow>, StorageError> {
    let pattern = format!("%{}%", query.trim().to_lowercase().replace(['%', '_'], ""));
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.email, p.active, p.version, a.is_admin, a.person_id AS account, a.password_hash \
         FROM people p LEFT JOIN accounts a ON a.person_id = p.id \
         WHERE lower(p.name) LIKE $1 OR lower(p.email) LIKE $1 ORDER BY p.name, p.id LIMIT $2",
    )
    .bind(pattern)
    .bind(limit)
    .fetch_all(db.reader())
    .await?;
    let mut out = Vec::new();
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        let units = sqlx::query(
            "SELECT u.id, u.name, m.role FROM memberships m JOIN org_units u ON u.id = m.unit_id \
             WHERE m.person_id = $1 ORDER BY u.name",
        )
        .bind(id)
        .fetch_all(db.reader())
        .await?
        .iter()
        .map(|r| {
            let role: String = r.try_get("role")?;
            let role = cairn::model::Role::parse(&role)
                .ok_or_else(|| StorageError::corrupt(format!("role {role}")))?;
            Ok((r.try_get("id")?, r.try_get("name")?, role))
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
        out.push(PersonRow {
            id,
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            active: row.try_get::<i64, _>("active")? == 1,
            admin: row.try_get::<Option<i64>, _>("is_admin")? == Some(1),
            has_account: row.try_get::<Option<i64>, _>("account")?.is_some(),
            has_password: row.try_get::<Option<String>, _>("password_hash")?.is_some(),
            units,
            version: row.try_get("version")?,
        });
    }
    Ok(out)
}

/// Renames a person or changes their email (which must stay unique).
pub async fn update_person(
    db: &Db,
    actor: Option<PersonId>,
    person: PersonId,
    expected: i64,
    name: &Name,
    email: &Email,
) -> Result<(), StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    claim(&mut tx, "people", person.0, expected).await?;
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM people WHERE lower(email) = lower($1) AND id <> $2")
            .bind(email.as_str())
            .bind(person.0)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(cairn::rules::Rule::EmailTaken.into());
    }
    sqlx::query("UPDATE people SET name = $1, email = $2 WHERE id = $3")
        .bind(name.as_str())
        .bind(email.as_str())
        .bind(person.0)
        .execute(&mut *tx)
        .await?;
    record(
        &mut tx,
        at,
        change(
            actor,
            Action::PersonUpdate,
            Entity::Person,
            person.0,
            serde_json::json!({ "name": name.as_str(), "email": email.as_str() }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivates (ending every session) or reactivates a person at version
/// `expected`.
pub async fn set_person_active(
    db: &Db,
    actor: Option<PersonId>,
    person: PersonId,
    expected: i64,
    active: bool,
) -> Result<(), StorageError> {
    set_active(db, actor, Activation::Person(person), expected, active).await
}

/// Deactivates or reactivates a unit at version `expected`.
pub async fn set_unit_active(
    db: &Db,
    actor: Option<PersonId>,
    unit: UnitId,
    expected: i64,
    active: bool,
) -> Result<(), StorageError> {
    set_active(db, actor, Activation::Unit(unit), expected, active).await
}

enum Activation {
    Person(PersonId),
    Unit(UnitId),
}

/// Sets a person's or a unit's active flag, audited; a deactivated person's
/// sessions end in the same transaction.
async fn set_active(
    db: &Db,
    actor: Option<PersonId>,
    what: Activation,
    expected: i64,
    active: bool,
) -> Result<(), StorageError> {
    let (entity, id, action) = match (&what, active) {
        (Activation::Person(p), true) => (Entity::Person, p.0, Action::PersonReactivate),
        (Activation::Person(p), false) => (Entity::Person, p.0, Action::PersonDeactivate),
        (Activation::Unit(u), true) => (Entity::Unit, u.0, Action::UnitReactivate),
        (Activation::Unit(u), false) => (Entity::Unit, u.0, Action::UnitDeactivate),
    };
    let table = entity.as_str();
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    claim(&mut tx, table, id, expected).await?;
    sqlx::query(&format!("UPDATE {table} SET active = $1 WHERE id = $2"))
        .bind(i64::from(active))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if matches!(what, Activation::Person(_)) && !active {
        sqlx::query("DELETE FROM sessions WHERE person_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let after = serde_json::json!({ "active": active });
    record(&mut tx, at, change(actor, action, entity, id, after)).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a person out of a unit; with `expected`, only if the person is still at
/// that version.
pub async fn remove_membership(
    db: &Db,
    actor: Option<PersonId>,
    unit: UnitId,
    person: PersonId,
    expected: Option<i64>,
) -> Result<(), StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    if let Some(expected) = expected {
        claim(&mut tx, "people", person.0, expected).await?;
    }
    let removed = sqlx::query("DELETE FROM memberships WHERE unit_id = $1 AND person_id = $2")
        .bind(unit.0)
        .bind(person.0)
        .execute(&mut *tx)
        .await?;
    if removed.rows_affected() == 0 {
        return Err(StorageError::not_found("memberships", person.0));
    }
    record(
        &mut tx,
        at,
        change(
            actor,
            Action::MembershipRemove,
            Entity::Person,
            person.0,
            serde_json::json!({ "unit": unit.0 }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Renames a unit and puts it under `parent` (a team moving to another
/// department); a unit cannot go under itself or anything below it.
pub async fn update_unit(
    db: &Db,
    actor: Option<PersonId>,
    unit: UnitId,
    expected: i64,
    name: &Name,
    parent: Option<UnitId>,
) -> Result<(), StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    // Two moves that are each fine alone could close a loop together.
    take_turn(&mut tx, Turn::Units).await?;
    claim(&mut tx, "org_units", unit.0, expected).await?;
    let current_parent: Option<i64> =
        sqlx::query_scalar("SELECT parent_id FROM org_units WHERE id = $1")
            .bind(unit.0)
            .fetch_one(&mut *tx)
            .await?;
    if current_parent.is_some() != parent.is_some() {
        return Err(cairn::rules::Rule::OrganisationOnTop.into());
    }
    if let Some(parent) = parent {
        exists(&mut tx, "org_units", parent.0).await?;
        let below: i64 = sqlx::query_scalar(
            "WITH RECURSIVE down (id, depth) AS ( \
                 SELECT $1, 0 UNION ALL \
                 SELECT u.id, down.depth + 1 FROM org_units u JOIN down ON u.parent_id = down.id WHERE down.depth < 64 \
             ) SELECT count(*) FROM down WHERE id = $2",
        )
        .bind(unit.0)
        .bind(parent.0)
        .fetch_one(&mut *tx)
        .await?;
        if below > 0 {
            return Err(cairn::rules::Rule::UnitCycle.into());
        }
    }
    sqlx::query("UPDATE org_units SET name = $1, parent_id = $2 WHERE id = $3")
        .bind(name.as_str())
        .bind(parent.map(|p| p.0))
        .bind(unit.0)
        .execute(&mut *tx)
        .await?;
    record(&mut tx, at, change(actor, Action::UnitUpdate, Entity::Unit, unit.0,
        serde_json::json!({ "name": name.as_str(), "parent": parent.map(|p| p.0), "parent_before": current_parent }))).await?;
    tx.commit().await?;
    Ok(())
}

/// Every unit with its parent, kind and state, for the admin tree.
/// A unit as the admin tree shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    pub id: UnitId,
    pub parent: Option<UnitId>,
    pub name: String,
    pub kind: cairn::model::UnitKind,
    pub active: bool,
    pub version: i64,
}

pub async fn all_units(db: &Db) -> Result<Vec<UnitRow>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, parent_id, name, kind, active, version FROM org_units ORDER BY name, id",
    )
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(UnitRow {
                id: UnitId(r.try_get("id")?),
                parent: r.try_get::<Option<i64>, _>("parent_id")?.map(UnitId),
                name: r.try_get("name")?,
                kind: cairn::model::UnitKind::parse(&kind)
                    .ok_or_else(|| StorageError::corrupt(format!("unit kind {kind}")))?,
                active: r.try_get::<i64, _>("active")? == 1,
                version: r.try_get("version")?,
            })
        })
        .collect()
}
