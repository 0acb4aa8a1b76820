//! Carrying unfinished objectives forward: once each, linked both ways, keeping
//! their place in the cascade; undone again while the copy is untouched.

use cairn::alignment::Parent;
use cairn::audit::{Action, Entity};
use cairn::ids::{ObjectiveId, PeriodId, PersonId};
use cairn::model::Owner;
use cairn::period::PeriodState;
use cairn::rules::Rule;
use sqlx::{Any, Row, Transaction};

use crate::live::LiveChange;
use crate::storage::changes::{Change, json, record};
use crate::storage::objectives::alignment::{POSITION_GAP, link_checked, primary_parent};
use crate::storage::objectives::load;
use crate::storage::{Db, StorageError, periods};

/// Where an objective was carried from and to: (objective, its period's name).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CarryLinks {
    pub from: Option<(i64, String)>,
    pub to: Option<(i64, String)>,
}

/// Copies an objective of a grading or closed period, with its unfinished key
/// results and their open milestones, into an open period as a draft, once: a
/// second carry names the copy there is. The copy aligns to the same parent when
/// that parent's period encloses the new one (a year objective goes on), else to
/// the parent's own carried copy, else to nothing. Returns the new objective.
pub async fn carry_forward(
    db: &Db,
    actor: Option<PersonId>,
    objective: ObjectiveId,
    to: PeriodId,
) -> Result<ObjectiveId, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let source = load(&mut tx, objective).await?;
    let from = periods::period_in(&mut tx, source.period).await?;
    if !matches!(from.state, PeriodState::Grading | PeriodState::Closed) {
        return Err(Rule::CarryFromOpenPeriod.into());
    }
    if let Some(copy) = copy_of(&mut tx, objective).await? {
        return Err(Rule::AlreadyCarried {
            copy: ObjectiveId(copy),
        }
        .into());
    }
    let target = periods::period_in(&mut tx, to).await?;
    if !matches!(target.state, PeriodState::Planning | PeriodState::Active) {
        return Err(StorageError::ClosedPeriod);
    }
    if target.id == from.id {
        return Err(Rule::CarryIntoSamePeriod.into());
    }
    let (unit, person) = match source.owner {
        Owner::Unit(u) => (Some(u.0), None),
        Owner::Person(p) => (None, Some(p.0)),
    };
    let position: i64 = sqlx::query_scalar(
        "SELECT coalesce(max(position), 0) + $2 FROM objectives WHERE period_id = $1",
    )
    .bind(to.0)
    .bind(POSITION_GAP)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO objectives (period_id, owner_unit_id, owner_person_id, title, description, commitment, state, \
         weight, position, carried_from, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(to.0)
    .bind(unit)
    .bind(person)
    .bind(source.title.as_str())
    .bind(source.description.as_ref().map(|d| d.as_str()))
    .bind(source.commitment.as_str())
    .bind(source.weight.get())
    .bind(position)
    .bind(objective.0)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let key_results = copy_key_results(&mut tx, objective, id, at).await?;
    let parent = realign(&mut tx, objective, ObjectiveId(id), &target, at).await?;
    record(
        &mut tx,
        at,
        Change {
            actor,
            action: Action::ObjectiveCarryForward,
            entity: Entity::Objective,
            entity_id: id,
            before: Some(json(
                &serde_json::json!({ "from": objective.0, "period": source.period.0 }),
            )?),
            after: Some(json(&serde_json::json!({
                "objective": id, "period": to.0, "key_results": key_results, "parent": parent,
            }))?),
            live: Some(LiveChange::Objective {
                objective: id,
                period: to.0,
                version: 1,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    db.committed();
    Ok(ObjectiveId(id))
}

/// Removes a carried copy that nobody has touched since (still a draft, its first
/// version, no check-ins): the carry is undone, audited. Returns the objective it
/// was carried from.
pub async fn undo_carry(
    db: &Db,
    actor: Option<PersonId>,
    copy: ObjectiveId,
) -> Result<ObjectiveId, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let row = sqlx::query(
        "SELECT o.carried_from, o.state, o.version, o.period_id, \
           (SELECT count(*) FROM check_ins c JOIN key_results k ON k.id = c.key_result_id WHERE k.objective_id = o.id) AS readings, \
           (SELECT count(*) FROM alignments a WHERE a.parent_objective_id = o.id \
              OR a.parent_key_result_id IN (SELECT id FROM key_results WHERE objective_id = o.id)) AS children \
         FROM objectives o WHERE o.id = $1",
    )
    .bind(copy.0)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StorageError::not_found("objectives", copy.0))?;
    let from: Option<i64> = row.try_get("carried_from")?;
    let state: String = row.try_get("state")?;
    let version: i64 = row.try_get("version")?;
    let readings: i64 = row.try_get("readings")?;
    let children: i64 = row.try_get("children")?;
    let period: i64 = row.try_get("period_id")?;
    let Some(from) = from else {
        return Err(Rule::CarryChanged.into());
    };
    if state != "draft" || version != 1 || readings > 0 || children > 0 {
        return Err(Rule::CarryChanged.into());
    }
    record(
        &mut tx,
        at,
        Change {
            actor,
            action: Action::ObjectiveCarryUndo,
            entity: Entity::Objective,
            entity_id: copy.0,
            before: Some(json(
                &serde_json::json!({ "objective": copy.0, "period": period, "from": from }),
            )?),
            after: None,
            live: Some(LiveChange::Objective {
                objective: copy.0,
                period,
                version: 2,
            }),
        },
    )
    .await?;
    sqlx::query("DELETE FROM objectives WHERE id = $1")
        .bind(copy.0)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    db.committed();
    Ok(ObjectiveId(from))
}

/// Where an objective came from and went to by carrying.
pub async fn links(db: &Db, objective: ObjectiveId) -> Result<CarryLinks, StorageError> {
    let rows = sqlx::query(
        "SELECT 'from' AS side, o.id, p.name FROM objectives me JOIN objectives o ON o.id = me.carried_from \
           JOIN periods p ON p.id = o.period_id WHERE me.id = $1 \
         UNION ALL \
         SELECT 'to' AS side, o.id, p.name FROM objectives o JOIN periods p ON p.id = o.period_id \
           WHERE o.carried_from = $1",
    )
    .bind(objective.0)
    .fetch_all(db.reader())
    .await?;
    let mut links = CarryLinks::default();
    for row in &rows {
        let side: String = row.try_get("side")?;
        let link = Some((row.try_get("id")?, row.try_get("name")?));
        if side == "from" {
            links.from = link;
        } else {
            links.to = link;
        }
    }
    Ok(links)
}

async fn copy_of(
    tx: &mut Transaction<'static, Any>,
    objective: ObjectiveId,
) -> Result<Option<i64>, StorageError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM objectives WHERE carried_from = $1")
            .bind(objective.0)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// Copies the unfinished key results (a metric starts again from where it got to)
/// and their open milestones; returns how many.
async fn copy_key_results(
    tx: &mut Transaction<'static, Any>,
    from: ObjectiveId,
    to: i64,
    at: i64,
) -> Result<usize, StorageError> {
    let key_results: Vec<(i64, String)> = sqlx::query(
        "SELECT id, kind FROM key_results WHERE objective_id = $1 AND progress < 1 ORDER BY position, id",
    )
    .bind(from.0)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|row| Ok((row.try_get("id")?, row.try_get("kind")?)))
    .collect::<Result<_, sqlx::Error>>()?;
    for (position, (kr, kind)) in key_results.iter().enumerate() {
        let new_kr: i64 = sqlx::query_scalar(
            "INSERT INTO key_results (objective_id, title, kind, direction, start_value, target_value, unit_label, \
             weight, owner_person_id, position, created_at, updated_at, notation) \
             SELECT $1, title, kind, direction, \
               CASE WHEN kind = 'metric' AND direction IN ('increase', 'decrease') THEN coalesce(current_value, start_value) ELSE start_value END, \
               target_value, unit_label, weight, owner_person_id, $2, $3, $3, notation FROM key_results WHERE id = $4 RETURNING id",
        )
        .bind(to)
        .bind(position as i64)
        .bind(at)
        .bind(kr)
        .fetch_one(&mut **tx)
        .await?;
        if kind == "milestones" {
            sqlx::query(
                "INSERT INTO milestones (key_result_id, title, weight, position) \
                 SELECT $1, title, weight, position FROM milestones WHERE key_result_id = $2 AND done_at IS NULL",
            )
            .bind(new_kr)
            .bind(kr)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(key_results.len())
}

/// Aligns the copy where the original was: to the same parent if its period
/// encloses the new one, else to the parent's carried copy if there is one in a
/// period that may hold it. Returns the parent objective chosen, if any.
async fn realign(
    tx: &mut Transaction<'static, Any>,
    original: ObjectiveId,
    copy: ObjectiveId,
    target: &cairn::period::Period,
    at: i64,
) -> Result<Option<i64>, StorageError> {
    let Some(parent) = primary_parent(tx, original).await? else {
        return Ok(None);
    };
    let parent_objective: i64 = match parent {
        Parent::Objective(id) => id.0,
        Parent::KeyResult(kr) => {
            sqlx::query_scalar("SELECT objective_id FROM key_results WHERE id = $1")
                .bind(kr.0)
                .fetch_one(&mut **tx)
                .await?
        }
    };
    let candidates = [
        Some((parent_objective, parent)),
        copy_of(tx, ObjectiveId(parent_objective))
            .await?
            .map(|c| (c, Parent::Objective(ObjectiveId(c)))),
    ];
    for (objective, link) in candidates.into_iter().flatten() {
        let period: i64 = sqlx::query_scalar("SELECT period_id FROM objectives WHERE id = $1")
            .bind(objective)
            .fetch_one(&mut **tx)
            .await?;
        let period = periods::period_in(tx, PeriodId(period)).await?;
        if target.may_align_to(&period) {
            link_checked(tx, copy, target.id, link, at).await?;
            return Ok(Some(objective));
        }
    }
    Ok(None)
}
