//! The HTTP surface: pages, server functions, the browser bundle, health.

use std::net::SocketAddr;
use std::path::Path;

use app::auth::client::{TrustedProxies, client_address};
use app::auth::{gate, http as auth};
use app::live::server::Hub;
use app::state::AppState;
use app::storage::Db;
use app::storage::accounts::sessions::DbSessions;
use app::{App, shell};
use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, file_and_error_handler, generate_route_list};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::SessionManagerLayer;
use tower_sessions::cookie::SameSite;

use crate::health;
use crate::metrics::{Metrics, Scrape};

/// The name of the browser bundle in `pkg/`: `cairn.js`, `cairn_bg.wasm`, `cairn.css`.
pub const BUNDLE_NAME: &str = "cairn";

/// The largest request body read, in bytes.
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The header naming each request's id, in its log lines and its answer.
pub const REQUEST_ID: &str = "x-request-id";

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "cairn_session";

/// What the router is built from.
pub struct Site<'a> {
    pub db: Db,
    pub live: Hub,
    pub site_root: &'a Path,
    pub addr: SocketAddr,
    /// Whether people reach Cairn over https.
    pub https: bool,
    pub trusted_proxies: TrustedProxies,
    pub metrics: Metrics,
}

pub fn router(site: Site<'_>) -> Router {
    let Site {
        db,
        live,
        site_root,
        addr,
        https,
        trusted_proxies,
        metrics,
    } = site;
    let pkg_dir = site_root.join("pkg");
    if !pkg_dir.join(format!("{BUNDLE_NAME}_bg.wasm")).is_file() {
        tracing::warn!(
            "no browser bundle in {}: pages render but stay static; build it with `./x build`",
            pkg_dir.display()
        );
    }
    let leptos_options = LeptosOptions::builder()
        .output_name(BUNDLE_NAME)
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(Env::PROD)
        .build();
    let sessions = SessionManagerLayer::new(DbSessions(db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        // Lax: a link into Cairn from mail or chat arrives signed in; changes from
        // other sites are refused by the same-origin check.
        .with_same_site(SameSite::Lax)
        .with_secure(https);
    let state = AppState {
        leptos_options,
        db: db.clone(),
        live,
    };
    let routes = generate_route_list(App);

    // The bundle's names carry no hash yet, so browsers revalidate (cheap 304s).
    let bundle = Router::new()
        .fallback_service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ));

    let scrape = Scrape {
        metrics: metrics.clone(),
        db: db.clone(),
        live: state.live.clone(),
    };
    let app = Router::new()
        .route("/events", get(app::live::server::stream))
        .route("/language/{code}", get(crate::language::switch))
        .route("/sign-in", post(auth::sign_in))
        .route("/sign-in/link", post(auth::redeem_link))
        .route("/sign-out", post(auth::sign_out))
        .route("/account/password", post(auth::change_password))
        .route("/objectives/{id}/comments", post(app::comments::http::add))
        .route("/admin/people", post(app::admin::http::create_person_form))
        .route("/admin/people/{id}", post(app::admin::http::person_form))
        .route("/admin/units", post(app::admin::http::create_unit_form))
        .route("/admin/units/{id}", post(app::admin::http::unit_form))
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .nest("/pkg", bundle)
        .fallback(file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(db.clone(), gate::gate))
        .layer(sessions)
        .layer(axum::middleware::from_fn(gate::same_origin))
        .layer(axum::middleware::from_fn(
            crate::language::prefer_remembered,
        ))
        .layer(axum::middleware::from_fn(move |request, next| {
            client_address(trusted_proxies.clone(), request, next)
        }));

    // Health and metrics need no session and no database row of their own.
    let mut ops = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz).with_state(db));
    if metrics.token_protected() {
        ops = ops.route(
            "/metrics",
            get(crate::metrics::behind_token).with_state(scrape),
        );
    }
    let request_id = HeaderName::from_static(REQUEST_ID);
    ops.merge(app.with_state(state))
        // Forms are small, but a 10 MB paste must reach validation and be refused
        // there with a clear message, not cut off on the wire. Beyond the limit the
        // answer is 413, before the body is read.
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(|request, next| {
            crate::harden::limit_body(BODY_LIMIT, request, next)
        }))
        .layer(axum::middleware::from_fn(crate::harden::run_to_completion))
        .layer(axum::middleware::from_fn(move |request, next| {
            crate::harden::security_headers(https, request, next)
        }))
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(crate::logging::request_span)
                .on_response(crate::logging::access_line()),
        )
        // The id a request is logged with, also in its answer: one a proxy set is kept.
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// The metrics address's own router: `/metrics` and nothing else.
pub fn metrics_router(scrape: Scrape) -> Router {
    Router::new()
        .route("/metrics", get(crate::metrics::open))
        .with_state(scrape)
}
