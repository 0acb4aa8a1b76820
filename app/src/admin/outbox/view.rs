use leptos::prelude::*;

use super::api::admin_outbox;
use super::model::{OutboxPage, OutboxState};
use crate::i18n::*;

#[component]
pub fn AdminOutboxPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_outbox());
    crate::layout::loaded(data, |page| view! { <Outbox page /> })
}

#[component]
fn Outbox(page: OutboxPage) -> impl IntoView {
    let i18n = use_i18n();
    let status = match &page.mail {
        Some(route) => t_string!(i18n, outbox_mail_on, route = route.as_str()).to_string(),
        None => t_string!(i18n, outbox_mail_off).to_string(),
    };
    let counts = t_string!(
        i18n,
        outbox_counts,
        queued = page.queued.to_string(),
        failed = page.failed.to_string(),
        sent = page.sent.to_string()
    )
    .to_string();
    let empty = page.lines.is_empty();
    let lines = page
        .lines
        .into_iter()
        .map(|line| {
            let (class, state) = match line.state {
                OutboxState::Queued => ("tag", t_string!(i18n, outbox_queued).to_string()),
                OutboxState::Sent => ("tag on-track", t_string!(i18n, outbox_sent).to_string()),
                OutboxState::Failed => {
                    ("tag off-track", t_string!(i18n, outbox_failed).to_string())
                }
            };
            let at = chrono::DateTime::from_timestamp_millis(line.at_ms)
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default();
            view! {
                <tr id=format!("message-{}", line.id)>
                    <td><span class=class>{state}</span></td>
                    <td>{line.kind}</td>
                    <td>{line.recipient}</td>
                    <td>{at}</td>
                    <td>{line.attempts}</td>
                    <td class="outbox-error">{line.last_error.unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, admin_eyebrow)}</p>
                <h1>{t!(i18n, outbox_title)}</h1>
                <p class="lead">{t!(i18n, outbox_lead)}</p>
            </div>
        </section>
        <p class="notice" id="mail-status">{status}</p>
        <p id="outbox-counts">{counts}</p>
        {if empty {
            view! { <p class="empty">{t!(i18n, outbox_empty)}</p> }.into_any()
        } else {
            view! {
                <table class="outbox">
                    <thead><tr>
                        <th scope="col">{t!(i18n, outbox_state)}</th>
                        <th scope="col">{t!(i18n, outbox_kind)}</th>
                        <th scope="col">{t!(i18n, outbox_to)}</th>
                        <th scope="col">{t!(i18n, outbox_when)}</th>
                        <th scope="col">{t!(i18n, outbox_attempts)}</th>
                        <th scope="col">{t!(i18n, outbox_why)}</th>
                    </tr></thead>
                    <tbody>{lines}</tbody>
                </table>
            }.into_any()
        }}
    }
}
