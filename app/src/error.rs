//! The error every server function returns, typed on both sides of the wire so the
//! browser can match on what went wrong instead of parsing a string.

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
    /// The change breaks a rule (a loop in the cascade, a closed period, ...).
    #[error("{0}")]
    Rule(String),
    /// A field's value is not acceptable; `problem` is the domain's stable code
    /// ("empty", "not_finite", "out_of_range", ...). Nothing was written.
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: String },
    /// The move would break the cascade; nothing was written.
    #[error("{0}")]
    Alignment(cairn::alignment::AlignmentError),
    /// The period is closed; nothing was written.
    #[error("the period is closed")]
    ClosedPeriod,
    /// The request never reached the function, or its answer could not be read.
    #[error("the request failed: {0}")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: &str, problem: &cairn::values::ValueError) -> AppError {
        AppError::Invalid {
            field: field.to_string(),
            problem: problem.code().to_string(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}
