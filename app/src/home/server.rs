//! Server-side work behind the front page.

use super::Overview;
use crate::error::AppError;
use crate::storage::{Db, instance};

pub async fn overview(db: &Db) -> Result<Overview, AppError> {
    let instance = instance::get(db).await?;
    let schema_version = instance::schema_version(db).await?;
    Ok(Overview {
        organisation: instance.name,
        since: instance.created_at,
        schema_version,
        database: db.engine().to_string(),
    })
}
