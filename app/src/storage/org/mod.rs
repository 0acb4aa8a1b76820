//! Units, people and memberships.
//!
//! Beside it: what admins change (`admin`) and the CSV import (`import`).

pub mod admin;
pub mod import;

use cairn::audit::{Action, Entity};
use cairn::ids::{PersonId, UnitId};
use cairn::model::{Membership, OrgUnit, Person, Role, UnitKind};
use cairn::values::{Email, Name};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::storage::changes::{Change, claim, json, record};
use crate::storage::{Db, StorageError};

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub parent: Option<UnitId>,
    pub name: Name,
    pub kind: UnitKind,
}

pub async fn create_unit(
    db: &Db,
    actor: Option<PersonId>,
    unit: NewUnit,
) -> Result<OrgUnit, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let created = insert_unit(&mut tx, at, actor, unit).await?;
    tx.commit().await?;
    Ok(created)
}

/// A new unit, audited, in the caller's transaction; its parent must exist.
pub(crate) async fn insert_unit(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    actor: Option<PersonId>,
    unit: NewUnit,
) -> Result<OrgUnit, StorageError> {
    if let Some(parent) = unit.parent {
        exists(tx, "org_units", parent.0).await?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO org_units (parent_id, name, kind, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(unit.parent.map(|u| u.0))
    .bind(unit.name.as_str())
    .bind(unit.kind.as_str())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    let created = OrgUnit {
        id: UnitId(id),
        parent: unit.parent,
        name: unit.name,
        kind: unit.kind,
        version: 1,
    };
    let change = Change::created(actor, Action::UnitCreate, Entity::Unit, id, &created, None)?;
    record(tx, at, change).await?;
    Ok(created)
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: Name,
    pub email: Email,
}

pub async fn create_person(
    db: &Db,
    actor: Option<PersonId>,
    person: NewPerson,
) -> Result<Person, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let created = insert_person(&mut tx, at, actor, person).await?;
    tx.commit().await?;
    Ok(created)
}

/// A new person, audited, in the caller's transaction; an email address taken
/// (compared without case) is refused.
pub(crate) async fn insert_person(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    actor: Option<PersonId>,
    person: NewPerson,
) -> Result<Person, StorageError> {
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM people WHERE lower(email) = lower($1)")
            .bind(person.email.as_str())
            .fetch_optional(&mut **tx)
            .await?;
    if taken.is_some() {
        return Err(cairn::rules::Rule::EmailTaken.into());
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO people (name, email, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(person.name.as_str())
    .bind(person.email.as_str())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    let created = Person {
        id: PersonId(id),
        name: person.name,
        email: person.email,
        active: true,
        version: 1,
    };
    let change = Change::created(
        actor,
        Action::PersonCreate,
        Entity::Person,
        id,
        &created,
        None,
    )?;
    record(tx, at, change).await?;
    Ok(created)
}

/// Adds a person to a unit, or changes their role there; with `expected`, only if
/// the person is still at that version (an admin form made on it).
pub async fn set_membership(
    db: &Db,
    actor: Option<PersonId>,
    membership: Membership,
    expected: Option<i64>,
) -> Result<(), StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    if let Some(expected) = expected {
        claim(&mut tx, "people", membership.person.0, expected).await?;
    }
    put_membership(&mut tx, at, actor, membership).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a person to a unit or changes their role there, audited, in the caller's
/// transaction.
pub(crate) async fn put_membership(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    actor: Option<PersonId>,
    membership: Membership,
) -> Result<(), StorageError> {
    exists(tx, "org_units", membership.unit.0).await?;
    exists(tx, "people", membership.person.0).await?;
    let before: Option<String> =
        sqlx::query_scalar("SELECT role FROM memberships WHERE unit_id = $1 AND person_id = $2")
            .bind(membership.unit.0)
            .bind(membership.person.0)
            .fetch_optional(&mut **tx)
            .await?;
    sqlx::query("DELETE FROM memberships WHERE unit_id = $1 AND person_id = $2")
        .bind(membership.unit.0)
        .bind(membership.person.0)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO memberships (unit_id, person_id, role) VALUES ($1, $2, $3)")
        .bind(membership.unit.0)
        .bind(membership.person.0)
        .bind(membership.role.as_str())
        .execute(&mut **tx)
        .await?;
    record(
        tx,
        at,
        Change {
            actor,
            action: Action::MembershipSet,
            entity: Entity::Person,
            entity_id: membership.person.0,
            before: before
                .map(|role| format!("{{\"unit\":{},\"role\":\"{role}\"}}", membership.unit.0)),
            after: Some(json(&membership)?),
            live: None,
        },
    )
    .await?;
    Ok(())
}

pub async fn units(db: &Db) -> Result<Vec<OrgUnit>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, parent_id, name, kind, version FROM org_units WHERE active = 1 ORDER BY id",
    )
    .fetch_all(db.reader())
    .await?;
    rows.iter().map(unit_from_row).collect()
}

/// The organisation: the active unit at the top of the tree, if there is one.
pub async fn root_unit(db: &Db) -> Result<Option<OrgUnit>, StorageError> {
    let row = sqlx::query(
        "SELECT id, parent_id, name, kind, version FROM org_units \
         WHERE parent_id IS NULL AND kind = 'organisation' AND active = 1 ORDER BY id LIMIT 1",
    )
    .fetch_optional(db.reader())
    .await?;
    row.as_ref().map(unit_from_row).transpose()
}

/// The active units directly under `parent`, by name.
pub async fn sub_units(db: &Db, parent: UnitId) -> Result<Vec<OrgUnit>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, parent_id, name, kind, version FROM org_units \
         WHERE parent_id = $1 AND active = 1 ORDER BY name, id",
    )
    .bind(parent.0)
    .fetch_all(db.reader())
    .await?;
    rows.iter().map(unit_from_row).collect()
}

/// A unit and the units above it, from the unit itself up to the top. The walk stops
/// after 64 levels, so a loop in the data cannot make it run forever.
pub async fn unit_and_ancestors(db: &Db, id: UnitId) -> Result<Vec<OrgUnit>, StorageError> {
    let rows = sqlx::query(
        "WITH RECURSIVE up (id, depth) AS ( \
             SELECT id, 0 FROM org_units WHERE id = $1 \
             UNION ALL \
             SELECT u.parent_id, up.depth + 1 FROM up JOIN org_units u ON u.id = up.id \
             WHERE u.parent_id IS NOT NULL AND up.depth < 64 \
         ) \
         SELECT u.id, u.parent_id, u.name, u.kind, u.version FROM up JOIN org_units u ON u.id = up.id \
         ORDER BY up.depth",
    )
    .bind(id.0)
    .fetch_all(db.reader())
    .await?;
    rows.iter().map(unit_from_row).collect()
}

pub async fn unit(db: &Db, id: UnitId) -> Result<OrgUnit, StorageError> {
    let row = sqlx::query("SELECT id, parent_id, name, kind, version FROM org_units WHERE id = $1")
        .bind(id.0)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StorageError::not_found("org_units", id.0))?;
    unit_from_row(&row)
}

pub async fn person(db: &Db, id: PersonId) -> Result<Person, StorageError> {
    let row = sqlx::query("SELECT id, name, email, active, version FROM people WHERE id = $1")
        .bind(id.0)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StorageError::not_found("people", id.0))?;
    Ok(Person {
        id: PersonId(row.try_get("id")?),
        name: Name::parse(row.try_get("name")?).map_err(StorageError::corrupt)?,
        email: Email::parse(row.try_get("email")?).map_err(StorageError::corrupt)?,
        active: row.try_get::<i64, _>("active")? == 1,
        version: row.try_get("version")?,
    })
}

/// The members of a unit with their roles, by name.
pub async fn members(db: &Db, unit: UnitId) -> Result<Vec<(PersonId, String, Role)>, StorageError> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, m.role FROM memberships m JOIN people p ON p.id = m.person_id \
         WHERE m.unit_id = $1 AND p.active = 1 ORDER BY p.name",
    )
    .bind(unit.0)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| named_role(row).map(|(id, name, role)| (PersonId(id), name, role)))
        .collect()
}

/// The `id`, `name` and `role` of a membership row joined with a person or a unit.
pub(crate) fn named_role(row: &AnyRow) -> Result<(i64, String, Role), StorageError> {
    let role: String = row.try_get("role")?;
    Ok((
        row.try_get("id")?,
        row.try_get("name")?,
        Role::parse(&role).ok_or_else(|| StorageError::corrupt(format!("role {role}")))?,
    ))
}

fn unit_from_row(row: &AnyRow) -> Result<OrgUnit, StorageError> {
    let kind: String = row.try_get("kind")?;
    Ok(OrgUnit {
        id: UnitId(row.try_get("id")?),
        parent: row.try_get::<Option<i64>, _>("parent_id")?.map(UnitId),
        name: Name::parse(row.try_get("name")?).map_err(StorageError::corrupt)?,
        kind: UnitKind::parse(&kind)
            .ok_or_else(|| StorageError::corrupt(format!("unit kind {kind}")))?,
        version: row.try_get("version")?,
    })
}

/// Fails with NotFound unless the row exists.
pub(crate) async fn exists(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    table: &'static str,
    id: i64,
) -> Result<(), StorageError> {
    let sql = format!("SELECT count(*) FROM {table} WHERE id = $1");
    let count: i64 = sqlx::query_scalar(&sql)
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    if count == 1 {
        Ok(())
    } else {
        Err(StorageError::not_found(table, id))
    }
}
