//! `/webhooks` and `/webhooks/<id>`.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{webhook, webhooks};
use super::model::{DeliveryLine, WebhookLine, WebhookPage, WebhooksPage};
use crate::forms::{outcome_view, typed_or};
use crate::i18n::*;

fn moment(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_default()
}

#[component]
pub fn WebhooksListPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| webhooks());
    crate::layout::loaded(data, |page| view! { <List page /> })
}

#[component]
pub fn WebhookDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let data = Resource::new(move || id, |id| webhook(id.unwrap_or(0)));
    crate::layout::loaded(data, |page| view! { <Detail page /> })
}

fn kind_words(i18n: leptos_i18n::I18nContext<Locale>, kind: cairn::webhooks::EventKind) -> String {
    use cairn::webhooks::EventKind;
    match kind {
        EventKind::CheckIns => t_string!(i18n, webhooks_kind_check_ins),
        EventKind::Objectives => t_string!(i18n, webhooks_kind_objectives),
        EventKind::Moves => t_string!(i18n, webhooks_kind_moves),
        EventKind::Periods => t_string!(i18n, webhooks_kind_periods),
        EventKind::Comments => t_string!(i18n, webhooks_kind_comments),
    }
    .to_string()
}

fn state_tag(i18n: leptos_i18n::I18nContext<Locale>, line: &WebhookLine) -> AnyView {
    if line.active {
        view! { <span class="tag on-track">{t!(i18n, webhooks_on)}</span> }.into_any()
    } else {
        view! { <span class="tag off-track">{t!(i18n, webhooks_off)}</span> }.into_any()
    }
}

#[component]
fn List(page: WebhooksPage) -> impl IntoView {
    let i18n = use_i18n();
    let form = super::NEW_FORM;
    let outcome = page.outcome.clone();
    let typed_kinds = typed_or(&outcome, form, "kinds", "check-ins objectives moves");
    let typed_unit = typed_or(&outcome, form, "unit", "");
    let boxes = cairn::webhooks::EventKind::ALL
        .iter()
        .map(|kind| {
            let value = kind.as_str();
            let id = format!("webhook-kind-{value}");
            let label_for = id.clone();
            let checked = typed_kinds.split(' ').any(|k| k == value);
            view! {
                <label class="token-scope" for=label_for>
                    <input type="checkbox" id=id name="kinds" value=value checked=checked />
                    " " {kind_words(i18n, *kind)}
                </label>
            }
        })
        .collect_view();
    let units = page
        .units
        .iter()
        .map(|(id, name)| {
            let value = id.to_string();
            let selected = typed_unit == value;
            view! { <option value=value selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    let whole = page.whole;
    let empty = page.lines.is_empty();
    let rows = page
        .lines
        .into_iter()
        .map(|line| {
            let href = format!("/webhooks/{}", line.id);
            let unit = line
                .unit
                .clone()
                .map(|(_, name)| name)
                .unwrap_or_else(|| t_string!(i18n, webhooks_whole).to_string());
            view! {
                <tr id=format!("webhook-{}", line.id)>
                    <td><a href=href><code>{line.url.clone()}</code></a></td>
                    <td>{unit}</td>
                    <td><code>{line.kinds.clone()}</code></td>
                    <td>{state_tag(i18n, &line)}</td>
                    <td>{line.queued}" / "{line.sent}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, admin_eyebrow)}</p>
                <h1>{t!(i18n, webhooks_title)}</h1>
                <p class="lead">{t!(i18n, webhooks_lead)}</p>
            </div>
        </section>
        <section class="auth-card webhook-card" id="new-webhook">
            <h2>{t!(i18n, webhooks_new)}</h2>
            {outcome_view(outcome.clone(), form.to_string())}
            <form class="auth-form" method="post" action="/webhooks" id=form>
                <label for="webhook-url">{t!(i18n, webhooks_url)}</label>
                <input id="webhook-url" name="url" type="url" required maxlength="2000" placeholder="https://"
                    value=typed_or(&outcome, form, "url", "") />
                <fieldset class="token-scopes">
                    <legend>{t!(i18n, webhooks_kinds)}</legend>
                    {boxes}
                </fieldset>
                <label for="webhook-unit">{t!(i18n, webhooks_unit)}</label>
                <select id="webhook-unit" name="unit">
                    {whole.then(|| view! { <option value="" selected=typed_unit.is_empty()>{t!(i18n, webhooks_whole)}</option> })}
                    {units}
                </select>
                <button type="submit" class="primary">{t!(i18n, webhooks_subscribe)}</button>
            </form>
        </section>
        {if empty {
            view! { <p class="empty" id="no-webhooks">{t!(i18n, webhooks_none)}</p> }.into_any()
        } else {
            view! {
                <table class="outbox">
                    <thead><tr>
                        <th scope="col">{t!(i18n, webhooks_url)}</th>
                        <th scope="col">{t!(i18n, webhooks_unit)}</th>
                        <th scope="col">{t!(i18n, webhooks_kinds)}</th>
                        <th scope="col">{t!(i18n, outbox_state)}</th>
                        <th scope="col">{t!(i18n, webhooks_queued_sent)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any()
        }}
    }
}

fn delivery_row(
    i18n: leptos_i18n::I18nContext<Locale>,
    webhook: i64,
    d: DeliveryLine,
) -> impl IntoView {
    let class = match d.state.as_str() {
        "sent" => "tag on-track",
        "queued" if d.attempts > 0 => "tag off-track",
        _ => "tag",
    };
    let redeliver = format!("/webhooks/{webhook}/deliveries/{}/redeliver", d.id);
    let answer = match (d.last_status, d.last_error.clone()) {
        (Some(status), Some(error)) if d.state == "sent" => t_string!(
            i18n,
            webhooks_sent_after,
            status = status.to_string(),
            error = error
        )
        .to_string(),
        (_, Some(error)) => error,
        (Some(status), None) => status.to_string(),
        (None, None) => String::new(),
    };
    let done = d.state != "queued";
    view! {
        <tr id=format!("delivery-{}", d.id)>
            <td><span class=class>{d.state.clone()}</span></td>
            <td><code>{d.event_type.clone()}</code></td>
            <td>{moment(d.created_ms)}</td>
            <td>{d.attempts}</td>
            <td>{d.last_ms.map(moment).unwrap_or_default()}</td>
            <td class="outbox-error">{answer}</td>
            <td>{done.then(|| view! {
                <form method="post" action=redeliver.clone()>
                    <button type="submit">{t!(i18n, webhooks_redeliver)}</button>
                </form>
            })}</td>
        </tr>
    }
}

#[component]
fn Detail(page: WebhookPage) -> impl IntoView {
    let i18n = use_i18n();
    let id = page.line.id;
    let line = page.line.clone();
    let base = format!("/webhooks/{id}");
    let unit = line
        .unit
        .clone()
        .map(|(_, name)| name)
        .unwrap_or_else(|| t_string!(i18n, webhooks_whole).to_string());
    let empty = page.deliveries.is_empty();
    let rows = page
        .deliveries
        .into_iter()
        .map(|d| delivery_row(i18n, id, d))
        .collect_view();
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow"><a href="/webhooks">{t!(i18n, webhooks_title)}</a></p>
                <h1><code id="webhook-url">{line.url.clone()}</code></h1>
                <p class="lead">{unit} " · " <code>{line.kinds.clone()}</code> " · " {state_tag(i18n, &line)}</p>
            </div>
        </section>
        {outcome_view(page.outcome.clone(), super::PAGE_FORM.to_string())}
        {(!line.active).then(|| view! {
            <p class="form-error" role="alert" id="webhook-off">{t!(i18n, webhooks_switched_off, failures = line.failures.to_string())}</p>
        })}
        <section class="auth-card webhook-card">
            <h2>{t!(i18n, webhooks_secret)}</h2>
            <p class="hint">{t!(i18n, webhooks_secret_hint)}</p>
            <p><code id="webhook-secret">{page.secret}</code></p>
            <div class="button-row">
                <form method="post" action=format!("{base}/test")>
                    <button type="submit" class="primary" id="webhook-test">{t!(i18n, webhooks_test)}</button>
                </form>
                {(!line.active).then(|| view! {
                    <form method="post" action=format!("{base}/enable")>
                        <button type="submit" id="webhook-enable">{t!(i18n, webhooks_enable)}</button>
                    </form>
                })}
                <form method="post" action=format!("{base}/delete")>
                    <button type="submit" class="danger" id="webhook-delete">{t!(i18n, webhooks_delete)}</button>
                </form>
            </div>
        </section>
        <h2>{t!(i18n, webhooks_deliveries)}</h2>
        {if empty {
            view! { <p class="empty">{t!(i18n, webhooks_no_deliveries)}</p> }.into_any()
        } else {
            view! {
                <table class="outbox" id="deliveries">
                    <thead><tr>
                        <th scope="col">{t!(i18n, outbox_state)}</th>
                        <th scope="col">{t!(i18n, webhooks_event)}</th>
                        <th scope="col">{t!(i18n, outbox_when)}</th>
                        <th scope="col">{t!(i18n, outbox_attempts)}</th>
                        <th scope="col">{t!(i18n, webhooks_last_attempt)}</th>
                        <th scope="col">{t!(i18n, webhooks_answer)}</th>
                        <th scope="col"></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any()
        }}
    }
}
