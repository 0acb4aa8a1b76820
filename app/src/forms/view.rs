//! What a form's page shows of its last post: the outcome beside the form, and
//! what was typed before a refusal.

use leptos::prelude::*;

use crate::i18n::*;

/// What the last form sent from a page did, shown beside that form: saved, a
/// new sign-in link (shown once, never in an address), or why it was refused.
pub fn outcome_view(outcome: Option<crate::forms::Outcome>, form: String) -> AnyView {
    use crate::forms::Done;
    let i18n = use_i18n();
    let Some(outcome) = crate::forms::Outcome::of(&outcome, &form) else {
        return ().into_any();
    };
    match outcome.result {
        Ok(Done::Saved) => {
            view! { <p class="notice" role="status">{t!(i18n, admin_saved)}</p> }.into_any()
        }
        Ok(Done::NewLink { who, token, mailed }) => {
            let path = format!("/sign-in/link/{token}");
            let mailed_to = who.clone();
            view! {
                <p class="notice" role="status" id="new-link">
                    {t!(i18n, admin_link_for, who = who)} " "
                    <a href=path.clone() rel="external">{path.clone()}</a>
                    {mailed.then(|| view! { " " <span id="link-mailed">{t!(i18n, admin_link_mailed, who = mailed_to.clone())}</span> })}
                </p>
            }
            .into_any()
        }
        Ok(Done::NewToken { name, secret }) => view! {
            <div class="notice new-token" role="status" id="new-token">
                <p>{t!(i18n, tokens_made, name = name)}</p>
                <p><code id="new-token-secret">{secret}</code></p>
                <p class="hint">{t!(i18n, tokens_shown_once)}</p>
            </div>
        }
        .into_any(),
        Err(refused) => {
            #[cfg(feature = "ssr")]
            let message = crate::error::ProblemWords::here()
                .refusal(t_string!(i18n, nothing_changed), &refused.error);
            #[cfg(not(feature = "ssr"))]
            let message = {
                let _ = refused;
                String::new()
            };
            view! { <p class="form-error" role="alert">{message}</p> }.into_any()
        }
    }
}

/// What was typed into `field` of `form` before its refusal, else `fallback`.
pub fn typed_or(
    outcome: &Option<crate::forms::Outcome>,
    form: &str,
    field: &str,
    fallback: &str,
) -> String {
    crate::forms::Outcome::of(outcome, form)
        .and_then(|o| o.typed(field))
        .unwrap_or_else(|| fallback.to_string())
}
