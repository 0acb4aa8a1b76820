use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminPerson {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub active: bool,
    pub admin: bool,
    pub has_password: bool,
    /// (unit id, unit name, role)
    pub units: Vec<(i64, String, cairn::model::Role)>,
    /// What the forms on this person were made on.
    pub version: i64,
}

/// A unit in the admin tree, with its depth there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminUnit {
    pub id: i64,
    pub parent: Option<i64>,
    pub name: String,
    pub kind: cairn::model::UnitKind,
    pub active: bool,
    pub depth: usize,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeopleAdmin {
    pub people: Vec<AdminPerson>,
    pub units: Vec<AdminUnit>,
    pub query: String,
    /// What the last form sent from this page did (shown once).
    pub outcome: Option<crate::forms::Outcome>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitsAdmin {
    pub units: Vec<AdminUnit>,
    pub outcome: Option<crate::forms::Outcome>,
}

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

/// One row's problem in a CSV import.
pub use cairn::import::RowProblem as ImportProblem;

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
