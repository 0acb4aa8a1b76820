//! Objectives through the API: listed with filters, read with their version as
//! an ETag, created and changed with the editor's validation and the UI's access
//! check, re-aligned with the tree's cycle check.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use cairn::api::Scope;
use cairn::draft::{KeyResultDraft, ObjectiveDraft};
use cairn::ids::{ObjectiveId, PeriodId, PersonId, UnitId};
use cairn::model::ObjectiveState;
use cairn::status::{Status, status};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::caller::Caller;
use super::paging::{Body, Id, PageQuery, Params, cursor};
use super::problem::{Answer, Problem};
use super::versions::{if_match, tagged, versioned};
use super::wire::{
    Initiative, KeyResult, NewKeyResult, NewObjective, Objective, ObjectiveChanges, Page, ParentRef,
};
use crate::auth::server::{check_edit, check_edit_for};
use crate::storage::objectives::choices::{draft_of, number};
use crate::storage::objectives::editing::{Placement, save_objective};
use crate::storage::reads::listing::{self, Listed, ObjectiveQuery};
use crate::storage::{Db, objectives, periods, through};

/// Which objectives to list; every filter is optional.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ObjectiveFilter {
    /// Only this period's.
    pub period: Option<i64>,
    /// Only those this unit owns.
    pub unit: Option<i64>,
    /// Only those this person owns (by person id).
    pub owner: Option<i64>,
    /// draft, active, completed or abandoned
    pub state: Option<String>,
    /// on_track, at_risk or off_track
    pub status: Option<String>,
    /// Only those changed after this moment: milliseconds since the epoch, or
    /// an RFC 3339 time (`2026-10-01T00:00:00Z`).
    pub updated_since: Option<String>,
    pub cursor: Option<String>,
    /// 1 to 200 (50 unless said).
    pub limit: Option<i64>,
}

/// How many rows a filtered page reads at most before it answers (with fewer
/// items, and a cursor to go on from).
const SCAN_ROUNDS: usize = 20;

/// Objectives by id, each with its key results, alignment and initiatives.
#[utoipa::path(get, path = "/api/v1/objectives", tag = "objectives", params(ObjectiveFilter),
    responses((status = 200, body = Page<Objective>), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 429, body = Problem)),
    security(("token" = ["read"])))]
pub async fn list(
    State(db): State<Db>,
    caller: Caller,
    Params(filter): Params<ObjectiveFilter>,
) -> Answer<Json<Page<Objective>>> {
    caller.require(Scope::Read)?;
    let page = PageQuery {
        cursor: filter.cursor.clone(),
        limit: filter.limit,
    };
    let limit = page.limit()?;
    let wanted = match filter.status.as_deref() {
        None => None,
        Some(text) => Some(
            Status::parse(text)
                .ok_or_else(|| Problem::malformed("status: on_track, at_risk or off_track"))?,
        ),
    };
    let mut query = ObjectiveQuery {
        period: filter.period.map(PeriodId),
        unit: filter.unit.map(UnitId),
        person: filter.owner.map(PersonId),
        state: match filter.state.as_deref() {
            None => None,
            Some(text) => Some(ObjectiveState::parse(text).ok_or_else(|| {
                Problem::malformed("state: draft, active, completed or abandoned")
            })?),
        },
        updated_since: filter.updated_since.as_deref().map(moment).transpose()?,
        after: page.after()?,
        limit,
    };
    let paces = Paces::load(&db).await?;
    let mut items = Vec::new();
    let mut more = false;
    for _ in 0..SCAN_ROUNDS {
        let batch = listing::objectives(&db, &query).await?;
        more = batch.len() as i64 == query.limit;
        for listed in batch {
            query.after = listed.okr.objective.id.0;
            let objective = objective(listed, &paces);
            if wanted.is_none_or(|w| w.as_str() == objective.status) {
                items.push(objective);
                if items.len() as i64 == limit {
                    break;
                }
            }
        }
        if !more || items.len() as i64 == limit {
            break;
        }
    }
    let next = (more || items.len() as i64 == limit).then(|| cursor(query.after));
    Ok(Json(Page { items, next }))
}

/// A moment as a client writes it: milliseconds since the epoch, or RFC 3339.
fn moment(text: &str) -> Result<i64, Problem> {
    if let Ok(ms) = text.trim().parse::<i64>() {
        return Ok(ms);
    }
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.timestamp_millis())
        .map_err(|_| {
            Problem::malformed("updated_since: milliseconds since the epoch or an RFC 3339 time")
        })
}

/// Each period's expected progress today, for objectives' status.
pub(super) struct Paces(Vec<(PeriodId, f64)>);

impl Paces {
    pub(super) async fn load(db: &Db) -> Result<Paces, Problem> {
        let today = db.clock().today();
        Ok(Paces(
            periods::periods(db)
                .await?
                .into_iter()
                .map(|p| (p.id, p.span.map_or(0.0, |s| s.elapsed(today))))
                .collect(),
        ))
    }

    fn of(&self, period: PeriodId) -> f64 {
        self.0
            .iter()
            .find(|(id, _)| *id == period)
            .map_or(0.0, |(_, pace)| *pace)
    }
}

/// An objective as the API shows it.
pub(super) fn objective(listed: Listed, paces: &Paces) -> Objective {
    let o = &listed.okr.objective;
    let lowest = listed
        .okr
        .key_results
        .iter()
        .filter_map(|k| k.confidence)
        .min_by_key(|c| c.get());
    Objective {
        id: o.id.0,
        title: o.title.as_str().to_string(),
        description: o.description.as_ref().map(|d| d.as_str().to_string()),
        period_id: o.period.0,
        owner: o.owner.into(),
        commitment: o.commitment.as_str().to_string(),
        state: o.state.as_str().to_string(),
        weight: o.weight.get(),
        progress: o.progress.ratio(),
        status: status(o.progress, paces.of(o.period), lowest)
            .as_str()
            .to_string(),
        grade: o.grade.map(|g| g.get()),
        parent: listed.parent.map(ParentRef::from),
        key_results: listed
            .okr
            .key_results
            .iter()
            .map(|k| {
                let milestones = listed.milestones.get(&k.id).map_or(&[][..], Vec::as_slice);
                KeyResult::of(k, milestones)
            })
            .collect(),
        initiatives: listed
            .initiatives
            .into_iter()
            .map(|(title, done)| Initiative { title, done })
            .collect(),
        updated_at: listed.updated_at,
        version: o.version,
    }
}

async fn read(db: &Db, id: ObjectiveId) -> Result<Objective, Problem> {
    let listed = listing::objective(db, id).await?;
    Ok(objective(listed, &Paces::load(db).await?))
}

/// One objective; its version is also its `ETag`.
#[utoipa::path(get, path = "/api/v1/objectives/{id}", tag = "objectives",
    params(("id" = i64, Path, description = "The objective's id")),
    responses((status = 200, body = Objective, headers(("ETag" = String, description = "The version, quoted"))),
        (status = 404, body = Problem)),
    security(("token" = ["read"])))]
pub async fn get_one(State(db): State<Db>, caller: Caller, Id(id): Id<i64>) -> Answer<Response> {
    caller.require(Scope::Read)?;
    let objective = read(&db, ObjectiveId(id)).await?;
    Ok(tagged(StatusCode::OK, objective.version, Json(objective)))
}

/// Creates an objective with its key results, for a unit or a person the
/// token's person may write for, in an open period; optionally aligned.
#[utoipa::path(post, path = "/api/v1/objectives", tag = "objectives", request_body = NewObjective,
    responses((status = 201, body = Objective, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("token" = ["write"])))]
pub async fn create(
    State(db): State<Db>,
    caller: Caller,
    Body(new): Body<NewObjective>,
) -> Answer<Response> {
    caller.require(Scope::Write)?;
    let owner = new.owner.into();
    check_edit_for(&db, &caller.actor, owner).await?;
    let draft = ObjectiveDraft {
        title: new.title,
        description: new.description.unwrap_or_default(),
        commitment: new.commitment.unwrap_or_else(|| "committed".into()),
        state: new.state.unwrap_or_else(|| "active".into()),
        weight: new.weight.map(number).unwrap_or_default(),
        key_results: new.key_results.into_iter().map(key_result_draft).collect(),
        initiatives: Vec::new(),
        numbers: cairn::numbers::NumberStyle::Plain,
    };
    let valid = draft.validate().map_err(crate::error::AppError::Form)?;
    let placement = Placement::New {
        period: PeriodId(new.period_id),
        owner,
        parent: new.parent.map(Into::into),
    };
    let saved = through(
        caller.token.name.clone(),
        save_objective(&db, caller.author(), placement, &valid),
    )
    .await?;
    let objective = read(&db, saved.objective).await?;
    let mut response = tagged(StatusCode::CREATED, objective.version, Json(objective));
    if let Ok(location) = format!("/api/v1/objectives/{}", saved.objective.0).parse() {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, location);
    }
    Ok(response)
}

fn key_result_draft(new: NewKeyResult) -> KeyResultDraft {
    KeyResultDraft {
        id: None,
        title: new.title,
        kind: new.kind,
        direction: new.direction.unwrap_or_else(|| "increase".into()),
        start: new.start.map(number).unwrap_or_default(),
        target: new.target.map(number).unwrap_or_default(),
        unit: new.unit.unwrap_or_default(),
        weight: new.weight.map(number).unwrap_or_default(),
        milestones: new
            .milestones
            .unwrap_or_default()
            .into_iter()
            .map(|title| (None, title))
            .collect(),
        owner: new.owner.map(|p| p.to_string()).unwrap_or_default(),
        due: new.due.unwrap_or_default(),
    }
}

/// Changes an objective's own fields (its key results stay as they are). Send
/// the version you read in `If-Match`; a stale one is refused with 412.
#[utoipa::path(patch, path = "/api/v1/objectives/{id}", tag = "objectives",
    params(("id" = i64, Path, description = "The objective's id"),
        ("If-Match" = String, Header, description = "The version you changed (its ETag)")),
    request_body = ObjectiveChanges,
    responses((status = 200, body = Objective, headers(("ETag" = String))),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("token" = ["write"])))]
pub async fn change(
    State(db): State<Db>,
    caller: Caller,
    Id(id): Id<i64>,
    headers: HeaderMap,
    Body(changes): Body<ObjectiveChanges>,
) -> Answer<Response> {
    caller.require(Scope::Write)?;
    let id = ObjectiveId(id);
    check_edit(&db, &caller.actor, id).await?;
    let version = if_match(&headers)?;
    let (stored, mut draft) = draft_of(&db, id).await?;
    if !periods::period(&db, stored.period).await?.state.is_open() {
        return Err(crate::error::AppError::ClosedPeriod.into());
    }
    if stored.version != version {
        return Err(versioned(crate::error::AppError::Conflict));
    }
    if let Some(title) = changes.title {
        draft.title = title;
    }
    if let Some(description) = changes.description {
        draft.description = description;
    }
    if let Some(commitment) = changes.commitment {
        draft.commitment = commitment;
    }
    if let Some(state) = changes.state {
        draft.state = state;
    }
    if let Some(weight) = changes.weight {
        draft.weight = number(weight);
    }
    let valid = draft.validate().map_err(crate::error::AppError::Form)?;
    through(
        caller.token.name.clone(),
        save_objective(
            &db,
            caller.author(),
            Placement::Existing { id, version },
            &valid,
        ),
    )
    .await
    .map_err(|e| versioned(e.into()))?;
    let objective = read(&db, id).await?;
    Ok(tagged(StatusCode::OK, objective.version, Json(objective)))
}

/// Where an objective aligns: another objective, a key result, or nothing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Alignment {
    /// None to align it to nothing.
    pub parent: Option<ParentRef>,
}

/// Re-aligns an objective (what dragging it in the tree does). Send its
/// version in `If-Match`. A move that would make a cycle is refused (422).
#[utoipa::path(put, path = "/api/v1/objectives/{id}/parent", tag = "objectives",
    params(("id" = i64, Path, description = "The objective's id"),
        ("If-Match" = String, Header, description = "The version you moved (its ETag)")),
    request_body = Alignment,
    responses((status = 200, body = Objective, headers(("ETag" = String))),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem),
        (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("token" = ["write"])))]
pub async fn align(
    State(db): State<Db>,
    caller: Caller,
    Id(id): Id<i64>,
    headers: HeaderMap,
    Body(alignment): Body<Alignment>,
) -> Answer<Response> {
    caller.require(Scope::Write)?;
    let id = ObjectiveId(id);
    check_edit(&db, &caller.actor, id).await?;
    let version = if_match(&headers)?;
    through(
        caller.token.name.clone(),
        objectives::alignment::align(
            &db,
            caller.author(),
            id,
            version,
            alignment.parent.map(Into::into),
        ),
    )
    .await
    .map_err(|e| versioned(e.into()))?;
    let objective = read(&db, id).await?;
    Ok(tagged(StatusCode::OK, objective.version, Json(objective)))
}
