//! Answering a form post: one way for every form, whatever went wrong.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::{Done, Outcome, Refused};
use crate::auth::return_to;
use crate::error::AppError;

/// The session key of the last form's outcome.
const OUTCOME: &str = "form_outcome";

/// Answers a form post: the outcome is kept for the page at `back` (a path on
/// this site), which shows it once. A database that cannot be reached is said at
/// once, with 503: keeping the outcome needs the database too.
pub async fn answer(
    session: &Session,
    back: &str,
    form: &str,
    result: Result<Done, AppError>,
    typed: Vec<(String, String)>,
) -> Response {
    let result = match result {
        Err(AppError::Unavailable) => return unavailable(back),
        Err(error) => Err(Refused { error, typed }),
        Ok(done) => Ok(done),
    };
    let outcome = Outcome {
        form: form.to_string(),
        result,
    };
    if let Err(error) = session.insert(OUTCOME, &outcome).await {
        tracing::error!(%error, "cannot keep a form's outcome");
        return unavailable(back);
    }
    match return_to::local(Some(back)) {
        Ok(target) => Redirect::to(&target).into_response(),
        Err(_) => refuse_control_characters(),
    }
}

/// The answer while the database cannot be reached.
fn unavailable(path: &str) -> Response {
    crate::auth::gate::unavailable_answer(path)
}

/// A return address that could forge a header: refused before anything changes.
pub fn refuse_control_characters() -> Response {
    (
        StatusCode::BAD_REQUEST,
        "the return address holds control characters",
    )
        .into_response()
}

/// The outcome of the last form this browser sent, if it came from one of the
/// page's own forms (`ours` says which, by the form's id), once: reading it
/// removes it.
pub async fn take_outcome(ours: impl Fn(&str) -> bool) -> Option<Outcome> {
    let session = leptos::prelude::use_context::<axum::http::request::Parts>()?
        .extensions
        .get::<Session>()
        .cloned()?;
    let outcome = session.get::<Outcome>(OUTCOME).await.ok().flatten()?;
    if !ours(&outcome.form) {
        return None;
    }
    session.remove::<Outcome>(OUTCOME).await.ok().flatten()
}
