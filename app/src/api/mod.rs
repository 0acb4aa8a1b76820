//! `/api/v1`: the public REST API, for scripts and other tools. Stable and
//! versioned, apart from the server functions (whose shape follows the UI); it
//! shares the storage, the domain and the access checks below them.
//!
//! Every route is registered with its OpenAPI description as it is routed, so
//! the document served at `/api/v1/openapi.json` and the reference page at
//! `/api/v1/docs` list exactly the routes that exist.

mod caller;
mod check_ins;
mod docs;
mod objectives;
mod org;
mod paging;
mod problem;
mod records;
mod versions;
pub mod wire;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::routing::{any, get};
pub use caller::Limits;
pub use problem::{KINDS, Problem};
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::notices::Postman;
use crate::storage::Db;

/// The largest request body the API reads (its JSON is small).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What the API's handlers reach.
#[derive(Clone, FromRef)]
pub struct ApiState {
    pub db: Db,
    pub postman: Postman,
    pub limits: Limits,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cairn API",
        version = "1",
        description = "Read the organisation's OKRs, check in on key results and keep objectives up to date from scripts and other tools. Send a token as `Authorization: Bearer cairn_…`; make one on your account page."
    ),
    modifiers(&Security),
    tags(
        (name = "organisation", description = "Units, people and periods"),
        (name = "objectives", description = "Objectives with their key results, alignment and comments"),
        (name = "key results", description = "Key results and their check-ins"),
        (name = "grading", description = "Grades at a period's end"),
        (name = "audit", description = "Who changed what (admins)"),
    )
)]
struct Description;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        // The package declares no licence: none is claimed (an empty one is invalid).
        if openapi
            .info
            .license
            .as_ref()
            .is_some_and(|l| l.name.is_empty())
        {
            openapi.info.license = None;
        }
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.description = Some(
            "A personal or service token (`cairn_…`); its scopes are read, check-in, write and admin."
                .into(),
        );
        components.add_security_scheme("token", SecurityScheme::Http(bearer));
    }
}

/// The API's routes with their description.
fn described() -> (Router<ApiState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(Description::openapi())
        .routes(routes!(org::me))
        .routes(routes!(org::units))
        .routes(routes!(org::unit_by_id))
        .routes(routes!(org::people))
        .routes(routes!(org::person_by_id))
        .routes(routes!(org::periods_list))
        .routes(routes!(org::period_by_id))
        .routes(routes!(objectives::list, objectives::create))
        .routes(routes!(objectives::get_one, objectives::change))
        .routes(routes!(objectives::align))
        .routes(routes!(records::comments_list, records::comment_create))
        .routes(routes!(records::grades, records::grade))
        .routes(routes!(check_ins::key_result))
        .routes(routes!(check_ins::list, check_ins::create))
        .routes(routes!(check_ins::correct, check_ins::delete))
        .routes(routes!(records::audit_list))
        .split_for_parts()
}

/// The OpenAPI description of every route.
pub fn description() -> utoipa::openapi::OpenApi {
    described().1
}

/// `/api/v1`: its routes behind the token check, and its description and
/// reference page open to all.
pub fn router(state: ApiState) -> Router {
    let (routes, description) = described();
    let description = Arc::new(description);
    let gate = caller::Gate::from_ref(&state);
    let routes = routes
        .layer(axum::middleware::from_fn_with_state(
            gate,
            caller::authenticate,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state);
    let page = Arc::new(docs::page(&description));
    Router::new()
        .route(
            "/api/v1/openapi.json",
            get({
                let description = description.clone();
                move || docs::json(description.clone())
            }),
        )
        .route("/api/v1/docs", get(move || docs::html(page.clone())))
        .merge(routes)
        .method_not_allowed_fallback(docs::not_allowed)
        .route("/api/v1", any(docs::nothing_here))
        .route("/api/v1/", any(docs::nothing_here))
        .route("/api/v1/{*rest}", any(docs::nothing_here))
}
