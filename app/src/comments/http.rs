//! `POST /objectives/<id>/comments`: anyone signed in joins the conversation.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cairn::ids::ObjectiveId;
use cairn::values::LongText;
use serde::Deserialize;

use crate::storage::accounts::SignedIn;
use crate::storage::{Db, StorageError, comments};

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
    Path(objective): Path<i64>,
    signed_in: Option<axum::Extension<SignedIn>>,
    Form(form): Form<CommentForm>,
) -> Response {
    let Some(axum::Extension(me)) = signed_in else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let page = format!("/objectives/{objective}");
    let body = match LongText::parse(&form.body) {
        Ok(body) => body,
        Err(problem) => {
            return Redirect::to(&format!(
                "{page}?comment_error={}#comment-form",
                problem.code()
            ))
            .into_response();
        }
    };
    let check_in = match form.check_in.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return StatusCode::BAD_REQUEST.into_response(),
        },
    };
    match comments::add_comment(
        &db,
        me.actor.person,
        ObjectiveId(objective),
        check_in,
        &body,
    )
    .await
    {
        Ok(id) => Redirect::to(&format!("{page}#comment-{id}")).into_response(),
        Err(StorageError::NotFound { .. }) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot store a comment");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
