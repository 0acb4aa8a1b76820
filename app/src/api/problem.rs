//! Errors as `application/problem+json` (RFC 9457): a stable `type` for each
//! kind, the status it belongs with, a sentence, and for a field at fault its
//! name and the problem's code. The same typed errors as the UI's, mapped once.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::storage::StorageError;

/// Where the kinds of problem are described (the reference page's section).
pub const TYPES: &str = "/api/v1/docs#problem-";

/// A problem, as the API answers it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Problem {
    /// The kind of problem: `/api/v1/docs#problem-<code>`, stable across releases.
    #[serde(rename = "type", serialize_with = "type_address")]
    #[schema(value_type = String)]
    pub kind: &'static str,
    /// The kind in a few words.
    pub title: &'static str,
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
    /// The field at fault, for a refused field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong with it, or which rule refused the change (stable codes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// Seconds to wait before trying again (429, 503).
    #[serde(skip)]
    pub retry_after: Option<u32>,
}

fn type_address<S: serde::Serializer>(
    kind: &&'static str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format!("{TYPES}{kind}"))
}

/// Every kind of problem the API answers with: its code, status and title.
pub const KINDS: &[(&str, u16, &str)] = &[
    ("malformed", 400, "The request is not understood"),
    ("unauthenticated", 401, "A valid token is needed"),
    (
        "insufficient-scope",
        403,
        "The token's scopes do not allow this",
    ),
    ("forbidden", 403, "Not allowed"),
    ("not-found", 404, "No such thing"),
    (
        "method-not-allowed",
        405,
        "This route does not answer that method",
    ),
    ("conflict", 409, "Changed meanwhile"),
    ("closed-period", 409, "The period is closed"),
    (
        "idempotency-key-reused",
        409,
        "The Idempotency-Key was used for another request",
    ),
    (
        "precondition-failed",
        412,
        "The version in If-Match is not the current one",
    ),
    ("payload-too-large", 413, "The request body is too large"),
    ("unsupported-media-type", 415, "Send JSON"),
    ("invalid", 422, "A field's value is not acceptable"),
    ("rule", 422, "The change breaks a rule"),
    (
        "precondition-required",
        428,
        "Send the version you changed in If-Match",
    ),
    ("too-many-requests", 429, "Too many requests"),
    ("unavailable", 503, "Try again shortly"),
];

impl Problem {
    /// A problem of kind `code` (one of `KINDS`) saying `detail`.
    pub fn new(code: &str, detail: impl Into<String>) -> Problem {
        let (kind, status, title) = KINDS
            .iter()
            .find(|(c, _, _)| *c == code)
            .map_or(("unexpected", 500, "Unexpected"), |(c, status, title)| {
                (*c, *status, *title)
            });
        Problem {
            kind,
            title,
            status,
            detail: detail.into(),
            field: None,
            code: None,
            retry_after: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>, code: &'static str) -> Problem {
        self.field = Some(field.into());
        self.code = Some(code);
        self
    }

    pub fn with_code(mut self, code: &'static str) -> Problem {
        self.code = Some(code);
        self
    }

    pub fn retry_after(mut self, seconds: u32) -> Problem {
        self.retry_after = Some(seconds);
        self
    }

    pub fn malformed(detail: impl Into<String>) -> Problem {
        Problem::new("malformed", detail)
    }

    pub fn not_found() -> Problem {
        Problem::new("not-found", "there is no such thing, or it is gone")
    }

    pub fn invalid(field: &str, problem: &cairn::draft::FieldProblem) -> Problem {
        Problem::new("invalid", format!("{field}: {problem}")).with_field(field, problem.code())
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Problem {
        let detail = error.to_string();
        match error {
            AppError::Unavailable | AppError::Transport(_) => {
                Problem::new("unavailable", detail).retry_after(5)
            }
            AppError::NotFound => Problem::not_found(),
            AppError::Conflict => Problem::new("conflict", detail),
            AppError::Rule(rule) => Problem::new("rule", detail).with_code(rule.code()),
            AppError::Invalid { field, problem } => Problem::invalid(&field, &problem),
            AppError::Form(problems) => {
                let first = problems.first();
                let mut problem = Problem::new(
                    "invalid",
                    problems
                        .iter()
                        .map(|p| format!("{}: {}", p.field, p.problem))
                        .collect::<Vec<_>>()
                        .join("; "),
                );
                if let Some(first) = first {
                    problem = problem.with_field(first.field.clone(), first.problem.code());
                }
                problem
            }
            AppError::Alignment(refused) => Problem::new("rule", detail).with_code(refused.code()),
            AppError::ClosedPeriod => Problem::new("closed-period", detail),
            AppError::Malformed(_) => Problem::malformed(detail),
            AppError::TooManyAttempts { minutes } => {
                let seconds = u32::try_from(minutes.clamp(1, 1440)).unwrap_or(60) * 60;
                Problem::new("too-many-requests", detail).retry_after(seconds)
            }
            AppError::Unauthenticated => Problem::new("unauthenticated", detail),
            AppError::Forbidden | AppError::CrossOrigin => Problem::new("forbidden", detail),
        }
    }
}

impl From<StorageError> for Problem {
    fn from(error: StorageError) -> Problem {
        AppError::from(error).into()
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(&self)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"cairn\""),
            );
        }
        response
    }
}

/// What a handler answers: its value as JSON, or a problem.
pub type Answer<T> = Result<T, Problem>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_code_and_a_4xx_or_503() {
        let mut codes = std::collections::HashSet::new();
        for (code, status, _) in KINDS {
            assert!(codes.insert(*code), "{code} twice");
            assert!((400..500).contains(status) || *status == 503, "{code}");
        }
        let problem = Problem::from(AppError::Invalid {
            field: "confidence".into(),
            problem: cairn::draft::FieldProblem::Value(cairn::values::ValueError::OutOfRange {
                min: 0.0,
                max: 10.0,
            }),
        });
        assert_eq!(problem.status, 422);
        assert_eq!(problem.kind, "invalid");
        assert_eq!(
            serde_json::to_value(&problem).unwrap()["type"],
            "/api/v1/docs#problem-invalid"
        );
        assert_eq!(
            (problem.field.as_deref(), problem.code),
            (Some("confidence"), Some("out_of_range"))
        );
        let rule = Problem::from(AppError::Rule(cairn::rules::Rule::NotGrading));
        assert_eq!((rule.status, rule.code), (422, Some("not-grading")));
    }
}
