use leptos::prelude::*;

use crate::error::AppError;

use super::model::AccountInfo;

#[server(prefix = "/api", endpoint = "my_account")]
pub async fn my_account() -> Result<AccountInfo, AppError> {
    let me = super::server::signed_in()?;
    let db = crate::state::db()?;
    let hash = crate::storage::accounts::password_hash(&db, me.actor.person).await?;
    let session = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<tower_sessions::Session>().cloned());
    let by_link = match &session {
        Some(session) => super::http::fresh_from_link(&db, session).await,
        None => false,
    };
    Ok(AccountInfo {
        name: me.name,
        email: me.email,
        admin: me.actor.admin,
        has_password: hash.is_some(),
        current_needed: hash.is_some() && !by_link,
        password_sign_in: crate::state::sign_in().password,
        sign_out_link: super::oidc::flow::ProviderSession::of_request()
            .await
            .map(|p| format!("/sign-out?token={}", p.sign_out_token)),
        // Taken here for every form on the page: the page's sections render
        // inside this one and are handed theirs.
        outcome: crate::forms::take_outcome(|form| {
            [
                super::http::PASSWORD_FORM,
                crate::notices::SETTINGS_FORM_ID,
                crate::tokens::FORM,
            ]
            .contains(&form)
        })
        .await,
    })
}
