//! The token section of the account page, and `/admin/tokens`.

use leptos::prelude::*;

use super::api::api_tokens;
use super::model::{TokenLine, Tokens};
use crate::forms::{outcome_view, typed_or};
use crate::i18n::*;

/// The account page's section: my API tokens. `outcome`: the page's last form
/// outcome, taken by the page for its sections.
#[component]
pub fn TokenSettings(outcome: Option<crate::forms::Outcome>) -> impl IntoView {
    let data = Resource::new(
        || (),
        move |_| {
            let outcome = outcome.clone();
            async move {
                api_tokens(false).await.map(|mut tokens| {
                    tokens.outcome = tokens.outcome.or(outcome);
                    tokens
                })
            }
        },
    );
    crate::layout::loaded(data, |tokens| {
        view! {
            <section class="auth-card token-settings" id="tokens">
                <TokenList tokens service=false />
            </section>
        }
    })
}

/// `/admin/tokens`: service tokens, which work with an admin's rights.
#[component]
pub fn AdminTokensPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| api_tokens(true));
    crate::layout::loaded(data, |tokens| {
        let i18n = use_i18n();
        view! {
            <section class="page-head">
                <div>
                    <p class="eyebrow">{t!(i18n, admin_eyebrow)}</p>
                    <h1>{t!(i18n, tokens_service_title)}</h1>
                    <p class="lead">{t!(i18n, tokens_service_lead)}</p>
                </div>
            </section>
            <section class="token-settings" id="tokens">
                <TokenList tokens service=true />
            </section>
        }
    })
}

fn moment(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

#[component]
fn TokenList(tokens: Tokens, service: bool) -> impl IntoView {
    let i18n = use_i18n();
    let form = super::FORM;
    let outcome = tokens.outcome.clone();
    let action = if service {
        "/admin/tokens"
    } else {
        "/account/tokens"
    };
    let typed_scopes = typed_or(&outcome, form, "scopes", "read");
    let scope_boxes = cairn::api::Scope::ALL
        .iter()
        .map(|scope| {
            let value = scope.as_str();
            let id = format!("token-scope-{value}");
            let label_for = id.clone();
            let checked = typed_scopes.split(' ').any(|s| s == value);
            view! {
                <label class="token-scope" for=label_for>
                    <input type="checkbox" id=id name="scopes" value=value checked=checked />
                    " " <code>{value}</code> " " {scope_words(i18n, *scope)}
                </label>
            }
        })
        .collect_view();
    let empty = tokens.lines.is_empty();
    let rows = tokens
        .lines
        .into_iter()
        .map(|line| row(i18n, line, action))
        .collect_view();
    view! {
        {(!service).then(|| view! {
            <h2>{t!(i18n, tokens_title)}</h2>
            <p class="hint">{t!(i18n, tokens_lead)} " " <a href="/api/v1/docs" rel="external">{t!(i18n, tokens_reference)}</a></p>
        })}
        {service.then(|| view! {
            <p class="hint"><a href="/api/v1/docs" rel="external">{t!(i18n, tokens_reference)}</a></p>
        })}
        {outcome_view(outcome.clone(), form.to_string())}
        <form class="auth-form token-form" method="post" action=action id=form>
            <label for="token-name">{t!(i18n, tokens_name)}</label>
            <input id="token-name" name="name" required maxlength="120"
                value=typed_or(&outcome, form, "name", "") />
            <fieldset class="token-scopes">
                <legend>{t!(i18n, tokens_scopes)}</legend>
                {scope_boxes}
            </fieldset>
            <label for="token-days">{t!(i18n, tokens_days)}</label>
            <input id="token-days" name="days" inputmode="numeric" maxlength="4"
                value=typed_or(&outcome, form, "days", "90") aria-describedby="token-days-hint" />
            <p class="hint" id="token-days-hint">{t!(i18n, tokens_days_hint)}</p>
            <button type="submit" class="primary">{t!(i18n, tokens_make)}</button>
        </form>
        {if empty {
            view! { <p class="empty" id="no-tokens">{t!(i18n, tokens_none)}</p> }.into_any()
        } else {
            view! {
                <table class="tokens">
                    <thead><tr>
                        <th scope="col">{t!(i18n, tokens_name)}</th>
                        <th scope="col">{t!(i18n, tokens_scopes)}</th>
                        <th scope="col">{t!(i18n, tokens_made_at)}</th>
                        <th scope="col">{t!(i18n, tokens_expires)}</th>
                        <th scope="col">{t!(i18n, tokens_last_used)}</th>
                        <th scope="col"></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any()
        }}
    }
}

fn scope_words(i18n: leptos_i18n::I18nContext<Locale>, scope: cairn::api::Scope) -> String {
    use cairn::api::Scope;
    match scope {
        Scope::Read => t_string!(i18n, tokens_scope_read).to_string(),
        Scope::CheckIn => t_string!(i18n, tokens_scope_check_in).to_string(),
        Scope::Write => t_string!(i18n, tokens_scope_write).to_string(),
        Scope::Admin => t_string!(i18n, tokens_scope_admin).to_string(),
    }
}

fn row(i18n: leptos_i18n::I18nContext<Locale>, line: TokenLine, action: &str) -> impl IntoView {
    let state = if line.revoked {
        Some(t_string!(i18n, tokens_revoked).to_string())
    } else if line.expired {
        Some(t_string!(i18n, tokens_expired).to_string())
    } else {
        None
    };
    let never = t_string!(i18n, tokens_never).to_string();
    let revoke = format!("{action}/{}/revoke", line.id);
    let live = state.is_none();
    view! {
        <tr id=format!("token-{}", line.id) class:token-gone=!live>
            <td>{line.name} <br /> <code class="hint">{line.prefix}</code></td>
            <td><code>{line.scopes}</code></td>
            <td>{moment(line.created_ms)}</td>
            <td>{line.expires_ms.map(moment).unwrap_or_else(|| never.clone())}</td>
            <td>{line.last_used_ms.map(moment).unwrap_or_else(|| never.clone())}</td>
            <td>{match state {
                Some(state) => view! { <span class="tag">{state}</span> }.into_any(),
                None => view! {
                    <form method="post" action=revoke>
                        <button type="submit" class="danger">{t!(i18n, tokens_revoke)}</button>
                    </form>
                }.into_any(),
            }}</td>
        </tr>
    }
}
