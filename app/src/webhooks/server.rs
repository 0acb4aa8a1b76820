//! Who may manage which webhooks, and the pages' data.

use cairn::access::Actor;
use cairn::ids::UnitId;
use cairn::webhooks::{EventKind, Kinds, UrlProblem, check_url, is_public};

use super::model::{DeliveryLine, WebhookLine, WebhookPage, WebhooksPage};
use crate::auth::server::signed_in;
use crate::error::AppError;
use crate::storage::webhooks::{self as store, NewWebhook, Webhook};
use crate::storage::{Db, org};

/// Whether `actor` may manage `webhook`: admins every one, leads their units'.
pub fn may_manage(actor: &Actor, webhook: &Webhook) -> bool {
    actor.admin || webhook.unit.is_some_and(|u| actor.leads.contains(&u))
}

/// The webhook, if `actor` may manage it (NotFound otherwise: others' webhooks
/// are not told apart from missing ones).
pub async fn managed(db: &Db, actor: &Actor, id: i64) -> Result<Webhook, AppError> {
    let webhook = store::get(db, id).await?;
    if may_manage(actor, &webhook) {
        Ok(webhook)
    } else {
        Err(AppError::NotFound)
    }
}

async fn line(db: &Db, webhook: &Webhook) -> Result<WebhookLine, AppError> {
    let unit = match webhook.unit {
        Some(id) => Some((id.0, org::unit(db, id).await?.name.as_str().to_string())),
        None => None,
    };
    let (queued, sent) = store::counts(db, webhook.id).await?;
    Ok(WebhookLine {
        id: webhook.id,
        url: webhook.url.clone(),
        kinds: webhook.kinds.text(),
        unit,
        active: webhook.active,
        failures: webhook.failures,
        queued,
        sent,
    })
}

pub async fn list(db: &Db) -> Result<WebhooksPage, AppError> {
    let me = signed_in()?.actor;
    let units: Vec<(i64, String)> = if me.admin {
        org::units(db)
            .await?
            .into_iter()
            .map(|u| (u.id.0, u.name.as_str().to_string()))
            .collect()
    } else {
        let mut led = Vec::new();
        for unit in &me.leads {
            led.push((
                unit.0,
                org::unit(db, *unit).await?.name.as_str().to_string(),
            ));
        }
        led
    };
    if !me.admin && units.is_empty() {
        return Err(AppError::Forbidden);
    }
    let scope: Option<Vec<UnitId>> = (!me.admin).then(|| me.leads.clone());
    let mut lines = Vec::new();
    for webhook in store::list(db, scope.as_deref()).await? {
        lines.push(line(db, &webhook).await?);
    }
    Ok(WebhooksPage {
        lines,
        units,
        whole: me.admin,
        outcome: crate::forms::take_outcome(|form| form == super::NEW_FORM).await,
    })
}

pub async fn page(db: &Db, id: i64) -> Result<WebhookPage, AppError> {
    let me = signed_in()?.actor;
    let webhook = managed(db, &me, id).await?;
    let deliveries = store::deliveries(db, id, 100)
        .await?
        .into_iter()
        .map(|d| DeliveryLine {
            id: d.id,
            event_type: d.event_type,
            created_ms: d.created_at,
            state: d.state.as_str().to_string(),
            attempts: d.attempts,
            last_ms: d.last_at,
            last_status: d.last_status,
            last_error: d.last_error,
        })
        .collect();
    Ok(WebhookPage {
        line: line(db, &webhook).await?,
        secret: webhook.secret,
        deliveries,
        outcome: crate::forms::take_outcome(|form| form == super::PAGE_FORM).await,
    })
}

/// What the subscribe form sends.
#[derive(Debug, Clone, Default)]
pub struct WebhookForm {
    pub url: String,
    /// Each ticked kind.
    pub kinds: Vec<String>,
    /// A unit's id, or empty for the whole organisation.
    pub unit: String,
}

impl WebhookForm {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> WebhookForm {
        let mut form = WebhookForm::default();
        for (field, value) in pairs {
            match field.as_str() {
                "url" => form.url = value,
                "kinds" => form.kinds.push(value),
                "unit" => form.unit = value,
                _ => {}
            }
        }
        form
    }
}

fn refused_url(problem: UrlProblem) -> AppError {
    AppError::Invalid {
        field: "url".into(),
        problem: problem.into(),
    }
}

/// Whether an address may be aimed at: when private ones are not allowed, an
/// IP in a private range, `localhost`, or a name that resolves into one is not.
async fn reachable(url: &str, allow_private: bool) -> Result<(), AppError> {
    if allow_private {
        return Ok(());
    }
    let parsed = url::Url::parse(url).map_err(|_| refused_url(UrlProblem::NotHttp))?;
    let port = parsed.port_or_known_default().unwrap_or(443);
    let private = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => !is_public(ip.into()),
        Some(url::Host::Ipv6(ip)) => !is_public(ip.into()),
        Some(url::Host::Domain(name)) if name.eq_ignore_ascii_case("localhost") => true,
        Some(url::Host::Domain(name)) => {
            let lookup = tokio::net::lookup_host((name, port));
            match tokio::time::timeout(std::time::Duration::from_secs(3), lookup).await {
                Ok(Ok(found)) => found.into_iter().any(|a| !is_public(a.ip())),
                // Not resolvable now: checked again at every delivery.
                _ => false,
            }
        }
        None => true,
    };
    if private {
        Err(refused_url(UrlProblem::Private))
    } else {
        Ok(())
    }
}

/// Subscribes a webhook from the form, as `actor`; its id.
pub async fn subscribe(
    db: &Db,
    actor: &Actor,
    settings: super::deliver::Settings,
    form: &WebhookForm,
) -> Result<i64, AppError> {
    let url = check_url(&form.url).map_err(refused_url)?;
    let mut kinds = Vec::new();
    for text in &form.kinds {
        kinds.push(EventKind::parse(text).ok_or(AppError::Invalid {
            field: "kinds".into(),
            problem: cairn::draft::FieldProblem::UnknownChoice,
        })?);
    }
    let kinds = Kinds::of(kinds).ok_or(AppError::Invalid {
        field: "kinds".into(),
        problem: cairn::draft::FieldProblem::Missing,
    })?;
    let unit = match form.unit.trim() {
        "" => None,
        text => Some(UnitId(text.parse().map_err(|_| AppError::Invalid {
            field: "unit".into(),
            problem: cairn::draft::FieldProblem::UnknownChoice,
        })?)),
    };
    let allowed = match unit {
        None => actor.admin,
        Some(u) => actor.admin || actor.leads.contains(&u),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    reachable(&url, settings.allow_private).await?;
    let id = store::create(
        db,
        Some(actor.person),
        NewWebhook {
            url,
            kinds,
            unit,
            secret: super::deliver::new_secret(),
        },
    )
    .await?;
    Ok(id)
}
