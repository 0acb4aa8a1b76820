//! Importing units and people from CSV rows, already parsed and typed: every
//! reference is checked inside one transaction, and any wrong row stores nothing.

use cairn::audit::{Action, Entity};
use cairn::ids::PersonId;
use cairn::model::Role;
use cairn::values::{Email, Name};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

use crate::storage::changes::record;
use crate::storage::org::admin::change;
use crate::storage::{Db, StorageError};

/// A unit and a person of a CSV import, checked and typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportUnit {
    pub row: usize,
    pub name: Name,
    pub kind: cairn::model::UnitKind,
    /// The parent unit's name: an existing unit, or one earlier in the file.
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportPerson {
    pub row: usize,
    pub name: Name,
    pub email: Email,
    pub unit: Option<String>,
    pub role: Role,
}

pub use cairn::import::{ImportFile, RowProblem, RowRefusal};

/// Imports units, then people with their memberships, in one transaction: every
/// reference is checked first, and if any row is wrong nothing is stored.
/// Returns how many units and people were created.
pub async fn import(
    db: &Db,
    actor: Option<PersonId>,
    units: &[ImportUnit],
    people: &[ImportPerson],
) -> Result<Result<(usize, usize), Vec<RowProblem>>, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let mut problems = Vec::new();
    let mut known: HashMap<String, i64> = sqlx::query("SELECT id, name FROM org_units")
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get::<String, _>("name")?.to_lowercase(),
                r.try_get("id")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?;
    for unit in units {
        let parent = match unit_parent(unit, &known) {
            Ok(parent) => parent,
            Err(refusal) => {
                problems.push(RowProblem {
                    file: ImportFile::Units,
                    row: unit.row,
                    refusal,
                });
                continue;
            }
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO org_units (parent_id, name, kind, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(parent)
        .bind(unit.name.as_str())
        .bind(unit.kind.as_str())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        known.insert(unit.name.as_str().to_lowercase(), id);
    }
    let mut emails = HashSet::new();
    for person in people {
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM people WHERE lower(email) = $1")
                .bind(person.email.as_str().to_lowercase())
                .fetch_optional(&mut *tx)
                .await?;
        let unit = match person_unit(person, taken.is_some(), &mut emails, &known) {
            Ok(unit) => unit,
            Err(refusal) => {
                problems.push(RowProblem {
                    file: ImportFile::People,
                    row: person.row,
                    refusal,
                });
                continue;
            }
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO people (name, email, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(person.name.as_str())
        .bind(person.email.as_str())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO accounts (person_id, is_admin, created_at) VALUES ($1, 0, $2)")
            .bind(id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        if let Some(unit) = unit {
            sqlx::query("INSERT INTO memberships (unit_id, person_id, role) VALUES ($1, $2, $3)")
                .bind(unit)
                .bind(id)
                .bind(person.role.as_str())
                .execute(&mut *tx)
                .await?;
        }
    }
    if !problems.is_empty() {
        tx.rollback().await?;
        return Ok(Err(problems));
    }
    record(
        &mut tx,
        at,
        change(
            actor,
            Action::OrganisationImport,
            Entity::Unit,
            0,
            serde_json::json!({ "units": units.len(), "people": people.len() }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok((units.len(), people.len())))
}

/// Where a new unit goes, by the names known so far (stored or imported above it).
fn unit_parent(unit: &ImportUnit, known: &HashMap<String, i64>) -> Result<Option<i64>, RowRefusal> {
    if known.contains_key(&unit.name.as_str().to_lowercase()) {
        return Err(RowRefusal::UnitExists);
    }
    let parent = match &unit.parent {
        None => None,
        Some(name) => Some(
            *known
                .get(&name.to_lowercase())
                .ok_or(RowRefusal::UnknownParent)?,
        ),
    };
    if parent.is_none() && unit.kind != cairn::model::UnitKind::Organisation {
        return Err(RowRefusal::ParentNeeded);
    }
    Ok(parent)
}

/// The unit a new person joins; their address must be new to the database
/// (`taken`) and to the file (`emails`, the ones seen so far).
fn person_unit(
    person: &ImportPerson,
    taken: bool,
    emails: &mut HashSet<String>,
    known: &HashMap<String, i64>,
) -> Result<Option<i64>, RowRefusal> {
    if taken || !emails.insert(person.email.as_str().to_lowercase()) {
        return Err(RowRefusal::EmailTaken);
    }
    match &person.unit {
        None => Ok(None),
        Some(name) => known
            .get(&name.to_lowercase())
            .map(|id| Some(*id))
            .ok_or(RowRefusal::UnknownUnit),
    }
}
