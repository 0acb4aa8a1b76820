//! The sign-in, sign-in link and account pages: plain forms, read and answered by
//! the server (see `http`), so they work before and without the wasm.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::i18n::*;

/// `/sign-in`: a button per identity provider, and email and password (unless
/// switched off). The address carries what the last attempt said.
#[component]
pub fn SignInPage() -> impl IntoView {
    use super::notice::SignInNotice;
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let notice = query.with_untracked(|q| SignInNotice::read(|key| q.get(key)));
    let signed_out = notice == Some(SignInNotice::SignedOut);
    let (providers, password) = choices();
    let via = get("via");
    let via_label = providers
        .iter()
        .find(|p| p.id == via)
        .map_or_else(|| via.clone(), |p| p.label.clone());
    let message = notice.and_then(|notice| match notice {
        SignInNotice::Wrong => Some(t_string!(i18n, sign_in_wrong).to_string()),
        SignInNotice::TooMany { minutes } => {
            Some(t_string!(i18n, sign_in_too_many, minutes = minutes.to_string()).to_string())
        }
        SignInNotice::LinkInvalid => Some(t_string!(i18n, sign_in_link_invalid).to_string()),
        SignInNotice::PasswordOff => Some(t_string!(i18n, sign_in_password_off).to_string()),
        SignInNotice::Sso(why) => Some(sso_message(i18n, why, &via_label)),
        SignInNotice::SignedOut => None,
    });
    let next = get("next");
    let email = remembered_email();
    let start = |id: &str| {
        if next.is_empty() {
            format!("/sign-in/oidc/{id}")
        } else {
            format!("/sign-in/oidc/{id}?next={}", super::notice::encode(&next))
        }
    };
    let buttons = providers
        .iter()
        .map(|p| {
            let label = t_string!(i18n, sign_in_with, provider = p.label.as_str()).to_string();
            let down =
                t_string!(i18n, sign_in_provider_down, provider = p.label.as_str()).to_string();
            view! {
                <li>
                    <a class="button primary sso-button" rel="external" href=start(&p.id)>{label}</a>
                    {(!p.reachable).then(|| view! { <p class="hint">{down}</p> })}
                </li>
            }
        })
        .collect_view();
    let has_providers = !providers.is_empty();
    view! {
        <section class="auth-card">
            <h1>{t!(i18n, sign_in_title)}</h1>
            <p class="lead">{t!(i18n, sign_in_lead)}</p>
            {signed_out.then(|| view! { <p class="notice" role="status">{t!(i18n, signed_out_notice)}</p> })}
            {message.map(|m| view! { <p class="form-error" role="alert" id="sign-in-error">{m}</p> })}
            {has_providers.then(|| view! { <ul class="sso-buttons">{buttons}</ul> })}
            {password.then(|| view! {
                {has_providers.then(|| view! { <h2 class="sign-in-or">{t!(i18n, sign_in_or_email)}</h2> })}
                <form class="auth-form" method="post" action="/sign-in">
                    <input type="hidden" name="next" value=next.clone() />
                    <label for="sign-in-email">{t!(i18n, email_label)}</label>
                    <input id="sign-in-email" name="email" type="email" autocomplete="username" required
                        maxlength="254" value=email autofocus=!has_providers />
                    <label for="sign-in-password">{t!(i18n, password_label)}</label>
                    <input id="sign-in-password" name="password" type="password"
                        autocomplete="current-password" required maxlength="256" />
                    <button type="submit" class="primary">{t!(i18n, sign_in_button)}</button>
                </form>
                {if mail_on() {
                    view! { <p class="hint"><a href="/sign-in/forgot" id="forgot-link">{t!(i18n, sign_in_forgot)}</a></p> }.into_any()
                } else {
                    view! { <p class="hint">{t!(i18n, sign_in_no_password)}</p> }.into_any()
                }}
            })}
        </section>
    }
}

/// Whether this installation sends mail (links can then be asked for by mail).
fn mail_on() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::state::postman().mail_on()
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// `/sign-in/forgot`: a sign-in link by mail. The answer is the same whether
/// or not the address belongs to anyone here.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |key: &str| query.with_untracked(|q| q.get(key));
    let sent = get("sent").is_some();
    let wait = get("wait").and_then(|w| w.parse::<i64>().ok());
    let off = get("off").is_some() || !mail_on();
    let message = if off {
        Some(view! { <p class="form-error" role="alert" id="forgot-off">{t!(i18n, forgot_mail_off)}</p> }.into_any())
    } else if let Some(minutes) = wait {
        Some(view! { <p class="form-error" role="alert" id="forgot-wait">{t!(i18n, forgot_too_many, minutes = minutes)}</p> }.into_any())
    } else if sent {
        Some(
            view! { <p class="notice" role="status" id="forgot-sent">{t!(i18n, forgot_sent)}</p> }
                .into_any(),
        )
    } else {
        None
    };
    view! {
        <section class="auth-card">
            <h1>{t!(i18n, forgot_title)}</h1>
            <p class="lead">{t!(i18n, forgot_lead)}</p>
            {message}
            {(!off).then(|| view! {
                <form class="auth-form" method="post" action="/sign-in/forgot">
                    <label for="forgot-email">{t!(i18n, email_label)}</label>
                    <input id="forgot-email" name="email" type="email" autocomplete="username" required
                        maxlength="254" autofocus=true />
                    <button type="submit" class="primary">{t!(i18n, forgot_button)}</button>
                </form>
            })}
            <p class="hint"><a href="/sign-in">{t!(i18n, forgot_back)}</a></p>
        </section>
    }
}

/// A provider's button on the sign-in page.
struct Choice {
    id: String,
    label: String,
    /// False while the provider cannot be reached.
    reachable: bool,
}

/// The providers to offer, and whether the password form is on.
fn choices() -> (Vec<Choice>, bool) {
    #[cfg(feature = "ssr")]
    {
        let settings = crate::state::sign_in();
        let providers = settings
            .providers
            .all()
            .iter()
            .map(|p| Choice {
                id: p.settings.id.clone(),
                label: p.settings.label.clone(),
                reachable: p.problem().is_none(),
            })
            .collect();
        (providers, settings.password)
    }
    #[cfg(not(feature = "ssr"))]
    {
        (Vec::new(), true)
    }
}

/// Why signing in through `provider` was refused, in one sentence.
fn sso_message(
    i18n: leptos_i18n::I18nContext<Locale>,
    why: super::notice::SsoRefusal,
    provider: &str,
) -> String {
    use super::notice::SsoRefusal as R;
    let p = provider;
    match why {
        R::UnknownProvider => t_string!(i18n, sso_unknown_provider, provider = p).to_string(),
        R::Unavailable => t_string!(i18n, sso_unavailable, provider = p).to_string(),
        R::NotStarted => t_string!(i18n, sso_not_started).to_string(),
        R::StateMismatch => t_string!(i18n, sso_state, provider = p).to_string(),
        R::ProviderError => t_string!(i18n, sso_provider_error, provider = p).to_string(),
        R::CodeRefused => t_string!(i18n, sso_code, provider = p).to_string(),
        R::WrongIssuer => t_string!(i18n, sso_issuer, provider = p).to_string(),
        R::WrongAudience => t_string!(i18n, sso_audience, provider = p).to_string(),
        R::TokenExpired => t_string!(i18n, sso_expired, provider = p).to_string(),
        R::TokenInvalid => t_string!(i18n, sso_token, provider = p).to_string(),
        R::NoEmail => t_string!(i18n, sso_no_email, provider = p).to_string(),
        R::Unverified => t_string!(i18n, sso_unverified, provider = p).to_string(),
        R::DomainNotAllowed => t_string!(i18n, sso_domain).to_string(),
        R::NotInvited => t_string!(i18n, sso_not_invited).to_string(),
        R::LinkedElsewhere => t_string!(i18n, sso_linked_elsewhere, provider = p).to_string(),
        R::Deactivated => t_string!(i18n, sso_deactivated).to_string(),
        R::SessionEnded => t_string!(i18n, sso_session_ended, provider = p).to_string(),
    }
}

/// The email address of the last refused attempt (kept in a cookie of the sign-in
/// page's own, never in the address).
fn remembered_email() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| super::http::remembered_email(&parts.headers))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// Why a new password was not taken, with the password rule where it applies.
fn password_refusal(
    i18n: leptos_i18n::I18nContext<Locale>,
    error: &crate::error::AppError,
) -> String {
    #[cfg(feature = "ssr")]
    {
        let words = crate::error::ProblemWords::new(i18n);
        let why = words.refusal(t_string!(i18n, nothing_changed), error);
        match error {
            crate::error::AppError::Invalid { field, .. } if field == "new" => {
                format!("{why} {}", t_string!(i18n, password_rule))
            }
            _ => why,
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (i18n, error);
        String::new()
    }
}

/// `/sign-in/link/<token>`: one button that uses the link (a POST, so link
/// previews and prefetchers do not use it up).
#[component]
pub fn SignInLinkPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    view! {
        <section class="auth-card">
            <h1>{t!(i18n, link_title)}</h1>
            <p class="lead">{t!(i18n, link_lead)}</p>
            <form class="auth-form" method="post" action="/sign-in/link">
                <input type="hidden" name="token" value=token />
                <button type="submit" class="primary">{t!(i18n, link_button)}</button>
            </form>
        </section>
    }
}

/// `/account`: who I am, change my password, sign out.
#[component]
pub fn AccountPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| super::my_account());
    crate::layout::loaded(data, account)
}

fn account(info: super::AccountInfo) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let welcome = query.with_untracked(|q| q.get("welcome")).as_deref() == Some("1");
    let sections = info.outcome.clone();
    let password = info.outcome.filter(|o| o.form == super::PASSWORD_FORM_ID);
    let done = password.as_ref().is_some_and(|o| o.result.is_ok());
    let message = password
        .as_ref()
        .and_then(|o| o.result.as_ref().err())
        .map(|refused| password_refusal(i18n, &refused.error));
    let has_password = info.has_password;
    let current_needed = info.current_needed;
    let name = info.name.clone();
    view! {
        <section class="auth-card">
            <h1>{t!(i18n, account_title)}</h1>
            <p class="lead">{t!(i18n, account_signed_in_as, name = move || name.clone())}</p>
            <p class="account-email">{info.email}</p>
            {welcome.then(|| view! { <p class="notice" role="status">{t!(i18n, account_welcome)}</p> })}
            {done.then(|| view! { <p class="notice" role="status" id="password-done">{t!(i18n, password_changed)}</p> })}
            {info.password_sign_in.then(|| view! {
                <h2>
                    {if has_password {
                        t!(i18n, password_change_title).into_any()
                    } else {
                        t!(i18n, password_set_title).into_any()
                    }}
                </h2>
                {message.map(|m| view! { <p class="form-error" role="alert" id="password-error">{m}</p> })}
                <form class="auth-form" method="post" action="/account/password" id="password">
                    {current_needed.then(|| view! {
                        <label for="password-current">{t!(i18n, password_current)}</label>
                        <input id="password-current" name="current" type="password"
                            autocomplete="current-password" required maxlength="256" />
                    })}
                    <label for="password-new">{t!(i18n, password_new)}</label>
                    <input id="password-new" name="new" type="password" autocomplete="new-password" required
                        minlength="10" maxlength="256" aria-describedby="password-rule" />
                    <p class="hint" id="password-rule">{t!(i18n, password_rule)}</p>
                    <label for="password-confirm">{t!(i18n, password_confirm)}</label>
                    <input id="password-confirm" name="confirm" type="password" autocomplete="new-password"
                        required maxlength="256" />
                    <button type="submit" class="primary">{t!(i18n, password_save)}</button>
                </form>
            })}
            <p class="hint"><a href="/inbox">{t!(i18n, account_inbox_link)}</a></p>
            {match info.sign_out_link {
                Some(link) => view! {
                    <p class="sign-out-form">
                        <a class="button" rel="external" href=link>{t!(i18n, sign_out)}</a>
                    </p>
                }.into_any(),
                None => view! {
                    <form class="auth-form sign-out-form" method="post" action="/sign-out">
                        <button type="submit">{t!(i18n, sign_out)}</button>
                    </form>
                }.into_any(),
            }}
        </section>
        <crate::notices::NoticeSettings outcome=sections.clone() />
        <crate::tokens::TokenSettings outcome=sections />
    }
}
