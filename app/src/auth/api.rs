use leptos::prelude::*;

use crate::error::AppError;

use super::model::AccountInfo;

#[server(prefix = "/api", endpoint = "my_account")]
pub async fn my_account() -> Result<AccountInfo, AppError> {
    let me = super::server::signed_in()?;
    let db = crate::state::db()?;
    let hash = crate::storage::accounts::password_hash(&db, me.actor.person).await?;
    Ok(AccountInfo {
        name: me.name,
        email: me.email,
        admin: me.actor.admin,
        has_password: hash.is_some(),
        password_sign_in: crate::state::sign_in().password,
        sign_out_link: super::oidc::flow::ProviderSession::of_request()
            .await
            .map(|p| format!("/sign-out?token={}", p.sign_out_token)),
        outcome: crate::forms::take_outcome(|form| form == super::http::PASSWORD_FORM).await,
    })
}
