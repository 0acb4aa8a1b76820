//! The error every server function returns, typed on both sides of the wire so the
//! browser can match on what went wrong instead of parsing a string, and the one
//! message each kind of error has (`words`).

mod words;

pub use words::{PageProblemWords, ProblemWords};

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use thiserror::Error;

use leptos::server_fn;

/// What can go wrong when the browser asks the server for something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Error)]
pub enum AppError {
    /// The database could not answer; the cause is in the server log, not on the wire.
    #[error("the database is unavailable")]
    Unavailable,
    /// The thing asked for does not exist.
    #[error("not found")]
    NotFound,
    /// Someone else changed it first; reload and try again. Nothing was written.
    #[error("someone else changed this first")]
    Conflict,
    /// The change breaks one of the domain's rules; nothing was written.
    #[error("{0}")]
    Rule(cairn::rules::Rule),
    /// A field's value is not acceptable; nothing was written.
    #[error("{field}: {problem}")]
    Invalid {
        field: String,
        problem: cairn::draft::FieldProblem,
    },
    /// Fields of a form are not acceptable, each with its problem; nothing was
    /// written.
    #[error("some fields are not acceptable")]
    Form(Vec<cairn::draft::Problem>),
    /// The move would break the cascade; nothing was written.
    #[error("{0}")]
    Alignment(cairn::alignment::AlignmentError),
    /// The period is closed; nothing was written.
    #[error("the period is closed")]
    ClosedPeriod,
    /// The request's arguments were missing or not of the right type (a word where
    /// a number belongs, ...); nothing was done.
    #[error("the request was not understood: {0}")]
    Malformed(String),
    /// Too many attempts lately; try again after this many minutes.
    #[error("too many attempts; try again in {minutes} minutes")]
    TooManyAttempts { minutes: i64 },
    /// Nobody is signed in; sign in first.
    #[error("sign in first")]
    Unauthenticated,
    /// Signed in, but not allowed to make this change; nothing was written.
    #[error("you may not change this")]
    Forbidden,
    /// A change sent from another site's page; refused, nothing was written.
    #[error("changes must come from Cairn's own pages")]
    CrossOrigin,
    /// The request never reached the function, or its answer could not be read.
    #[error("the request failed: {0}")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: &str, problem: &cairn::values::ValueError) -> AppError {
        AppError::Invalid {
            field: field.to_string(),
            problem: cairn::draft::FieldProblem::Value(problem.clone()),
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status this error is answered with: a refused change is the
    /// client's to fix (4xx), not a server failure (5xx).
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            AppError::Unavailable | AppError::Transport(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::Malformed(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Forbidden | AppError::CrossOrigin => StatusCode::FORBIDDEN,
            AppError::Rule(_)
            | AppError::Invalid { .. }
            | AppError::Form(_)
            | AppError::Alignment(_)
            | AppError::ClosedPeriod => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Every error a server function answers with is written here, on the server,
    /// while the request's response options are at hand: the status follows the
    /// error, for arguments that could not be read as for refusals.
    #[cfg(feature = "ssr")]
    fn ser(&self) -> server_fn::Bytes {
        use server_fn::Encodes;
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(self.status());
        }
        JsonEncoding::encode(self).unwrap_or_default()
    }

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::Malformed(value.to_string())
            }
            // On the server, what fails to deserialize is the request (a JSON body
            // that does not fit); in the browser it is the answer.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => AppError::Malformed(value.to_string()),
            other => AppError::Transport(other.to_string()),
        }
    }
}
