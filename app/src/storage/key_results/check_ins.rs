//! Check-ins: the weekly heartbeat of a key result.

use cairn::Progress;
use cairn::ids::{CheckInId, KeyResultId, MilestoneId, ObjectiveId, PersonId};
use cairn::key_result::{Measure, MilestoneState, Reading, key_result_progress};
use cairn::model::{CheckIn, Source};
use cairn::period::PeriodState;
use cairn::rollup::{Contribution, Origin, Rollup};
use cairn::rules::Rule;
use cairn::values::{Confidence, LongText, Value, Weight};
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection, Row};

use crate::live::{CheckInChange, LiveChange};
use crate::storage::changes::json;
use crate::storage::db::Backend;
use crate::storage::nullable::NullableF64;
use crate::storage::rows;
use crate::storage::{Db, StorageError};
use cairn::audit::{Action, Entity};

pub struct NewCheckIn {
    pub key_result: KeyResultId,
    pub author: Option<PersonId>,
    /// For milestone key results, the milestones done (their weights are read from
    /// the database; the ones given here are ignored).
    pub reading: Reading,
    pub confidence: Confidence,
    pub note: Option<LongText>,
    pub source: Source,
    /// The API token it came through, if it did.
    pub through: Option<Through>,
}

/// The API token a check-in came through, and the key its caller gave so that a
/// retried request finds this check-in instead of making another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Through {
    pub token: i64,
    /// The token's name, for the audit trail.
    pub name: String,
    /// The request's Idempotency-Key.
    pub request_key: Option<String>,
}

/// What a check-in changed.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInReceipt {
    pub check_in: CheckInId,
    pub key_result_progress: Progress,
    pub objective: ObjectiveId,
    pub objective_progress: Progress,
    /// The live event telling open browsers.
    pub event: i64,
}

/// Records a check-in and everything it moves, in one transaction: the check-in,
/// the key result's cached reading, the objective's roll-up, the audit trail and
/// the live event. Check-ins arriving together share the transaction and its
/// commit (see `batches`); each caller is answered once its check-in is committed.
///
/// This is the hottest write, so it costs few round trips: one read (the key
/// result, its siblings and its period), the domain computes progress and roll-up,
/// then one write. SQLite runs the writes as one batch on the single write
/// connection, inside the transaction; PostgreSQL locks the objective while reading
/// and writes with one statement.
pub async fn record_check_in(db: &Db, new: NewCheckIn) -> Result<CheckInReceipt, StorageError> {
    let receipt = super::batches::submit(db, new, db.now_ms()).await;
    // Committed: a webhook that hears of check-ins has its delivery queued.
    crate::storage::webhooks::wake();
    receipt
}

/// What the read that plans a check-in adds to lock what it read. On SQLite,
/// nothing: the only write connection runs the transaction, so nothing else writes
/// until it ends. PostgreSQL locks the key result and all its siblings (FOR UPDATE
/// OF k): check-ins on one objective take turns, and a read that had to wait gets
/// the latest committed version of every locked sibling, so the roll-up never
/// misses a concurrent check-in.
/// Records a check-in inside the caller's transaction (the spreadsheet importer's
/// current values, stored with their objectives or not at all).
pub(crate) async fn record_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    new: &NewCheckIn,
    at: i64,
) -> Result<CheckInReceipt, StorageError> {
    let planned = plan(tx, new, lock_clause(backend)).await?;
    write(tx, backend, &planned, at).await
}

pub(super) fn lock_clause(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE OF k",
    }
}

/// Writes a planned check-in inside the caller's transaction.
pub(super) async fn write(
    conn: &mut AnyConnection,
    backend: Backend,
    plan: &Plan,
    at: i64,
) -> Result<CheckInReceipt, StorageError> {
    match backend {
        Backend::Sqlite => {
            let batch = sqlite_batch(plan);
            let rows = bind_plan(sqlx::query(&batch), plan, at)
                .fetch_all(&mut *conn)
                .await?;
            plan.receipt(
                rows.first().map(|r| r.try_get(0)).transpose()?.unwrap_or(0),
                rows.get(1).map(|r| r.try_get(0)).transpose()?.unwrap_or(0),
            )
        }
        Backend::Postgres => {
            let row = bind_plan(sqlx::query(&postgres_statement(plan)), plan, at)
                .fetch_one(&mut *conn)
                .await?;
            plan.receipt(row.try_get(0)?, row.try_get(1)?)
        }
    }
}

/// Everything a check-in writes, decided before writing.
pub(super) struct Plan {
    key_result: KeyResultId,
    objective: ObjectiveId,
    author: Option<i64>,
    value: Option<f64>,
    confidence: i64,
    note: Option<String>,
    source: &'static str,
    progress: Progress,
    objective_progress: Progress,
    /// Milestones done, for milestone key results: comma-separated ids.
    milestones_done: Option<String>,
    before: String,
    /// The live event and audit "after" (JSON); the check-in id is added in SQL.
    payload: String,
    /// The live event's kind.
    kind: &'static str,
    token: Option<i64>,
    request_key: Option<String>,
    via: Option<String>,
}

impl Plan {
    fn receipt(&self, check_in: i64, event: i64) -> Result<CheckInReceipt, StorageError> {
        Ok(CheckInReceipt {
            check_in: CheckInId(check_in),
            key_result_progress: self.progress,
            objective: self.objective,
            objective_progress: self.objective_progress,
            event,
        })
    }
}

/// Reads the key result with its siblings and period in one query and lets the
/// domain decide the new progress and roll-up.
pub(super) async fn plan(
    conn: &mut AnyConnection,
    new: &NewCheckIn,
    lock: &str,
) -> Result<Plan, StorageError> {
    let rows = sqlx::query(&format!(
        "SELECT k.id, k.kind, k.notation, k.direction, k.start_value, k.target_value, k.unit_label, k.weight, k.progress, \
         k.current_value, k.objective_id, p.state \
         FROM key_results me JOIN key_results k ON k.objective_id = me.objective_id \
         JOIN objectives o ON o.id = me.objective_id JOIN periods p ON p.id = o.period_id \
         WHERE me.id = $1 ORDER BY k.id{lock}"
    ))
    .bind(new.key_result.0)
    .fetch_all(&mut *conn)
    .await?;
    let target = rows
        .iter()
        .find(|row| row.try_get::<i64, _>("id").ok() == Some(new.key_result.0))
        .ok_or(StorageError::not_found("key_results", new.key_result.0))?;
    let state: String = target.try_get("state")?;
    match PeriodState::parse(&state) {
        Some(PeriodState::Planning | PeriodState::Active) => {}
        // Grades start from the readings as grading began; they stand.
        Some(PeriodState::Grading) => return Err(Rule::CheckInWhileGrading.into()),
        _ => return Err(StorageError::ClosedPeriod),
    }
    let measure = rows::measure(target)?;
    let before_reading = rows::cached_reading(&measure, target.try_get("current_value")?)?;
    let before_progress: f64 = target.try_get("progress")?;

    let (reading, value, milestones_done) = match (&measure, &new.reading) {
        (Measure::Metric { .. } | Measure::Duration { .. }, Reading::Metric(v)) => {
            (Reading::Metric(*v), Some(v.get()), None)
        }
        (Measure::Binary, Reading::Binary(done)) => (
            Reading::Binary(*done),
            Some(if *done { 1.0 } else { 0.0 }),
            None,
        ),
        (Measure::Milestones, Reading::Milestones(given)) => {
            let states = milestone_states(conn, new.key_result, given).await?;
            let done: Vec<String> = states
                .iter()
                .filter(|m| m.done)
                .map(|m| m.id.0.to_string())
                .collect();
            (Reading::Milestones(states), None, Some(done.join(",")))
        }
        _ => {
            return Err(Rule::ReadingKind.into());
        }
    };
    let progress = key_result_progress(&measure, Some(&reading));
    let inputs = rows
        .iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            Ok(Contribution {
                source: cairn::rollup::Source::KeyResult(KeyResultId(id)),
                weight: row.try_get("weight")?,
                progress: if id == new.key_result.0 {
                    progress
                } else {
                    rows::progress(row.try_get("progress")?)?
                },
                origin: Origin::Entered,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    let objective = ObjectiveId(target.try_get("objective_id")?);
    let objective_progress = Rollup::of(inputs).progress;
    // The database adds the check-in's id as it writes the row.
    let payload = LiveChange::CheckIn(CheckInChange {
        key_result: new.key_result.0,
        objective: objective.0,
        progress: progress.ratio(),
        objective_progress: objective_progress.ratio(),
        confidence: new.confidence.get(),
        value,
        check_in: None,
        withdrawn: None,
    });
    Ok(Plan {
        key_result: new.key_result,
        objective,
        author: new.author.map(|p| p.0),
        value,
        confidence: i64::from(new.confidence),
        note: new.note.as_ref().map(|n| n.as_str().to_string()),
        source: new.source.as_str(),
        progress,
        objective_progress,
        milestones_done,
        before: json(&serde_json::json!({ "progress": before_progress, "value": before_reading }))?,
        kind: payload.kind(),
        payload: json(&payload)?,
        token: new.through.as_ref().map(|t| t.token),
        request_key: new.through.as_ref().and_then(|t| t.request_key.clone()),
        via: new.through.as_ref().map(|t| t.name.clone()),
    })
}

/// Parameters shared by both databases' write statements.
fn bind_plan<'q>(
    query: sqlx::query::Query<'q, Any, AnyArguments<'q>>,
    plan: &'q Plan,
    at: i64,
) -> sqlx::query::Query<'q, Any, AnyArguments<'q>> {
    query
        .bind(plan.key_result.0) // $1
        .bind(plan.author) // $2
        .bind(at) // $3
        .bind(NullableF64(plan.value)) // $4
        .bind(plan.milestones_done.as_deref().map(|d| format!("[{d}]"))) // $5
        .bind(plan.confidence) // $6
        .bind(plan.note.as_deref()) // $7
        .bind(plan.source) // $8
        .bind(plan.progress.ratio()) // $9
        .bind(plan.objective.0) // $10
        .bind(plan.objective_progress.ratio()) // $11
        .bind(plan.before.as_str()) // $12
        .bind(plan.payload.as_str()) // $13
        .bind(plan.milestones_done.as_deref().unwrap_or("")) // $14
        .bind(Action::CheckIn.as_str()) // $15
        .bind(Entity::KeyResult.as_str()) // $16
        .bind(plan.kind) // $17
        .bind(plan.token) // $18
        .bind(plan.request_key.as_deref()) // $19
        .bind(plan.via.as_deref()) // $20
        .bind(CHECK_IN_HOOKS.as_str()) // $21
}

/// The pattern of webhooks that hear of check-ins (see `webhooks::ENQUEUE`).
static CHECK_IN_HOOKS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    crate::storage::webhooks::pattern(cairn::webhooks::EventKind::CheckIns)
});

const INSERT_CHECK_IN: &str = "INSERT INTO check_ins (key_result_id, author_id, at, value, milestones_done, confidence, note, source, \
     api_token_id, request_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $18, $19) RETURNING id";
const UPDATE_KEY_RESULT: &str = "UPDATE key_results SET current_value = $4, progress = $9, confidence = $6, \
     last_check_in_at = $3, updated_at = $3, version = version + 1 WHERE id = $1";
const UPDATE_OBJECTIVE: &str =
    "UPDATE objectives SET progress = $11, updated_at = $3 WHERE id = $10";

fn sqlite_batch(plan: &Plan) -> String {
    let milestones = if plan.milestones_done.is_some() {
        "UPDATE milestones SET done_at = CASE WHEN instr(',' || $14 || ',', ',' || id || ',') > 0 \
         THEN coalesce(done_at, $3) ELSE NULL END WHERE key_result_id = $1;"
    } else {
        ""
    };
    format!(
        "{INSERT_CHECK_IN}; {UPDATE_KEY_RESULT}; {UPDATE_OBJECTIVE}; {milestones} \
         INSERT INTO audit_events (at, actor_id, action, entity, entity_id, before, after, via) \
         VALUES ($3, $2, $15, $16, $1, $12, json_set($13, '$.check_in', last_insert_rowid()), $20); \
         INSERT INTO events (at, kind, entity, entity_id, payload) \
         SELECT $3, $17, $16, $1, after FROM audit_events WHERE id = last_insert_rowid() RETURNING id; \
         INSERT INTO webhook_deliveries (webhook_id, audit_event_id, event_type, created_at) \
         SELECT w.id, (SELECT max(id) FROM audit_events), $15, $3 FROM webhooks w \
         WHERE w.active = 1 AND (' ' || w.kinds || ' ') LIKE $21;"
    )
}

fn postgres_statement(plan: &Plan) -> String {
    let milestones = if plan.milestones_done.is_some() {
        ", m AS (UPDATE milestones SET done_at = CASE WHEN strpos(',' || $14 || ',', ',' || id::text || ',') > 0 \
         THEN coalesce(done_at, $3) ELSE NULL END WHERE key_result_id = $1 RETURNING id)"
    } else {
        ""
    };
    format!(
        "WITH c AS ({INSERT_CHECK_IN}), k AS ({UPDATE_KEY_RESULT} RETURNING id), o AS ({UPDATE_OBJECTIVE} RETURNING id){milestones}, \
         after AS (SELECT jsonb_set($13::jsonb, '{{check_in}}', to_jsonb(c.id))::text AS doc FROM c), \
         a AS (INSERT INTO audit_events (at, actor_id, action, entity, entity_id, before, after, via) \
               SELECT $3, $2, $15, $16, $1, $12, doc, $20 FROM after RETURNING id), \
         w AS (INSERT INTO webhook_deliveries (webhook_id, audit_event_id, event_type, created_at) \
               SELECT wh.id, a.id, $15, $3 FROM a, webhooks wh \
               WHERE wh.active = 1 AND (' ' || wh.kinds || ' ') LIKE $21), \
         e AS (INSERT INTO events (at, kind, entity, entity_id, payload) \
               SELECT $3, $17, $16, $1, doc FROM after RETURNING id) \
         SELECT c.id, e.id FROM c, e"
    )
}

/// The key result's milestones with `given` marking which are done; an id that is
/// not one of them is refused.
pub(super) async fn milestone_states(
    conn: &mut AnyConnection,
    key_result: KeyResultId,
    given: &[MilestoneState],
) -> Result<Vec<MilestoneState>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, weight FROM milestones WHERE key_result_id = $1 ORDER BY position, id",
    )
    .bind(key_result.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut states = rows
        .iter()
        .map(|row| {
            Ok(MilestoneState {
                id: MilestoneId(row.try_get("id")?),
                weight: Weight::parse(row.try_get("weight")?).map_err(StorageError::corrupt)?,
                done: false,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    for g in given.iter().filter(|g| g.done) {
        let state = states
            .iter_mut()
            .find(|s| s.id == g.id)
            .ok_or(StorageError::Rule(Rule::ForeignMilestone))?;
        state.done = true;
    }
    Ok(states)
}

/// Every check-in of a key result, oldest first.
pub async fn history(db: &Db, key_result: KeyResultId) -> Result<Vec<CheckIn>, StorageError> {
    let kr = crate::storage::key_results::key_result(db, key_result).await?;
    let rows = sqlx::query(&format!(
        "SELECT {CHECK_IN_COLUMNS} FROM check_ins WHERE key_result_id = $1 ORDER BY at, id"
    ))
    .bind(key_result.0)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| check_in_row(&kr.measure, row))
        .collect()
}

/// The key result a check-in was made on.
pub async fn key_result_of(
    db: &Db,
    check_in: CheckInId,
) -> Result<cairn::model::KeyResult, StorageError> {
    let key_result: i64 = sqlx::query_scalar("SELECT key_result_id FROM check_ins WHERE id = $1")
        .bind(check_in.0)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StorageError::not_found("check_ins", check_in.0))?;
    crate::storage::key_results::key_result(db, KeyResultId(key_result)).await
}

/// A key result's check-ins after the one with id `after`, by id, at most `limit`.
pub async fn page(
    db: &Db,
    key_result: KeyResultId,
    after: i64,
    limit: i64,
) -> Result<Vec<CheckIn>, StorageError> {
    let kr = crate::storage::key_results::key_result(db, key_result).await?;
    let rows = sqlx::query(&format!(
        "SELECT {CHECK_IN_COLUMNS} FROM check_ins WHERE key_result_id = $1 AND id > $2 \
         ORDER BY id LIMIT $3"
    ))
    .bind(key_result.0)
    .bind(after)
    .bind(limit)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|row| check_in_row(&kr.measure, row))
        .collect()
}

/// The check-in an API token made with an Idempotency-Key, if it made one.
pub async fn by_request(
    db: &Db,
    token: i64,
    request_key: &str,
) -> Result<Option<CheckIn>, StorageError> {
    let Some(row) = sqlx::query(&format!(
        "SELECT {CHECK_IN_COLUMNS} FROM check_ins WHERE api_token_id = $1 AND request_key = $2"
    ))
    .bind(token)
    .bind(request_key)
    .fetch_optional(db.reader())
    .await?
    else {
        return Ok(None);
    };
    let kr =
        crate::storage::key_results::key_result(db, KeyResultId(row.try_get("key_result_id")?))
            .await?;
    check_in_row(&kr.measure, &row).map(Some)
}

const CHECK_IN_COLUMNS: &str =
    "id, key_result_id, author_id, at, value, milestones_done, confidence, note, source";

fn check_in_row(measure: &Measure, row: &sqlx::any::AnyRow) -> Result<CheckIn, StorageError> {
    let source: String = row.try_get("source")?;
    let reading = match row.try_get::<Option<String>, _>("milestones_done")? {
        Some(done) => {
            let ids: Vec<i64> = serde_json::from_str(&done).map_err(StorageError::corrupt)?;
            Reading::Milestones(
                ids.into_iter()
                    .map(|id| MilestoneState {
                        id: MilestoneId(id),
                        weight: Weight::ONE,
                        done: true,
                    })
                    .collect(),
            )
        }
        None => rows::cached_reading(measure, row.try_get("value")?)?.unwrap_or(Reading::Metric(
            Value::parse(0.0).map_err(StorageError::corrupt)?,
        )),
    };
    Ok(CheckIn {
        id: CheckInId(row.try_get("id")?),
        key_result: KeyResultId(row.try_get("key_result_id")?),
        author: row.try_get::<Option<i64>, _>("author_id")?.map(PersonId),
        at_ms: row.try_get("at")?,
        reading,
        confidence: Confidence::parse(row.try_get("confidence")?).map_err(StorageError::corrupt)?,
        note: row
            .try_get::<Option<String>, _>("note")?
            .map(|n| LongText::parse(&n).map_err(StorageError::corrupt))
            .transpose()?,
        source: Source::parse(&source)
            .ok_or_else(|| StorageError::corrupt(format!("source {source}")))?,
    })
}
