use leptos::prelude::*;

use crate::error::AppError;

use super::model::SignInOverview;

#[server(prefix = "/api", endpoint = "admin_sign_in")]
pub async fn admin_sign_in() -> Result<SignInOverview, AppError> {
    crate::auth::server::admin()?;
    let db = crate::state::db()?;
    super::server::overview(&db, &crate::state::sign_in()).await
}
