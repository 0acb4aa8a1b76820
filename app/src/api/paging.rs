//! What the API's handlers read from a request, each refusal a problem (never
//! axum's plain-text rejections), and the cursors lists are paged with.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use base64::Engine;
use serde::Deserialize;
use utoipa::IntoParams;

use super::problem::Problem;

/// A JSON body; a body that is not JSON, too large or of the wrong shape is a problem.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(Problem))]
pub struct Body<T>(pub T);

/// The query string; parameters of the wrong type are a problem.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Problem))]
pub struct Params<T>(pub T);

/// The path's parameters (ids): one that is not a number is a problem.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Problem))]
pub struct Id<T>(pub T);

impl From<JsonRejection> for Problem {
    fn from(rejection: JsonRejection) -> Problem {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => Problem::new(
                "unsupported-media-type",
                "send the body as JSON, with Content-Type: application/json",
            ),
            JsonRejection::BytesRejection(ref bytes)
                if bytes.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Problem::new("payload-too-large", rejection.body_text())
            }
            JsonRejection::JsonDataError(error) => {
                // The shape is wrong: a field of the wrong type, one missing or unknown.
                Problem::new("invalid", error.body_text()).with_code("shape")
            }
            other => Problem::malformed(other.body_text()),
        }
    }
}

impl From<QueryRejection> for Problem {
    fn from(rejection: QueryRejection) -> Problem {
        Problem::malformed(rejection.body_text())
    }
}

impl From<PathRejection> for Problem {
    fn from(rejection: PathRejection) -> Problem {
        Problem::malformed(rejection.body_text())
    }
}

/// Paging through a list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next` of the page before; absent for the first page.
    pub cursor: Option<String>,
    /// Items per page, 1 to 200 (50 unless said).
    pub limit: Option<i64>,
}

/// The most a page holds.
pub const MOST: i64 = 200;

impl PageQuery {
    /// The id the page starts after.
    pub fn after(&self) -> Result<i64, Problem> {
        match &self.cursor {
            None => Ok(0),
            Some(cursor) => read_cursor(cursor)
                .ok_or_else(|| Problem::malformed("cursor: not one this API gave")),
        }
    }

    /// How many to return at most.
    pub fn limit(&self) -> Result<i64, Problem> {
        match self.limit {
            None => Ok(50),
            Some(limit) if (1..=MOST).contains(&limit) => Ok(limit),
            Some(_) => Err(Problem::malformed(format!("limit: 1 to {MOST}"))),
        }
    }
}

/// A cursor standing after `id`: opaque to clients, who pass it back as it is.
pub fn cursor(id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("after:{id}"))
}

fn read_cursor(cursor: &str) -> Option<i64> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("after:")?
        .parse()
        .ok()
        .filter(|id| *id >= 0)
}

/// The `next` cursor of a page: after its last item, when it was full.
pub fn next(
    ids: impl DoubleEndedIterator<Item = i64>,
    scanned: usize,
    limit: i64,
) -> Option<String> {
    let last = ids.last()?;
    (scanned as i64 >= limit).then(|| cursor(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_read_back_and_nothing_else_reads_as_one() {
        assert_eq!(read_cursor(&cursor(42)), Some(42));
        assert_eq!(read_cursor("42"), None);
        assert_eq!(read_cursor(&cursor(-3)), None);
        let query = PageQuery {
            cursor: Some("nonsense!".into()),
            limit: Some(500),
        };
        assert!(query.after().is_err() && query.limit().is_err());
        assert_eq!(next([1, 2, 3].into_iter(), 3, 3), Some(cursor(3)));
        assert_eq!(next([1, 2].into_iter(), 2, 3), None);
    }
}
