//! What gathers around objectives through the API: comments, grades at the
//! quarter's end, and (for admins) the audit trail.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use cairn::api::Scope;
use cairn::audit::{Action, Entity};
use cairn::ids::{ObjectiveId, PersonId};
use cairn::values::LongText;
use serde::Deserialize;
use utoipa::IntoParams;

use super::caller::Caller;
use super::paging::{Body, Id, PageQuery, Params, cursor, next};
use super::problem::{Answer, Problem};
use super::versions::{if_match, tagged, versioned};
use super::wire::{AuditEntry, Comment, GradeSuggestion, Grades, GradesChange, NewComment, Page};
use crate::error::AppError;
use crate::grading::server::{save_as, suggested};
use crate::notices::Postman;
use crate::storage::audit::{self, AuditFilter};
use crate::storage::objectives::grading;
use crate::storage::reads::listing::{self, CommentRow};
use crate::storage::{Db, comments, objectives, through};

fn comment(row: CommentRow) -> Comment {
    Comment {
        id: row.id,
        objective_id: row.objective.0,
        author_id: row.author.map(|p| p.0),
        at: row.at,
        body: row.body,
        check_in_id: row.check_in,
    }
}

/// An objective's comments, oldest first.
#[utoipa::path(get, path = "/api/v1/objectives/{id}/comments", tag = "objectives",
    params(("id" = i64, Path, description = "The objective's id"), PageQuery),
    responses((status = 200, body = Page<Comment>), (status = 404, body = Problem)),
    security(("token" = ["read"])))]
pub async fn comments_list(
    State(db): State<Db>,
    caller: Caller,
    Id(id): Id<i64>,
    Params(page): Params<PageQuery>,
) -> Answer<Json<Page<Comment>>> {
    caller.require(Scope::Read)?;
    objectives::objective(&db, ObjectiveId(id)).await?;
    let limit = page.limit()?;
    let found = listing::comments(&db, ObjectiveId(id), page.after()?, limit).await?;
    let next = next(found.iter().map(|c| c.id), found.len(), limit);
    Ok(Json(Page {
        items: found.into_iter().map(comment).collect(),
        next,
    }))
}

/// Comments on an objective as the token's person (`@handle` mentions tell
/// those named). Service tokens have no person to comment as.
#[utoipa::path(post, path = "/api/v1/objectives/{id}/comments", tag = "objectives",
    params(("id" = i64, Path, description = "The objective's id")),
    request_body = NewComment,
    responses((status = 201, body = Comment), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)),
    security(("token" = ["write"])))]
pub async fn comment_create(
    State(db): State<Db>,
    State(postman): State<Postman>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(new): Body<NewComment>,
) -> Answer<(StatusCode, Json<Comment>)> {
    caller.require(Scope::Write)?;
    let Some(author) = caller.author() else {
        return Err(Problem::new(
            "forbidden",
            "comments are by people: use a personal token to comment",
        ));
    };
    let body = LongText::parse(&new.body).map_err(|e| AppError::invalid("body", &e))?;
    let made = through(
        caller.token.name.clone(),
        comments::add_comment(
            &db,
            &postman,
            author,
            ObjectiveId(id),
            new.check_in_id,
            &body,
        ),
    )
    .await?;
    let row = listing::comments(&db, ObjectiveId(id), made - 1, 1)
        .await?
        .pop()
        .ok_or_else(Problem::not_found)?;
    Ok((StatusCode::CREATED, Json(comment(row))))
}

async fn sheet(db: &Db, id: ObjectiveId) -> Result<Grades, Problem> {
    let objective = objectives::objective(db, id).await?;
    let lines = grading::grading_lines(db, id).await?;
    Ok(Grades {
        objective_id: id.0,
        grade: objective.grade.map(|g| g.get()),
        retrospective: grading::retrospective(db, id).await?,
        lines: lines
            .into_iter()
            .map(|l| GradeSuggestion {
                key_result_id: l.key_result,
                suggested: suggested(l.progress).get(),
                title: l.title,
                grade: l.grade,
                reason: l.reason,
            })
            .collect(),
        version: objective.version,
    })
}

/// An objective's grading sheet: each key result's suggested and given grade.
#[utoipa::path(get, path = "/api/v1/objectives/{id}/grades", tag = "grading",
    params(("id" = i64, Path, description = "The objective's id")),
    responses((status = 200, body = Grades, headers(("ETag" = String))), (status = 404, body = Problem)),
    security(("token" = ["read"])))]
pub async fn grades(State(db): State<Db>, caller: Caller, Id(id): Id<i64>) -> Answer<Response> {
    caller.require(Scope::Read)?;
    let sheet = sheet(&db, ObjectiveId(id)).await?;
    Ok(tagged(StatusCode::OK, sheet.version, Json(sheet)))
}

/// Grades an objective while its period is in grading (admins correct closed
/// ones). Every key result gets a grade; one that departs from the suggestion
/// needs a reason. Send the objective's version in `If-Match`.
#[utoipa::path(put, path = "/api/v1/objectives/{id}/grades", tag = "grading",
    params(("id" = i64, Path, description = "The objective's id"),
        ("If-Match" = String, Header, description = "The objective's version you graded")),
    request_body = GradesChange,
    responses((status = 200, body = Grades, headers(("ETag" = String))), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem),
        (status = 428, body = Problem)),
    security(("token" = ["write"])))]
pub async fn grade(
    State(db): State<Db>,
    caller: Caller,
    Id(id): Id<i64>,
    headers: HeaderMap,
    Body(change): Body<GradesChange>,
) -> Answer<Response> {
    caller.require(Scope::Write)?;
    crate::auth::server::check_edit(&db, &caller.actor, ObjectiveId(id)).await?;
    let version = if_match(&headers)?;
    let lines = change
        .lines
        .into_iter()
        .map(|l| cairn::grading::GradeLine {
            key_result: l.key_result_id,
            grade: l.grade.to_string(),
            reason: l.reason.unwrap_or_default(),
        })
        .collect();
    through(
        caller.token.name.clone(),
        save_as(
            &db,
            &caller.actor,
            caller.author(),
            id,
            version,
            crate::grading::server::Sheet {
                lines,
                retrospective: change.retrospective.unwrap_or_default(),
                numbers: cairn::numbers::NumberStyle::Plain,
            },
        ),
    )
    .await
    .map_err(versioned)?;
    let sheet = sheet(&db, ObjectiveId(id)).await?;
    Ok(tagged(StatusCode::OK, sheet.version, Json(sheet)))
}

/// Which audit entries to list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only changes by this person.
    pub actor: Option<i64>,
    /// Only changes to this kind of thing (objective, key_result, …).
    pub entity: Option<String>,
    /// With `entity`: only changes to this one.
    pub entity_id: Option<i64>,
    /// Only this action (objective.create, check_in.create, …).
    pub action: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// The audit trail, newest first: who changed what, when, through which token.
/// Needs the `admin` scope and an admin's rights.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 403, body = Problem)),
    security(("token" = ["admin"])))]
pub async fn audit_list(
    State(db): State<Db>,
    caller: Caller,
    Params(query): Params<AuditQuery>,
) -> Answer<Json<Page<AuditEntry>>> {
    caller.require(Scope::Admin)?;
    if !caller.actor.admin {
        return Err(AppError::Forbidden.into());
    }
    let page = PageQuery {
        cursor: query.cursor.clone(),
        limit: query.limit,
    };
    let limit = page.limit()?;
    let filter = AuditFilter {
        actor: query.actor.map(PersonId),
        entity: match query.entity.as_deref() {
            None => None,
            Some(text) => Some(
                Entity::parse(text)
                    .ok_or_else(|| Problem::malformed(format!("entity: no kind {text:?}")))?,
            ),
        },
        entity_id: query.entity_id,
        action: match query.action.as_deref() {
            None => None,
            Some(text) => Some(
                Action::parse(text)
                    .ok_or_else(|| Problem::malformed(format!("action: no action {text:?}")))?,
            ),
        },
        before: match page.cursor {
            None => None,
            Some(_) => Some(page.after()?),
        },
        limit,
    };
    let rows = audit::list(&db, &filter).await?;
    let next = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|r| cursor(r.id)))
        .flatten();
    Ok(Json(Page {
        items: rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                at: r.at_ms,
                actor_id: r.actor.map(|(id, _)| id),
                via: r.via,
                action: r.action.as_str().to_string(),
                entity: r.entity.as_str().to_string(),
                entity_id: r.entity_id,
                before: r.before,
                after: r.after,
            })
            .collect(),
        next,
    }))
}
