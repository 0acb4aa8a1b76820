//! What the export page offers: admins only.

use super::model::{ExportChoices, ExportPeriod};
use crate::error::AppError;
use crate::storage::{Db, periods};

pub async fn choices(db: &Db) -> Result<ExportChoices, AppError> {
    // `units` answers admins only.
    let units = crate::admin::server::units(db).await?;
    let current = periods::current(db, db.clock().today())
        .await?
        .map(|p| p.id.0);
    let periods = periods::periods(db)
        .await?
        .into_iter()
        .map(|p| ExportPeriod {
            id: p.id.0,
            name: p.name,
        })
        .collect();
    Ok(ExportChoices {
        units,
        periods,
        current,
    })
}
