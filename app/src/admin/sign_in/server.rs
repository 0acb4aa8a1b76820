use cairn::identity::Grant;

use super::model::{ProviderOverview, RuleOverview, SignInOverview};
use crate::auth::oidc::SignInSettings;
use crate::auth::oidc::flow::base_url;
use crate::error::AppError;
use crate::storage::Db;
use crate::storage::accounts::identities;

/// The overview, with the URLs as this request reaches Cairn.
pub async fn overview(db: &Db, settings: &SignInSettings) -> Result<SignInOverview, AppError> {
    let headers = leptos::prelude::use_context::<axum::http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    let base = base_url(settings, &headers);
    let mut providers = Vec::new();
    for provider in settings.providers.all() {
        let s = &provider.settings;
        let mut rules = Vec::new();
        for rule in &s.group_map {
            let unit_found = match &rule.grant {
                Grant::Admin => true,
                Grant::Unit { name, .. } => identities::units_named(db, name).await? == 1,
            };
            rules.push(RuleOverview {
                group: rule.group.clone(),
                grant: rule.grant.clone(),
                unit_found,
            });
        }
        providers.push(ProviderOverview {
            id: s.id.clone(),
            label: s.label.clone(),
            issuer: s.issuer.clone(),
            client_id: s.client_id.clone(),
            redirect_url: format!("{base}/sign-in/oidc/{}/callback", s.id),
            signed_out_url: format!("{base}/sign-in/signed-out"),
            problem: provider.problem(),
            allowed_domains: s.allowed_domains.clone(),
            groups_claim: s.groups_claim.clone(),
            rules,
            linked: identities::linked(db, &s.id).await?,
        });
    }
    Ok(SignInOverview {
        password: settings.password,
        providers,
    })
}
