use leptos::prelude::*;

use crate::error::AppError;

use super::model::PersonPage;

#[server(prefix = "/api", endpoint = "person_page")]
pub async fn get_person_page(person: i64, period: Option<i64>) -> Result<PersonPage, AppError> {
    let db = crate::state::db()?;
    super::server::person_page(&db, person, period).await
}
