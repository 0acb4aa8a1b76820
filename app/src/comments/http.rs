//! `POST /objectives/<id>/comments`: anyone signed in joins the conversation. A
//! refused comment comes back with what was typed (see `forms`).

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cairn::ids::ObjectiveId;
use cairn::values::LongText;
use serde::Deserialize;
use tower_sessions::Session;

use crate::error::AppError;
use crate::forms::{Done, answer};
use crate::notices::Postman;
use crate::storage::accounts::SignedIn;
use crate::storage::{Db, comments};

/// The comment form's id on the objective page.
pub const FORM: &str = "comment-form";

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    body: String,
    /// The check-in it answers; empty for the objective itself.
    #[serde(default)]
    check_in: String,
}

pub async fn add(
    State(db): State<Db>,
    State(postman): State<Postman>,
    session: Session,
    Path(objective): Path<i64>,
    signed_in: Option<axum::Extension<SignedIn>>,
    Form(form): Form<CommentForm>,
) -> Response {
    let Some(axum::Extension(me)) = signed_in else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let check_in = match form.check_in.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return StatusCode::BAD_REQUEST.into_response(),
        },
    };
    let result = add_comment(
        &db,
        &postman,
        me.actor.person,
        ObjectiveId(objective),
        check_in,
        &form.body,
    )
    .await;
    let back = match &result {
        Ok(Some(id)) => format!("/objectives/{objective}#comment-{id}"),
        _ => format!("/objectives/{objective}#{FORM}"),
    };
    let typed = vec![
        ("body".to_string(), form.body.clone()),
        ("check_in".to_string(), form.check_in.clone()),
    ];
    answer(&session, &back, FORM, result.map(|_| Done::Saved), typed).await
}

async fn add_comment(
    db: &Db,
    postman: &Postman,
    author: cairn::ids::PersonId,
    objective: ObjectiveId,
    check_in: Option<i64>,
    body: &str,
) -> Result<Option<i64>, AppError> {
    let body = LongText::parse(body).map_err(|e| AppError::invalid("body", &e))?;
    let id = comments::add_comment(db, postman, author, objective, check_in, &body).await?;
    Ok(Some(id))
}
