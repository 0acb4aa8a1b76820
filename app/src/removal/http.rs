//! `POST /objectives/<id>/delete`: the owner (or an admin) deletes an objective.
//! Deleted, the reader goes to its owner's page; refused, back to the delete page
//! with the reason.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::model::{ChildrenGo, FORM};
use crate::forms::answer;
use crate::storage::Db;
use crate::storage::accounts::SignedIn;

#[derive(Deserialize)]
pub struct DeleteForm {
    version: i64,
    children: ChildrenGo,
}

pub async fn delete(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<DeleteForm>,
) -> Response {
    match super::server::delete(&db, &me.actor, id, form.version, form.children).await {
        Ok(owner_page) => Redirect::to(&owner_page).into_response(),
        Err(error) => {
            let back = format!("/objectives/{id}/delete");
            answer(&session, &back, FORM, Err(error), Vec::new()).await
        }
    }
}
