//! Lists the public API pages through: by id, after a cursor, so that rows added
//! while a client pages come at the end and none is skipped or repeated.

use std::collections::HashMap;

use cairn::alignment::Parent;
use cairn::ids::{KeyResultId, ObjectiveId, PeriodId, PersonId, UnitId};
use cairn::model::{Milestone, ObjectiveState, OrgUnit, Person, Role};
use sqlx::Row;

use super::ObjectiveWithKeyResults;
use crate::storage::notices::id_list;
use crate::storage::rows::{self, KEY_RESULT_COLUMNS, OBJECTIVE_COLUMNS};
use crate::storage::{Db, StorageError};

/// Units after `after`, with whether each is active.
pub async fn units(db: &Db, after: i64, limit: i64) -> Result<Vec<(OrgUnit, bool)>, StorageError> {
    let ids: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, active FROM org_units WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(db.reader())
            .await?;
    let mut found = Vec::with_capacity(ids.len());
    for (id, active) in ids {
        found.push((
            crate::storage::org::unit(db, UnitId(id)).await?,
            active == 1,
        ));
    }
    Ok(found)
}

/// People after `after` (in `unit`, when given), each with their memberships.
pub async fn people(
    db: &Db,
    unit: Option<UnitId>,
    after: i64,
    limit: i64,
) -> Result<Vec<(Person, Vec<(UnitId, Role)>)>, StorageError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT p.id FROM people p WHERE p.id > $1 AND ($2 IS NULL OR p.id IN \
           (SELECT person_id FROM memberships WHERE unit_id = $2)) ORDER BY p.id LIMIT $3",
    )
    .bind(after)
    .bind(unit.map(|u| u.0))
    .bind(limit)
    .fetch_all(db.reader())
    .await?;
    let mut units: HashMap<i64, Vec<(UnitId, Role)>> = HashMap::new();
    if !ids.is_empty() {
        let sql = format!(
            "SELECT person_id, unit_id, role FROM memberships WHERE person_id IN ({}) ORDER BY unit_id",
            id_list(ids.iter().copied())
        );
        for row in sqlx::query(&sql).fetch_all(db.reader()).await? {
            let role: String = row.try_get("role")?;
            let role =
                Role::parse(&role).ok_or_else(|| StorageError::corrupt(format!("role {role}")))?;
            units
                .entry(row.try_get("person_id")?)
                .or_default()
                .push((UnitId(row.try_get("unit_id")?), role));
        }
    }
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        let person = crate::storage::org::person(db, PersonId(id)).await?;
        found.push((person, units.remove(&id).unwrap_or_default()));
    }
    Ok(found)
}

/// Which objectives to list.
#[derive(Debug, Clone, Default)]
pub struct ObjectiveQuery {
    pub period: Option<PeriodId>,
    /// Owned by this unit.
    pub unit: Option<UnitId>,
    /// Owned by this person.
    pub person: Option<PersonId>,
    pub state: Option<ObjectiveState>,
    /// Changed after this moment (ms since the epoch).
    pub updated_since: Option<i64>,
    pub after: i64,
    pub limit: i64,
}

/// An objective as the API lists it: with its key results, their milestones,
/// what it aligns to, its initiatives and when it last changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub okr: ObjectiveWithKeyResults,
    pub milestones: HashMap<KeyResultId, Vec<Milestone>>,
    pub parent: Option<Parent>,
    pub initiatives: Vec<(String, bool)>,
    pub updated_at: i64,
}

const FILTER: &str = "o.id > $1 AND ($2 IS NULL OR o.period_id = $2) \
     AND ($3 IS NULL OR o.owner_unit_id = $3) AND ($4 IS NULL OR o.owner_person_id = $4) \
     AND ($5 IS NULL OR o.state = $5) AND ($6 IS NULL OR o.updated_at > $6)";

/// Objectives after `query.after` that pass its filters, by id.
pub async fn objectives(db: &Db, query: &ObjectiveQuery) -> Result<Vec<Listed>, StorageError> {
    let rows = sqlx::query(&format!(
        "SELECT {OBJECTIVE_COLUMNS}, o.updated_at FROM objectives o WHERE {FILTER} ORDER BY o.id LIMIT $7"
    ))
    .bind(query.after)
    .bind(query.period.map(|p| p.0))
    .bind(query.unit.map(|u| u.0))
    .bind(query.person.map(|p| p.0))
    .bind(query.state.map(ObjectiveState::as_str))
    .bind(query.updated_since)
    .bind(query.limit)
    .fetch_all(db.reader())
    .await?;
    let mut listed: Vec<Listed> = rows
        .iter()
        .map(|row| {
            Ok(Listed {
                okr: ObjectiveWithKeyResults {
                    objective: rows::objective(row)?,
                    key_results: Vec::new(),
                },
                milestones: HashMap::new(),
                parent: None,
                initiatives: Vec::new(),
                updated_at: row.try_get("updated_at")?,
            })
        })
        .collect::<Result<_, StorageError>>()?;
    if listed.is_empty() {
        return Ok(listed);
    }
    let ids = id_list(listed.iter().map(|l| l.okr.objective.id.0));
    let at: HashMap<ObjectiveId, usize> = listed
        .iter()
        .enumerate()
        .map(|(i, l)| (l.okr.objective.id, i))
        .collect();
    let key_results = sqlx::query(&format!(
        "SELECT {KEY_RESULT_COLUMNS} FROM key_results k WHERE k.objective_id IN ({ids}) ORDER BY k.position, k.id"
    ))
    .fetch_all(db.reader())
    .await?;
    let mut krs = Vec::new();
    for row in &key_results {
        let kr = rows::key_result(row)?;
        krs.push(kr.id.0);
        listed[at[&kr.objective]].okr.key_results.push(kr);
    }
    if !krs.is_empty() {
        let sql = format!(
            "SELECT id, key_result_id, title, weight, position, done_at FROM milestones \
             WHERE key_result_id IN ({}) ORDER BY position, id",
            id_list(krs.iter().copied())
        );
        let milestones = sqlx::query(&sql).fetch_all(db.reader()).await?;
        let owner: HashMap<KeyResultId, ObjectiveId> = listed
            .iter()
            .flat_map(|l| l.okr.key_results.iter().map(|k| (k.id, k.objective)))
            .collect();
        for row in &milestones {
            let milestone = crate::storage::key_results::milestone_row(row)?;
            if let Some(objective) = owner.get(&milestone.key_result) {
                listed[at[objective]]
                    .milestones
                    .entry(milestone.key_result)
                    .or_default()
                    .push(milestone);
            }
        }
    }
    let links = sqlx::query(&format!(
        "SELECT child_id, parent_objective_id, parent_key_result_id FROM alignments \
         WHERE is_primary = 1 AND valid_to IS NULL AND child_id IN ({ids})"
    ))
    .fetch_all(db.reader())
    .await?;
    for row in &links {
        let child = ObjectiveId(row.try_get("child_id")?);
        let parent = crate::storage::objectives::alignment::parent_from(
            row.try_get("parent_objective_id")?,
            row.try_get("parent_key_result_id")?,
        );
        if let Some(i) = at.get(&child) {
            listed[*i].parent = parent;
        }
    }
    let initiatives = sqlx::query(&format!(
        "SELECT objective_id, title, done FROM initiatives WHERE objective_id IN ({ids}) ORDER BY position, id"
    ))
    .fetch_all(db.reader())
    .await?;
    for row in &initiatives {
        let objective = ObjectiveId(row.try_get("objective_id")?);
        let done: i64 = row.try_get("done")?;
        if let Some(i) = at.get(&objective) {
            listed[*i]
                .initiatives
                .push((row.try_get("title")?, done == 1));
        }
    }
    Ok(listed)
}

/// One objective as the API shows it.
pub async fn objective(db: &Db, id: ObjectiveId) -> Result<Listed, StorageError> {
    let query = ObjectiveQuery {
        after: id.0 - 1,
        limit: 1,
        ..ObjectiveQuery::default()
    };
    objectives(db, &query)
        .await?
        .pop()
        .filter(|l| l.okr.objective.id == id)
        .ok_or(StorageError::not_found("objectives", id.0))
}

/// A comment as the API lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentRow {
    pub id: i64,
    pub objective: ObjectiveId,
    pub author: Option<PersonId>,
    pub at: i64,
    pub body: String,
    pub check_in: Option<i64>,
}

/// An objective's comments after `after`, by id.
pub async fn comments(
    db: &Db,
    objective: ObjectiveId,
    after: i64,
    limit: i64,
) -> Result<Vec<CommentRow>, StorageError> {
    sqlx::query(
        "SELECT id, objective_id, author_id, at, body, check_in_id FROM comments \
         WHERE objective_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(objective.0)
    .bind(after)
    .bind(limit)
    .fetch_all(db.reader())
    .await?
    .iter()
    .map(|row| {
        Ok(CommentRow {
            id: row.try_get("id")?,
            objective: ObjectiveId(row.try_get("objective_id")?),
            author: row.try_get::<Option<i64>, _>("author_id")?.map(PersonId),
            at: row.try_get("at")?,
            body: row.try_get("body")?,
            check_in: row.try_get("check_in_id")?,
        })
    })
    .collect()
}
