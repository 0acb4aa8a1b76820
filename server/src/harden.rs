//! What every answer gets whatever route it took: requests that finish even when
//! their client goes away, and the security headers browsers act on.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

/// Runs the rest of the request in a task of its own, so a client that resets the
/// connection half-way cannot cancel a write between its statements: the change,
/// its session row and its rate-limit row are committed or rolled back as a whole,
/// whatever happens to the connection. A panic in a handler answers 500 instead of
/// dropping the connection.
pub async fn run_to_completion(request: Request, next: Next) -> Response {
    // In the request's span: what the handler logs carries the request's id.
    match tokio::spawn(next.run(request).in_current_span()).await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(%error, "a request handler failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// How much of an oversized body is read (and dropped) before answering 413, so
/// that a client which sends its whole body before reading can read the answer:
/// a browser uploading a file is one, and someone may well pick a 100 MB file.
const DRAIN_LIMIT: usize = 128 * 1024 * 1024;

/// Refuses a body larger than `limit` with 413 before anything reads it. The
/// body is read and dropped (up to `DRAIN_LIMIT`) first: a client that writes it
/// all before it reads would otherwise see a broken connection, not the answer.
pub async fn limit_body(limit: usize, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_none_or(|length| length <= limit) {
        return next.run(request).await;
    }
    // The spreadsheet upload is a page's form: its page says why, in words.
    let sheet_upload = request.uri().path() == "/admin/sheets";
    let mut stream = request.into_body().into_data_stream();
    let mut read = 0usize;
    while read <= DRAIN_LIMIT {
        match futures::StreamExt::next(&mut stream).await {
            Some(Ok(chunk)) => read += chunk.len(),
            _ => break,
        }
    }
    if sheet_upload {
        return axum::response::Redirect::to("/admin/sheets?refused=too-large").into_response();
    }
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "the request is larger than {} MB, the most Cairn reads",
            limit / (1024 * 1024)
        ),
    )
        .into_response()
}

/// The policy for answers that are not pages (pages set their own, with the
/// nonce of their scripts): nothing may run, nothing may frame it.
const NON_PAGE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// HSTS: a year, once people reach Cairn over https.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Adds the security headers to every answer. `https`: whether people reach
/// Cairn over https (then browsers are told to keep to it).
pub async fn security_headers(https: bool, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let unavailable = response.status() == StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    // Whatever could not be answered for now says when to come back.
    if unavailable {
        headers
            .entry(header::RETRY_AFTER)
            .or_insert(HeaderValue::from(app::auth::gate::RETRY_AFTER_SECONDS));
    }
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(NON_PAGE_POLICY));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}
