//! The period forms: `POST /periods` makes one; on `/periods/<id>`: `next`,
//! `close` (after its confirmation page) and `reopen`; `GET
//! /periods/<id>/summary/csv`; and `POST /objectives/<id>/undo-carry`.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use cairn::ids::ObjectiveId;
use cairn::period::PeriodState;
use tower_sessions::Session;

use super::server::periods::{
    CLOSE_FORM, LIST_FORM, NEW_FORM, PeriodForm, create as make, next as make_next, step,
};
use super::server::summary::{CsvHeads, csv, summary_of};
use crate::error::AppError;
use crate::forms::{Done, answer};
use crate::storage::Db;
use crate::storage::accounts::SignedIn;
use crate::storage::objectives::carry;

/// The form that undoes carrying forward, on the copy's editor.
pub const UNDO_FORM: &str = "undo-carry";

#[derive(Debug, serde::Deserialize)]
pub struct Versioned {
    #[serde(default)]
    version: String,
}

impl Versioned {
    fn get(&self) -> Result<i64, AppError> {
        self.version
            .trim()
            .parse()
            .map_err(|_| AppError::Malformed("version".into()))
    }
}

pub async fn create(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Form(form): Form<PeriodForm>,
) -> Response {
    let result = make(&db, &me.actor, &form).await;
    answer(
        &session,
        "/periods#new-period",
        NEW_FORM,
        result,
        form.typed(),
    )
    .await
}

pub async fn next(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let result = make_next(&db, &me.actor, id).await;
    answer(&session, "/periods", LIST_FORM, result, Vec::new()).await
}

pub async fn close(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<Versioned>,
) -> Response {
    let result = step_to(
        &db,
        &me,
        id,
        &form,
        PeriodState::Grading,
        PeriodState::Closed,
    )
    .await;
    let (back, form_id) = match result {
        Ok(_) => (format!("/periods/{id}/summary"), LIST_FORM),
        Err(_) => (format!("/periods/{id}/close"), CLOSE_FORM),
    };
    answer(&session, &back, form_id, result, Vec::new()).await
}

pub async fn reopen(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<Versioned>,
) -> Response {
    let result = step_to(
        &db,
        &me,
        id,
        &form,
        PeriodState::Closed,
        PeriodState::Grading,
    )
    .await;
    answer(&session, "/periods", LIST_FORM, result, Vec::new()).await
}

async fn step_to(
    db: &Db,
    me: &SignedIn,
    id: i64,
    form: &Versioned,
    from: PeriodState,
    to: PeriodState,
) -> Result<Done, AppError> {
    step(db, &me.actor, id, form.get()?, from, to).await
}

/// The summary as a CSV file, headed in the reader's language.
pub async fn summary_csv(
    State(db): State<Db>,
    _me: SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let language = crate::auth::gate::preferred_language(&headers);
    let made = match summary_of(&db, id).await {
        Ok(summary) => csv(&summary, &CsvHeads::of(language)).map(|text| (summary, text)),
        Err(error) => Err(error),
    };
    match made {
        Ok((summary, text)) => {
            let file: String = summary
                .period
                .1
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"cairn-summary-{file}.csv\""),
                    ),
                ],
                text,
            )
                .into_response()
        }
        Err(error) => (error.status(), error.to_string()).into_response(),
    }
}

pub async fn undo_carry(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let result = match crate::auth::server::check_edit(&db, &me.actor, ObjectiveId(id)).await {
        Ok(()) => carry::undo_carry(&db, Some(me.actor.person), ObjectiveId(id))
            .await
            .map_err(AppError::from),
        Err(error) => Err(error),
    };
    match result {
        Ok(from) => {
            answer(
                &session,
                &format!("/objectives/{}/grade", from.0),
                UNDO_FORM,
                Ok(Done::Saved),
                Vec::new(),
            )
            .await
        }
        Err(error) => {
            answer(
                &session,
                &format!("/objectives/{id}/edit"),
                UNDO_FORM,
                Err(error),
                Vec::new(),
            )
            .await
        }
    }
}
