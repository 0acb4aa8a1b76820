//! Key results and their check-ins through the API. A check-in sent with an
//! `Idempotency-Key` is made once however often the request is retried.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cairn::api::Scope;
use cairn::draft::FieldProblem;
use cairn::ids::{CheckInId, KeyResultId, MilestoneId};
use cairn::key_result::{Measure, MilestoneState, Reading};
use cairn::model::Source;
use cairn::values::{Confidence, LongText, Value, ValueError, Weight};

use super::caller::Caller;
use super::paging::{Body, Id, PageQuery, Params, next};
use super::problem::{Answer, Problem};
use super::versions::tagged;
use super::wire::{CheckIn, KeyResult, NewCheckIn, Page};
use crate::auth::server::check_check_in;
use crate::error::AppError;
use crate::storage::key_results::amend::{Amendment, amend_check_in};
use crate::storage::key_results::check_ins::{self, Through, record_check_in};
use crate::storage::through;
use crate::storage::{Db, key_results};

/// The header a client names a request with, to retry it safely.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// One key result, with its latest reading; its version is its `ETag`.
#[utoipa::path(get, path = "/api/v1/key-results/{id}", tag = "key results",
    params(("id" = i64, Path, description = "The key result's id")),
    responses((status = 200, body = KeyResult, headers(("ETag" = String))), (status = 404, body = Problem)),
    security(("token" = ["read"])))]
pub async fn key_result(State(db): State<Db>, caller: Caller, Id(id): Id<i64>) -> Answer<Response> {
    caller.require(Scope::Read)?;
    let kr = key_results::key_result(&db, KeyResultId(id)).await?;
    let milestones = key_results::milestones(&db, kr.id).await?;
    let wire = KeyResult::of(&kr, &milestones);
    Ok(tagged(StatusCode::OK, wire.version, Json(wire)))
}

/// A key result's check-ins, oldest first.
#[utoipa::path(get, path = "/api/v1/key-results/{id}/check-ins", tag = "key results",
    params(("id" = i64, Path, description = "The key result's id"), PageQuery),
    responses((status = 200, body = Page<CheckIn>), (status = 404, body = Problem)),
    security(("token" = ["read"])))]
pub async fn list(
    State(db): State<Db>,
    caller: Caller,
    Id(id): Id<i64>,
    Params(page): Params<PageQuery>,
) -> Answer<Json<Page<CheckIn>>> {
    caller.require(Scope::Read)?;
    let limit = page.limit()?;
    let found = check_ins::page(&db, KeyResultId(id), page.after()?, limit).await?;
    let next = next(found.iter().map(|c| c.id.0), found.len(), limit);
    Ok(Json(Page {
        items: found.iter().map(CheckIn::from).collect(),
        next,
    }))
}

/// Checks in on a key result: `value` for a metric, `done` for a binary one,
/// `milestones_done` for one measured by milestones, always a confidence. Send
/// an `Idempotency-Key` (any text up to 200 characters) to retry safely: the
/// same key answers with the check-in it made (200) instead of a new one.
#[utoipa::path(post, path = "/api/v1/key-results/{id}/check-ins", tag = "key results",
    params(("id" = i64, Path, description = "The key result's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Names this request, so a retry makes no second check-in")),
    request_body = NewCheckIn,
    responses((status = 201, body = CheckIn, headers(("Location" = String))),
        (status = 200, description = "A retry: the check-in this key made before", body = CheckIn),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)),
    security(("token" = ["check-in"])))]
pub async fn create(
    State(db): State<Db>,
    caller: Caller,
    Id(id): Id<i64>,
    headers: HeaderMap,
    Body(new): Body<NewCheckIn>,
) -> Answer<Response> {
    caller.require(Scope::CheckIn)?;
    let request_key = request_key(&headers)?;
    if let Some(key) = &request_key
        && let Some(made) = check_ins::by_request(&db, caller.token.id, key).await?
    {
        return replay(&made, KeyResultId(id));
    }
    let kr = key_results::key_result(&db, KeyResultId(id)).await?;
    check_check_in(&db, &caller.actor, kr.objective, kr.owner).await?;
    let (confidence, note) = confidence_and_note(&new)?;
    let reading = reading(&kr.measure, &new)?;
    let recorded = record_check_in(
        &db,
        check_ins::NewCheckIn {
            key_result: kr.id,
            author: caller.author(),
            reading,
            confidence,
            note,
            source: Source::Api,
            through: Some(Through {
                token: caller.token.id,
                name: caller.token.name.clone(),
                request_key: request_key.clone(),
            }),
        },
    )
    .await;
    let receipt = match recorded {
        Ok(receipt) => receipt,
        Err(error) => {
            // Two tries with one key at once: the one that lost finds the other's.
            if let Some(key) = &request_key
                && let Some(made) = check_ins::by_request(&db, caller.token.id, key).await?
            {
                return replay(&made, kr.id);
            }
            return Err(error.into());
        }
    };
    let made = check_ins::page(&db, kr.id, receipt.check_in.0 - 1, 1)
        .await?
        .pop()
        .ok_or_else(Problem::not_found)?;
    let mut response = (StatusCode::CREATED, Json(CheckIn::from(&made))).into_response();
    if let Ok(location) =
        HeaderValue::from_str(&format!("/api/v1/key-results/{}/check-ins", kr.id.0))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Corrects the caller's own newest check-in of a key result: the body says it
/// as for a new check-in, and replaces the reading, confidence and note. Only the
/// person who made it, only while it is the key result's newest, only while its
/// period is open (422 with `not-your-check-in`, `not-newest-check-in`,
/// `check-in-while-grading` otherwise).
#[utoipa::path(put, path = "/api/v1/check-ins/{id}", tag = "key results",
    params(("id" = i64, Path, description = "The check-in's id")),
    request_body = NewCheckIn,
    responses((status = 200, body = CheckIn), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)),
    security(("token" = ["check-in"])))]
pub async fn correct(
    State(db): State<Db>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(new): Body<NewCheckIn>,
) -> Answer<Json<CheckIn>> {
    caller.require(Scope::CheckIn)?;
    let kr = check_ins::key_result_of(&db, CheckInId(id)).await?;
    check_check_in(&db, &caller.actor, kr.objective, kr.owner).await?;
    let (confidence, note) = confidence_and_note(&new)?;
    let amendment = Amendment::Correct {
        reading: reading(&kr.measure, &new)?,
        confidence,
        note,
    };
    amend(&db, &caller, id, amendment).await?;
    let corrected = check_ins::page(&db, kr.id, id - 1, 1)
        .await?
        .pop()
        .ok_or_else(Problem::not_found)?;
    Ok(Json(CheckIn::from(&corrected)))
}

/// Deletes the caller's own newest check-in of a key result: the one before it
/// counts again (none: as if never checked in). The same rules as correcting.
#[utoipa::path(delete, path = "/api/v1/check-ins/{id}", tag = "key results",
    params(("id" = i64, Path, description = "The check-in's id")),
    responses((status = 204, description = "Deleted"), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("token" = ["check-in"])))]
pub async fn delete(State(db): State<Db>, caller: Caller, Id(id): Id<i64>) -> Answer<StatusCode> {
    caller.require(Scope::CheckIn)?;
    let kr = check_ins::key_result_of(&db, CheckInId(id)).await?;
    check_check_in(&db, &caller.actor, kr.objective, kr.owner).await?;
    amend(&db, &caller, id, Amendment::Delete).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Amends a check-in as the caller's person, marked in the trail as made through
/// the caller's token.
async fn amend(db: &Db, caller: &Caller, id: i64, amendment: Amendment) -> Result<(), Problem> {
    let person = caller
        .author()
        .ok_or(AppError::Rule(cairn::rules::Rule::NotYourCheckIn))?;
    through(
        caller.token.name.clone(),
        amend_check_in(db, CheckInId(id), person, amendment),
    )
    .await?;
    Ok(())
}

fn confidence_and_note(new: &NewCheckIn) -> Result<(Confidence, Option<LongText>), Problem> {
    let confidence = Confidence::parse(new.confidence).map_err(|e| invalid("confidence", e))?;
    let note = match new.note.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(LongText::parse(text).map_err(|e| invalid("note", e))?),
    };
    Ok((confidence, note))
}

/// The check-in a key made before, if the retry is for the same key result.
fn replay(made: &cairn::model::CheckIn, key_result: KeyResultId) -> Answer<Response> {
    if made.key_result != key_result {
        return Err(Problem::new(
            "idempotency-key-reused",
            format!(
                "this Idempotency-Key made a check-in on key result {}; use a new key for a new check-in",
                made.key_result.0
            ),
        ));
    }
    let mut response = (StatusCode::OK, Json(CheckIn::from(made))).into_response();
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    Ok(response)
}

fn request_key(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let text = value.to_str().map(str::trim).unwrap_or_default();
    if text.is_empty() || text.len() > 200 {
        return Err(Problem::malformed(
            "Idempotency-Key: 1 to 200 visible ASCII characters",
        ));
    }
    Ok(Some(text.to_string()))
}

fn invalid(field: &str, error: ValueError) -> Problem {
    AppError::invalid(field, &error).into()
}

/// A field that does not belong to this kind of key result.
fn not_for(field: &str, kind: &str) -> Problem {
    Problem::new(
        "invalid",
        format!("{field}: a {kind} key result is not checked in with {field}"),
    )
    .with_field(field, FieldProblem::UnknownChoice.code())
}

/// What the body checks in, for the key result's kind of measure.
fn reading(measure: &Measure, new: &NewCheckIn) -> Result<Reading, Problem> {
    match measure {
        Measure::Metric { .. } | Measure::Duration { .. } => {
            let kind = measure.kind_str();
            if new.done.is_some() {
                return Err(not_for("done", kind));
            }
            if new.milestones_done.is_some() {
                return Err(not_for("milestones_done", kind));
            }
            let value = new
                .value
                .ok_or_else(|| invalid("value", ValueError::Empty))?;
            Ok(Reading::Metric(
                Value::parse(value).map_err(|e| invalid("value", e))?,
            ))
        }
        Measure::Binary => {
            if new.value.is_some() {
                return Err(not_for("value", "binary"));
            }
            if new.milestones_done.is_some() {
                return Err(not_for("milestones_done", "binary"));
            }
            let done = new.done.ok_or_else(|| invalid("done", ValueError::Empty))?;
            Ok(Reading::Binary(done))
        }
        Measure::Milestones => {
            if new.value.is_some() {
                return Err(not_for("value", "milestones"));
            }
            if new.done.is_some() {
                return Err(not_for("done", "milestones"));
            }
            let done = new
                .milestones_done
                .clone()
                .ok_or_else(|| invalid("milestones_done", ValueError::Empty))?;
            Ok(Reading::Milestones(
                done.into_iter()
                    .map(|id| MilestoneState {
                        id: MilestoneId(id),
                        weight: Weight::ONE,
                        done: true,
                    })
                    .collect(),
            ))
        }
    }
}
