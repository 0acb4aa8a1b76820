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
    pub units: Vec<(i64, String, String)>,
}

/// A unit in the admin tree: id, name, kind, active, depth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminUnit {
    pub id: i64,
    pub parent: Option<i64>,
    pub name: String,
    pub kind: String,
    pub active: bool,
    pub depth: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeopleAdmin {
    pub people: Vec<AdminPerson>,
    pub units: Vec<AdminUnit>,
    pub query: String,
    /// A sign-in link just made: whose, and its token (shown once).
    pub new_link: Option<(String, String)>,
}

#[server(prefix = "/api", endpoint = "admin_people")]
pub async fn admin_people(query: Option<String>) -> Result<PeopleAdmin, AppError> {
    let db = crate::state::db()?;
    super::server::people(&db, query.unwrap_or_default()).await
}

#[server(prefix = "/api", endpoint = "admin_units")]
pub async fn admin_units() -> Result<Vec<AdminUnit>, AppError> {
    let db = crate::state::db()?;
    super::server::units(&db).await
}

/// One row's problem in a CSV import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// "units" or "people".
    pub file: String,
    /// The row in that file, counting the header as row 1.
    pub row: usize,
    pub code: String,
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
