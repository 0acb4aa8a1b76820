use leptos::prelude::*;

use cairn::identity::Grant;

use super::api::admin_sign_in;
use super::model::{ProviderOverview, SignInOverview};
use crate::i18n::*;

#[component]
pub fn AdminSignInPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_sign_in());
    crate::layout::loaded(data, |page| view! { <Overview page /> })
}

#[component]
fn Overview(page: SignInOverview) -> impl IntoView {
    let i18n = use_i18n();
    let none = page.providers.is_empty();
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, admin_eyebrow)}</p>
                <h1>{t!(i18n, admin_sign_in_title)}</h1>
                <p class="lead">{t!(i18n, admin_sign_in_lead)}</p>
            </div>
        </section>
        <p class="notice" id="password-sign-in">
            {if page.password {
                t!(i18n, admin_passwords_on).into_any()
            } else {
                t!(i18n, admin_passwords_off).into_any()
            }}
        </p>
        {none.then(|| view! { <p class="empty">{t!(i18n, admin_no_providers)}</p> })}
        {page.providers.into_iter().map(|p| view! { <Provider p /> }).collect_view()}
    }
}

#[component]
fn Provider(p: ProviderOverview) -> impl IntoView {
    let i18n = use_i18n();
    let claim = p.groups_claim.clone();
    let state = match &p.problem {
        None => t_string!(i18n, admin_provider_reachable).to_string(),
        Some(why) => t_string!(i18n, admin_provider_unreachable, why = why.as_str()).to_string(),
    };
    let reachable = p.problem.is_none();
    let domains = if p.allowed_domains.is_empty() {
        t_string!(i18n, admin_no_domains).to_string()
    } else {
        p.allowed_domains.join(", ")
    };
    let no_rules = p.rules.is_empty();
    let rules = p
        .rules
        .into_iter()
        .map(|rule| {
            let grant = match &rule.grant {
                Grant::Admin => t_string!(i18n, admin_rule_admin).to_string(),
                Grant::Unit { name, role } => {
                    let role = crate::units::role_name(i18n, *role);
                    t_string!(i18n, admin_rule_unit, role = role.as_str(), unit = name.as_str())
                        .to_string()
                }
            };
            let missing = (!rule.unit_found)
                .then(|| view! { <span class="tag at-risk">{t!(i18n, admin_rule_unknown_unit)}</span> });
            view! { <tr><th scope="row"><code>{rule.group}</code></th><td>{grant} " " {missing}</td></tr> }
        })
        .collect_view();
    view! {
        <section class="panel sign-in-provider" id=format!("provider-{}", p.id)>
            <h2>{p.label}</h2>
            <p class=if reachable { "notice" } else { "form-error" } role="status">{state}</p>
            <dl class="facts">
                <dt>{t!(i18n, admin_issuer)}</dt><dd><code>{p.issuer}</code></dd>
                <dt>{t!(i18n, admin_client_id)}</dt><dd><code>{p.client_id}</code></dd>
                <dt>{t!(i18n, admin_redirect_url)}</dt><dd><code>{p.redirect_url}</code></dd>
                <dt>{t!(i18n, admin_signed_out_url)}</dt><dd><code>{p.signed_out_url}</code></dd>
                <dt>{t!(i18n, admin_allowed_domains)}</dt><dd>{domains}</dd>
                <dt>{t!(i18n, admin_linked)}</dt><dd>{p.linked}</dd>
            </dl>
            <h3>{t!(i18n, admin_group_map, claim = move || claim.clone())}</h3>
            {if no_rules {
                view! { <p class="empty">{t!(i18n, admin_no_group_map)}</p> }.into_any()
            } else {
                view! {
                    <table class="group-map">
                        <thead><tr><th scope="col">{t!(i18n, admin_group)}</th><th scope="col">{t!(i18n, admin_grants)}</th></tr></thead>
                        <tbody>{rules}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
