use leptos::prelude::*;

use crate::error::AppError;

use super::model::{ImportProblem, PeopleAdmin, UnitsAdmin};

#[server(prefix = "/api", endpoint = "admin_people")]
pub async fn admin_people(query: Option<String>) -> Result<PeopleAdmin, AppError> {
    let db = crate::state::db()?;
    super::server::people(&db, query.unwrap_or_default()).await
}

#[server(prefix = "/api", endpoint = "admin_units")]
pub async fn admin_units() -> Result<UnitsAdmin, AppError> {
    let db = crate::state::db()?;
    super::server::units_page(&db).await
}

/// Imports units and people from CSV text; with any problem nothing is stored and
/// every problem is reported. Returns (units, people) created.
#[server(prefix = "/api", endpoint = "import_csv")]
pub async fn import_csv(
    #[server(default)] units: String,
    #[server(default)] people: String,
) -> Result<Result<(usize, usize), Vec<ImportProblem>>, AppError> {
    let db = crate::state::db()?;
    super::server::import(&db, &units, &people).await
}
