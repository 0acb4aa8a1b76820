//! `/healthz`: the process is alive. `/readyz`: it can serve, the database
//! answers and its schema is this release's. A load balancer routes by the second.

use app::storage::Db;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

#[derive(Serialize)]
pub struct Health {
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<Schema>,
    version: &'static str,
    commit: &'static str,
}

#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Status {
    Ok,
    Unavailable,
}

/// The schema as a load balancer (or an operator) needs to know it.
#[derive(Serialize)]
struct Schema {
    current: bool,
    /// Migrations this release would still apply.
    pending: usize,
    /// Migrations the database has that this release does not know.
    unknown: usize,
}

impl Health {
    fn new(status: Status) -> Self {
        Health {
            status,
            database: None,
            schema: None,
            version: env!("CARGO_PKG_VERSION"),
            commit: crate::cli::COMMIT,
        }
    }
}

/// Liveness: answers while the process does.
pub async fn healthz() -> Json<Health> {
    Json(Health::new(Status::Ok))
}

/// Readiness: 200 when the database answers and its schema is current, 503 when not.
pub async fn readyz(State(db): State<Db>) -> (StatusCode, Json<Health>) {
    // Reading the schema's version is the database round trip.
    match db.schema_status().await {
        Ok(schema) => {
            let current = schema.is_current();
            let status = if current {
                Status::Ok
            } else {
                Status::Unavailable
            };
            let mut health = Health::new(status);
            health.database = Some(Status::Ok);
            health.schema = Some(Schema {
                current,
                pending: schema.pending.len(),
                unknown: schema.unknown.len(),
            });
            let code = if current {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            (code, Json(health))
        }
        Err(error) => {
            tracing::error!(%error, "readiness: database unavailable");
            let mut health = Health::new(Status::Unavailable);
            health.database = Some(Status::Unavailable);
            (StatusCode::SERVICE_UNAVAILABLE, Json(health))
        }
    }
}
