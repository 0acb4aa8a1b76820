//! Versions on the wire: a resource's version is its `ETag` (`"3"`), and a
//! change names the version it was made on in `If-Match`, so that a change made
//! on a stale copy is refused (412) instead of overwriting someone else's.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::problem::Problem;
use crate::error::AppError;

/// `body` answered with `status` and the version as its ETag.
pub fn tagged(status: StatusCode, version: i64, body: impl IntoResponse) -> Response {
    let mut response = (status, body).into_response();
    if let Ok(tag) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// The version named in `If-Match`: 428 without one, 400 for one this API
/// never gave (a list, `*`, or anything but a quoted number).
pub fn if_match(headers: &HeaderMap) -> Result<i64, Problem> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Err(Problem::new(
            "precondition-required",
            "send the version you read in If-Match (the ETag, e.g. \"3\")",
        ));
    };
    let text = value.to_str().unwrap_or_default().trim();
    let text = text.strip_prefix("W/").unwrap_or(text);
    let bare = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    bare.parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| Problem::malformed("If-Match: one version as this API gave it (\"3\")"))
}

/// A refusal of a change made with If-Match: a stale version is 412.
pub fn versioned(error: AppError) -> Problem {
    match error {
        AppError::Conflict => Problem::new(
            "precondition-failed",
            "it changed since that version; read it again and apply your change to the new one",
        ),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_MATCH, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn if_match_reads_the_versions_this_api_gives_and_nothing_else() {
        assert_eq!(if_match(&with("\"3\"")), Ok(3));
        assert_eq!(if_match(&with("W/\"12\"")), Ok(12));
        assert_eq!(if_match(&with("7")), Ok(7));
        for bad in ["*", "\"a\"", "\"1\", \"2\"", "\"-1\"", ""] {
            assert_eq!(if_match(&with(bad)).unwrap_err().status, 400, "{bad}");
        }
        assert_eq!(if_match(&HeaderMap::new()).unwrap_err().status, 428);
    }
}
