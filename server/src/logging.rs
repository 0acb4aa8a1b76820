//! Logs: human-readable lines on a terminal, or one JSON object per line for a
//! log collector (`--log-format json`). Every request's lines carry its id, which
//! is also in its answer's `x-request-id` header.

use std::io::IsTerminal;

use axum::http::Request;
use tower_http::LatencyUnit;
use tower_http::request_id::RequestId;
use tower_http::trace::DefaultOnResponse;
use tracing::Span;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::cli::LogFormat;

/// Installs the process's subscriber: the operator's filter for what is written,
/// and sqlx's statement timings for the metrics whatever the filter says.
pub fn init(format: LogFormat, filter: EnvFilter) {
    let written = match format {
        LogFormat::Text => tracing_subscriber::fmt::layer()
            .with_target(false)
            .with_ansi(std::io::stdout().is_terminal())
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .boxed(),
    };
    let statements = Targets::new().with_target("sqlx::query", tracing::Level::DEBUG);
    tracing_subscriber::registry()
        .with(written.with_filter(filter))
        .with(crate::metrics::QueryTimes.with_filter(statements))
        .init();
}

/// The span every request's lines are written in: method, path and its id.
pub fn request_span<B>(request: &Request<B>) -> Span {
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        path = %request.uri().path(),
        client = tracing::field::Empty,
    )
}

/// One line per answered request (status, latency), at info: the access log.
/// `CAIRN_LOG=info,tower_http=warn` turns it off.
pub fn access_line() -> DefaultOnResponse {
    DefaultOnResponse::new()
        .level(tracing::Level::INFO)
        .latency_unit(LatencyUnit::Micros)
}
