//! Prometheus metrics: what the operator scrapes at `/metrics`.
//!
//! Counters and histograms are recorded where things happen (requests here, the
//! event streams and sign-ins in the app, statement times from sqlx's own timing);
//! gauges that describe a moment (pool use, open streams) are read at each scrape.
//! `/metrics` is served on its own address (`--metrics-bind`), or on the main one
//! behind a bearer token (`--metrics-token`), or not at all.

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::live::server::Hub;
use app::storage::Db;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::Context;

pub const HTTP_REQUESTS: &str = "cairn_http_requests_total";
pub const HTTP_DURATION: &str = "cairn_http_request_duration_seconds";
pub const QUERY_DURATION: &str = "cairn_db_query_duration_seconds";
pub const POOL_CONNECTIONS: &str = "cairn_db_pool_connections";
pub const STREAMS_OPEN: &str = "cairn_live_streams_open";
/// Outbox messages by state: queued (waiting or to be tried again), failed, sent.
pub const OUTBOX_MESSAGES: &str = "cairn_outbox_messages";
pub const BUILD_INFO: &str = "cairn_build_info";

/// Latency buckets, in seconds: a millisecond to ten seconds.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// How often histogram samples are folded in between scrapes.
const UPKEEP: Duration = Duration::from_secs(5);

/// The installed recorder and what its gauges are read from.
#[derive(Clone)]
pub struct Metrics {
    handle: PrometheusHandle,
    token: Option<Arc<str>>,
}

/// What a scrape reads besides the recorder.
#[derive(Clone)]
pub struct Scrape {
    pub metrics: Metrics,
    pub db: Db,
    pub live: Hub,
}

impl Metrics {
    /// Installs the process's recorder (once) and starts its upkeep.
    pub fn install(token: Option<String>) -> Result<Metrics, String> {
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
            .map_err(|error| error.to_string())?
            .install_recorder()
            .map_err(|error| error.to_string())?;
        let upkeep = handle.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(UPKEEP).await;
                upkeep.run_upkeep();
            }
        });
        describe();
        metrics::gauge!(
            BUILD_INFO,
            "version" => env!("CARGO_PKG_VERSION"),
            "commit" => crate::cli::COMMIT,
        )
        .set(1.0);
        Ok(Metrics {
            handle,
            token: token.map(Arc::from),
        })
    }

    /// Whether the main listener serves `/metrics` (behind the token).
    pub fn token_protected(&self) -> bool {
        self.token.is_some()
    }
}

/// Every metric's help text; the app's own too.
fn describe() {
    app::metrics::describe();
    metrics::describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by route pattern and status"
    );
    metrics::describe_histogram!(
        HTTP_DURATION,
        metrics::Unit::Seconds,
        "Time to answer an HTTP request, by route pattern"
    );
    metrics::describe_histogram!(
        QUERY_DURATION,
        metrics::Unit::Seconds,
        "Time a database statement took, as sqlx measured it"
    );
    metrics::describe_gauge!(
        POOL_CONNECTIONS,
        "Database connections open, by pool and whether they are busy or idle"
    );
    metrics::describe_gauge!(STREAMS_OPEN, "Live event streams open now");
    metrics::describe_gauge!(
        OUTBOX_MESSAGES,
        "Outbox messages (mail) by state: queued, failed for good, sent"
    );
    metrics::describe_gauge!(BUILD_INFO, "The release and commit this node runs");
}

/// `GET /metrics` on the metrics address: no token needed there.
pub async fn open(State(scrape): State<Scrape>) -> Response {
    render(&scrape).await
}

/// `GET /metrics` on the main address: only with `Authorization: Bearer <token>`.
pub async fn behind_token(State(scrape): State<Scrape>, headers: HeaderMap) -> Response {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    match (&scrape.metrics.token, given) {
        (Some(token), Some(given)) if same(token.as_bytes(), given.trim().as_bytes()) => {
            render(&scrape).await
        }
        _ => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "metrics need the bearer token set with --metrics-token\n",
        )
            .into_response(),
    }
}

/// Compares in time independent of where the texts differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn render(scrape: &Scrape) -> Response {
    match app::storage::outbox::depth(&scrape.db).await {
        Ok(depth) => {
            for (state, count) in [
                ("queued", depth.queued),
                ("failed", depth.failed),
                ("sent", depth.sent),
            ] {
                metrics::gauge!(OUTBOX_MESSAGES, "state" => state).set(count as f64);
            }
        }
        Err(error) => tracing::warn!(%error, "cannot count the outbox for the metrics"),
    }
    for pool in scrape.db.pool_use() {
        let busy = (pool.open as usize).saturating_sub(pool.idle);
        metrics::gauge!(POOL_CONNECTIONS, "pool" => pool.pool, "state" => "idle")
            .set(pool.idle as f64);
        metrics::gauge!(POOL_CONNECTIONS, "pool" => pool.pool, "state" => "busy").set(busy as f64);
    }
    metrics::gauge!(STREAMS_OPEN).set(scrape.live.listeners() as f64);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        scrape.metrics.handle.render(),
    )
        .into_response()
}

/// Counts every request by route and status and times it by route. The route is
/// the pattern that matched (`/objectives/{id}`), never the path itself, so the
/// number of series stays bounded whatever clients ask for.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let method = request.method().as_str().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(HTTP_DURATION, "method" => method.clone(), "route" => route.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!(HTTP_REQUESTS, "method" => method, "route" => route, "status" => status)
        .increment(1);
    response
}

/// A tracing layer that turns sqlx's own statement timing (its `sqlx::query`
/// events, `elapsed_secs`) into a histogram. It is given those events only.
pub struct QueryTimes;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for QueryTimes {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut elapsed = Elapsed(None);
        event.record(&mut elapsed);
        if let Some(seconds) = elapsed.0 {
            metrics::histogram!(QUERY_DURATION).record(seconds);
        }
    }
}

struct Elapsed(Option<f64>);

impl Visit for Elapsed {
    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "elapsed_secs" {
            self.0 = Some(value);
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"secret", b"secret"));
        assert!(!same(b"secret", b"secreT"));
        assert!(!same(b"secret", b"secret2"));
        assert!(!same(b"", b"x"));
    }
}
