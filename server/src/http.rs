//! The HTTP surface: pages, server functions, the browser bundle, health.

use std::net::SocketAddr;

use app::auth::client::{TrustedProxies, client_address};
use app::auth::{gate, http as auth};
use app::live::server::Hub;
use app::notices::http as notices;
use app::state::AppState;
use app::storage::Db;
use app::storage::accounts::sessions::DbSessions;
use app::tokens::http as tokens;
use app::webhooks::http as webhooks;
use app::{App, shell};
use axum::Router;
use axum::extract::{Path, Request};
use axum::http::{HeaderMap, HeaderName, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, file_and_error_handler, generate_route_list};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::SessionManagerLayer;
use tower_sessions::cookie::SameSite;

use crate::health;
use crate::metrics::{Metrics, Scrape};
use crate::site::{self, Caching};

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
    /// The bundle and public files.
    pub files: site::Site,
    /// The directory they come from, when not from the executable.
    pub site_root: Option<&'a std::path::Path>,
    pub addr: SocketAddr,
    /// Whether people reach Cairn over https.
    pub https: bool,
    pub trusted_proxies: TrustedProxies,
    pub metrics: Metrics,
    pub sign_in: app::auth::oidc::SignInSettings,
    /// Where mail goes, for the admin pages; None when mail is off.
    pub mail_route: Option<String>,
    /// What writes mail, and whether any is sent.
    pub postman: app::notices::Postman,
    /// How many requests each API token may make.
    pub api_limits: app::api::Limits,
    /// How webhooks are sent, and where they may point.
    pub webhooks: app::webhooks::deliver::Settings,
    /// Days before a quarter ends that the next one is made by itself.
    pub plan_ahead_days: Option<u32>,
}

pub fn router(site: Site<'_>) -> Router {
    let Site {
        db,
        live,
        files,
        site_root,
        addr,
        https,
        trusted_proxies,
        metrics,
        sign_in,
        mail_route,
        postman,
        api_limits,
        webhooks,
        plan_ahead_days,
    } = site;
    if !files.has_bundle(BUNDLE_NAME) {
        tracing::warn!(
            "no browser bundle in the site ({}): pages render but stay static; build it with `./x build`",
            files.describe()
        );
    }
    // Leptos looks for files in its site root only after Cairn's own lookup missed:
    // for the embedded site a directory that does not exist keeps it from finding any.
    let leptos_root = site_root.map_or_else(
        || "/nonexistent/cairn-embedded-site".to_string(),
        |root| root.to_string_lossy().into_owned(),
    );
    let leptos_options = LeptosOptions::builder()
        .output_name(BUNDLE_NAME)
        .site_root(leptos_root)
        // Pages name the bundle under its content hash (see site.rs).
        .site_pkg_dir(format!("pkg/{}", files.version()))
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
    let api = app::api::router(app::api::ApiState {
        db: db.clone(),
        postman: postman.clone(),
        limits: api_limits,
    });
    let state = AppState {
        leptos_options,
        db: db.clone(),
        live,
        sign_in,
        mail_route,
        postman,
        webhooks,
        plan_ahead_days,
    };
    let routes = generate_route_list(App);

    let bundle = {
        let files = files.clone();
        move |Path(file): Path<String>, headers: HeaderMap| {
            let files = files.clone();
            async move {
                files
                    .bundle_answer(&file, &headers)
                    .unwrap_or_else(not_found)
            }
        }
    };
    let error_page = file_and_error_handler::<AppState, _>(shell);
    let fallback = move |uri: Uri, state: axum::extract::State<AppState>, request: Request| {
        let files = files.clone();
        let error_page = error_page.clone();
        async move {
            let path = uri.path().trim_start_matches('/');
            match files.answer(path, request.headers(), Caching::Revalidate) {
                Some(response) => response,
                None => error_page(uri, state, request).await,
            }
        }
    };

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
        .route("/sign-in/signed-out", get(auth::signed_out))
        .route("/sign-in/oidc/{id}", get(app::auth::oidc::flow::start))
        .route(
            "/sign-in/oidc/{id}/callback",
            get(app::auth::oidc::flow::callback),
        )
        .route("/sign-out", post(auth::sign_out).get(auth::sign_out_link))
        .route("/account/password", post(auth::change_password))
        .route("/objectives/{id}/comments", post(app::comments::http::add))
        .route("/objectives/{id}/follow", post(notices::follow))
        .route("/inbox/read", post(notices::read))
        .route("/account/notices", post(notices::settings))
        .route("/units/{id}/rhythm", post(notices::rhythm))
        .route(
            "/unsubscribe/{person}/{kind}/{signature}",
            post(notices::unsubscribe),
        )
        .route("/sign-in/forgot", post(app::auth::forgot::forgot))
        .route("/admin/people", post(app::admin::http::create_person_form))
        .route("/admin/people/{id}", post(app::admin::http::person_form))
        .route("/admin/units", post(app::admin::http::create_unit_form))
        .route("/admin/units/{id}", post(app::admin::http::unit_form))
        .route("/admin/sheets", post(app::sheets::http::upload))
        .route("/admin/sheets/draft", post(app::sheets::http::draft))
        .route(
            app::exchange::model::DOWNLOAD,
            get(app::exchange::http::download),
        )
        .route("/account/tokens", post(tokens::create_mine))
        .route("/account/tokens/{id}/revoke", post(tokens::revoke_mine))
        .route("/admin/tokens", post(tokens::create_service))
        .route("/admin/tokens/{id}/revoke", post(tokens::revoke_service))
        .route("/periods", post(app::grading::http::create))
        .route("/periods/{id}/next", post(app::grading::http::next))
        .route("/periods/{id}/close", post(app::grading::http::close))
        .route("/periods/{id}/reopen", post(app::grading::http::reopen))
        .route(
            "/periods/{id}/summary/csv",
            get(app::grading::http::summary_csv),
        )
        .route(
            "/objectives/{id}/undo-carry",
            post(app::grading::http::undo_carry),
        )
        .route("/objectives/{id}/delete", post(app::removal::http::delete))
        .route("/webhooks", post(webhooks::create))
        .route("/webhooks/{id}/test", post(webhooks::test))
        .route("/webhooks/{id}/enable", post(webhooks::enable))
        .route("/webhooks/{id}/delete", post(webhooks::delete))
        .route(
            "/webhooks/{id}/deliveries/{delivery}/redeliver",
            post(webhooks::redeliver),
        )
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .route("/pkg/{*file}", get(bundle))
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            gate::gate,
        ))
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
        .route("/readyz", get(health::readyz).with_state(db))
        .route(
            app::storage::exchange::json_schema::PATH,
            get(crate::exchange::schema),
        );
    if metrics.token_protected() {
        ops = ops.route(
            "/metrics",
            get(crate::metrics::behind_token).with_state(scrape),
        );
    }
    let request_id = HeaderName::from_static(REQUEST_ID);
    // The API answers tokens, not sessions: it is apart from the pages' gate.
    ops.merge(api)
        .merge(app.with_state(state))
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

/// A missing bundle file: a plain 404, never kept by caches.
fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        "no such file\n",
    )
        .into_response()
}

/// The metrics address's own router: `/metrics` and nothing else.
pub fn metrics_router(scrape: Scrape) -> Router {
    Router::new()
        .route("/metrics", get(crate::metrics::open))
        .with_state(scrape)
}
