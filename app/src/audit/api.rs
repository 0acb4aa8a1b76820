use leptos::prelude::*;

use crate::error::AppError;

use super::model::AuditTrail;

/// The audit trail, newest first, a page at a time; admins only.
#[server(prefix = "/api", endpoint = "read_audit")]
pub async fn read_audit(
    person: Option<String>,
    entity: Option<String>,
    id: Option<i64>,
    before: Option<i64>,
) -> Result<AuditTrail, AppError> {
    let db = crate::state::db()?;
    super::server::trail(&db, person, entity, id, before).await
}
