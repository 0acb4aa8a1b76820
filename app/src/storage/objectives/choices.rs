//! What the objective editor offers: owners someone may write for, periods still
//! open, objectives to align to, and a stored objective as an editable draft.

use cairn::access::Actor;
use cairn::draft::{KeyResultDraft, ObjectiveDraft};
use cairn::ids::{ObjectiveId, PeriodId, UnitId};
use cairn::key_result::Measure;
use cairn::model::{Objective, Owner};
use sqlx::Row;

use crate::storage::{Db, StorageError, key_results, objectives};

/// Units an actor may write objectives for: everything for an admin, otherwise the
/// units they lead and every unit below those. By name.
pub async fn writable_units(db: &Db, actor: &Actor) -> Result<Vec<(UnitId, String)>, StorageError> {
    let rows = if actor.admin {
        sqlx::query("SELECT id, name FROM org_units WHERE active = 1 ORDER BY name, id")
            .fetch_all(db.reader())
            .await?
    } else {
        sqlx::query(
            "WITH RECURSIVE down (id, depth) AS ( \
                 SELECT unit_id, 0 FROM memberships WHERE person_id = $1 AND role IN ('lead', 'admin') \
                 UNION ALL \
                 SELECT u.id, down.depth + 1 FROM org_units u JOIN down ON u.parent_id = down.id WHERE down.depth < 64 \
             ) \
             SELECT DISTINCT u.id, u.name FROM down JOIN org_units u ON u.id = down.id \
             WHERE u.active = 1 ORDER BY u.name, u.id",
        )
        .bind(actor.person.0)
        .fetch_all(db.reader())
        .await?
    };
    rows.iter()
        .map(|row| Ok((UnitId(row.try_get("id")?), row.try_get("name")?)))
        .collect()
}

/// An objective one may align to, with its key results.
#[derive(Debug, Clone, PartialEq)]
pub struct ParentChoice {
    pub objective: ObjectiveId,
    pub title: String,
    pub owner: String,
    pub key_results: Vec<(i64, String)>,
}

/// The natural parents of a new objective: those of the units above the owner (a
/// person's: above and of their units), in the period and in the year around it.
pub async fn parent_choices(
    db: &Db,
    owner: Owner,
    period: PeriodId,
) -> Result<Vec<ParentChoice>, StorageError> {
    let rows = sqlx::query(
        "WITH RECURSIVE start (id) AS ( \
             SELECT parent_id FROM org_units WHERE id = $1 \
             UNION SELECT unit_id FROM memberships WHERE person_id = $2 \
         ), up (id, depth) AS ( \
             SELECT id, 0 FROM start WHERE id IS NOT NULL \
             UNION ALL \
             SELECT u.parent_id, up.depth + 1 FROM up JOIN org_units u ON u.id = up.id \
             WHERE u.parent_id IS NOT NULL AND up.depth < 64 \
         ) \
         SELECT o.id, o.title, u.name AS owner, k.id AS kr_id, k.title AS kr_title \
         FROM objectives o JOIN org_units u ON u.id = o.owner_unit_id \
         LEFT JOIN key_results k ON k.objective_id = o.id \
         WHERE o.owner_unit_id IN (SELECT id FROM up) \
           AND o.state <> 'abandoned' \
           AND (o.period_id = $3 OR o.period_id = (SELECT parent_id FROM periods WHERE id = $3)) \
         ORDER BY o.period_id, u.name, o.position, o.id, k.position, k.id",
    )
    .bind(match owner {
        Owner::Unit(unit) => unit.0,
        Owner::Person(_) => 0,
    })
    .bind(match owner {
        Owner::Person(person) => person.0,
        Owner::Unit(_) => 0,
    })
    .bind(period.0)
    .fetch_all(db.reader())
    .await?;
    let mut choices: Vec<ParentChoice> = Vec::new();
    for row in &rows {
        let id = ObjectiveId(row.try_get("id")?);
        if choices.last().is_none_or(|c| c.objective != id) {
            choices.push(ParentChoice {
                objective: id,
                title: row.try_get("title")?,
                owner: row.try_get("owner")?,
                key_results: Vec::new(),
            });
        }
        if let Some(kr) = row.try_get::<Option<i64>, _>("kr_id")?
            && let Some(last) = choices.last_mut()
        {
            last.key_results.push((kr, row.try_get("kr_title")?));
        }
    }
    Ok(choices)
}

/// A stored objective as the editor shows it, numbers written as people type them.
pub async fn draft_of(
    db: &Db,
    id: ObjectiveId,
) -> Result<(Objective, ObjectiveDraft), StorageError> {
    let objective = objectives::objective(db, id).await?;
    let rows = sqlx::query(&format!(
        "SELECT {} FROM key_results k WHERE k.objective_id = $1 ORDER BY k.position, k.id",
        crate::storage::rows::KEY_RESULT_COLUMNS
    ))
    .bind(id.0)
    .fetch_all(db.reader())
    .await?;
    let mut key_results = Vec::new();
    for row in &rows {
        let kr = crate::storage::rows::key_result(row)?;
        let mut draft = KeyResultDraft {
            id: Some(kr.id.0),
            title: kr.title.as_str().to_string(),
            kind: kr.measure.kind_str().to_string(),
            weight: number(kr.weight.get()),
            owner: kr.owner.map(|p| p.0.to_string()).unwrap_or_default(),
            due: kr.due.map(|d| d.to_string()).unwrap_or_default(),
            ..KeyResultDraft::default()
        };
        match &kr.measure {
            Measure::Metric {
                start,
                target,
                direction,
                unit,
            } => {
                draft.direction = direction.as_str().to_string();
                draft.start = number(start.get());
                draft.target = number(target.get());
                draft.unit = unit
                    .as_ref()
                    .map(|u| u.as_str().to_string())
                    .unwrap_or_default();
            }
            Measure::Milestones => {
                draft.milestones = key_results::milestones(db, kr.id)
                    .await?
                    .into_iter()
                    .map(|m| (Some(m.id.0), m.title.as_str().to_string()))
                    .collect();
            }
            // Seconds, written plainly; the editor shows them as 2:37 (see
            // `ObjectiveDraft::written_in`).
            Measure::Duration {
                start,
                target,
                direction,
            } => {
                draft.direction = direction.as_str().to_string();
                draft.start = number(start.get());
                draft.target = number(target.get());
            }
            Measure::Binary => {}
        }
        key_results.push(draft);
    }
    let initiatives = sqlx::query_scalar::<_, String>(
        "SELECT title FROM initiatives WHERE objective_id = $1 ORDER BY position, id",
    )
    .bind(id.0)
    .fetch_all(db.reader())
    .await?;
    let draft = ObjectiveDraft {
        title: objective.title.as_str().to_string(),
        description: objective
            .description
            .as_ref()
            .map(|d| d.as_str().to_string())
            .unwrap_or_default(),
        commitment: objective.commitment.as_str().to_string(),
        state: objective.state.as_str().to_string(),
        weight: number(objective.weight.get()),
        key_results,
        initiatives,
        numbers: cairn::numbers::NumberStyle::Plain,
    };
    Ok((objective, draft))
}

/// A number as the editor shows it: no needless decimals.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// Who may answer for a key result of `owner`'s: a unit's active members, or the
/// person and everyone in their units; and whoever answers for one now. By name.
pub async fn key_result_owners(
    db: &Db,
    owner: Owner,
    current: &[cairn::ids::PersonId],
) -> Result<Vec<(i64, String)>, StorageError> {
    let sql = match owner {
        Owner::Unit(_) => {
            "SELECT p.id, p.name FROM memberships m JOIN people p ON p.id = m.person_id \
             WHERE m.unit_id = $1 AND p.active = 1"
        }
        Owner::Person(_) => {
            "SELECT p.id, p.name FROM people p WHERE p.id = $1 AND p.active = 1 \
             UNION SELECT p.id, p.name FROM memberships mine \
             JOIN memberships m ON m.unit_id = mine.unit_id JOIN people p ON p.id = m.person_id \
             WHERE mine.person_id = $1 AND p.active = 1"
        }
    };
    let id = match owner {
        Owner::Unit(unit) => unit.0,
        Owner::Person(person) => person.0,
    };
    let mut people: Vec<(i64, String)> = sqlx::query(sql)
        .bind(id)
        .fetch_all(db.reader())
        .await?
        .iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("name")?)))
        .collect::<Result<_, StorageError>>()?;
    let missing: Vec<cairn::ids::PersonId> = current
        .iter()
        .filter(|p| !people.iter().any(|(id, _)| *id == p.0))
        .copied()
        .collect();
    let names = crate::storage::reads::person_names(db, &missing).await?;
    people.extend(names.into_iter().map(|(p, name)| (p.0, name)));
    people.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    people.dedup_by_key(|p| p.0);
    Ok(people)
}
