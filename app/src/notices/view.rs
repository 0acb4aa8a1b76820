//! The inbox page, the notice settings on the account page, an unsubscribe
//! link's page, the follow button and a unit's rhythm: plain HTML and forms.

use cairn::notify::{Delivery, NoticeKind};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{inbox, notice_preferences, unit_rhythm, unsubscribe_link};
use super::model::{Block, InboxEntry, InboxPage, Preferences, Rhythm, Unsubscribing};
use crate::forms::{outcome_view, typed_or};
use crate::i18n::*;
use crate::ui::ShortDate;

/// `/inbox?before=<id>`
#[component]
pub fn InboxPageView() -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.get_locale_untracked().as_str().to_string();
    let query = use_query_map();
    let before = move || query.with(|q| q.get("before").and_then(|v| v.parse::<i64>().ok()));
    let data = Resource::new(before, move |before| inbox(before, lang.clone()));
    crate::layout::loaded(data, |page| view! { <Inbox page /> })
}

pub fn kind_name(i18n: leptos_i18n::I18nContext<Locale>, kind: NoticeKind) -> String {
    match kind {
        NoticeKind::Reminder => t_string!(i18n, notice_kind_reminder),
        NoticeKind::Escalation => t_string!(i18n, notice_kind_escalation),
        NoticeKind::Digest => t_string!(i18n, notice_kind_digest),
        NoticeKind::Mention => t_string!(i18n, notice_kind_mention),
        NoticeKind::Reply => t_string!(i18n, notice_kind_reply),
        NoticeKind::Grading => t_string!(i18n, notice_kind_grading),
        NoticeKind::Webhook => t_string!(i18n, notice_kind_webhook),
    }
    .to_string()
}

fn delivery_name(i18n: leptos_i18n::I18nContext<Locale>, delivery: Delivery) -> String {
    match delivery {
        Delivery::Email => t_string!(i18n, delivery_email),
        Delivery::InApp => t_string!(i18n, delivery_in_app),
        Delivery::Off => t_string!(i18n, delivery_off),
    }
    .to_string()
}

#[component]
fn Inbox(page: InboxPage) -> impl IntoView {
    let i18n = use_i18n();
    let unread = page.unread;
    let older = page
        .older
        .map(|before| view! { <p><a href=format!("/inbox?before={before}")>{t!(i18n, inbox_older)}</a></p> });
    let empty = page.items.is_empty();
    let entries = page
        .items
        .into_iter()
        .map(|entry| view! { <Entry entry /> })
        .collect_view();
    view! {
        <section class="inbox">
            <header class="page-header">
                <h1>{t!(i18n, inbox_title)}</h1>
                <p class="lead">{t!(i18n, inbox_lead)}</p>
            </header>
            {(!page.mail_on).then(|| view! { <p class="hint">{t!(i18n, inbox_mail_off)}</p> })}
            <div class="inbox-bar">
                <p id="inbox-unread" role="status">{t!(i18n, inbox_unread_count, count = unread)}</p>
                {(unread > 0).then(|| view! {
                    <form method="post" action="/inbox/read">
                        <input type="hidden" name="id" value="all" />
                        <button type="submit">{t!(i18n, inbox_mark_all)}</button>
                    </form>
                })}
            </div>
            {if empty {
                view! { <p class="empty">{t!(i18n, inbox_empty)}</p> }.into_any()
            } else {
                view! { <ol class="inbox-list">{entries}</ol> }.into_any()
            }}
            {older}
        </section>
    }
}

#[component]
fn Entry(entry: InboxEntry) -> impl IntoView {
    let i18n = use_i18n();
    let class = if entry.read {
        "inbox-entry"
    } else {
        "inbox-entry unread"
    };
    let action = entry
        .told
        .action
        .clone()
        .map(|(label, href)| view! { <a class="button" href=href>{label}</a> });
    let mark = (!entry.read).then(|| {
        view! {
            <form method="post" action="/inbox/read">
                <input type="hidden" name="id" value=entry.id.to_string() />
                <button type="submit">{t!(i18n, inbox_mark_read)}</button>
            </form>
        }
    });
    view! {
        <li class=class id=format!("notice-{}", entry.id) data-kind=entry.kind.as_str()>
            <p class="inbox-meta">
                {(!entry.read).then(|| view! { <span class="inbox-dot">{t!(i18n, inbox_unread_label)}</span> })}
                <span class="inbox-kind">{kind_name(i18n, entry.kind)}</span>
                <ShortDate ms=entry.at />
            </p>
            <h2 class="inbox-headline">{entry.told.headline.clone()}</h2>
            {blocks(entry.told.blocks.clone())}
            <div class="inbox-actions">{action}{mark}</div>
        </li>
    }
}

fn blocks(blocks: Vec<Block>) -> impl IntoView {
    blocks
        .into_iter()
        .map(|block| match block {
            Block::Text(text) => view! { <p>{text}</p> }.into_any(),
            Block::Heading(text) => view! { <h3>{text}</h3> }.into_any(),
            Block::List(lines) => {
                let items = lines
                    .into_iter()
                    .map(|(text, href)| match href {
                        Some(href) => view! { <li><a href=href>{text}</a></li> }.into_any(),
                        None => view! { <li>{text}</li> }.into_any(),
                    })
                    .collect_view();
                view! { <ul>{items}</ul> }.into_any()
            }
        })
        .collect_view()
}

/// The account page's section: how each kind of notice reaches me.
/// `outcome`: the page's last form outcome, taken by the page for its sections.
#[component]
pub fn NoticeSettings(outcome: Option<crate::forms::Outcome>) -> impl IntoView {
    let data = Resource::new(
        || (),
        move |_| {
            let outcome = outcome.clone();
            async move { notice_preferences().await.map(|p| (p, outcome)) }
        },
    );
    crate::layout::loaded(data, |(preferences, outcome)| {
        view! { <Settings preferences outcome /> }
    })
}

#[component]
fn Settings(preferences: Preferences, outcome: Option<crate::forms::Outcome>) -> impl IntoView {
    let i18n = use_i18n();
    let form = super::SETTINGS_FORM_ID;
    let rows = preferences
        .choices
        .iter()
        .map(|(kind, chosen)| {
            let name = kind.as_str();
            let chosen = typed_or(&outcome, form, name, chosen.as_str());
            let options = Delivery::ALL
                .iter()
                .map(|d| {
                    let value = d.as_str();
                    view! { <option value=value selected=chosen == value>{delivery_name(i18n, *d)}</option> }
                })
                .collect_view();
            let id = format!("notice-{name}");
            view! {
                <div class="notice-choice">
                    <label for=id.clone()>{kind_name(i18n, *kind)}</label>
                    <select id=id name=name>{options}</select>
                </div>
            }
        })
        .collect_view();
    let language = typed_or(&outcome, form, "language", &preferences.language);
    view! {
        <section class="auth-card notice-settings" id="notices">
            <h2>{t!(i18n, notices_title)}</h2>
            <p class="hint">{t!(i18n, notices_lead)}</p>
            {(!preferences.mail_on).then(|| view! { <p class="hint">{t!(i18n, inbox_mail_off)}</p> })}
            {outcome_view(outcome.clone(), form.to_string())}
            <form class="auth-form" method="post" action="/account/notices">
                {rows}
                <label for="notice-language">{t!(i18n, notices_language)}</label>
                <select id="notice-language" name="language">
                    <option value="en" selected=language == "en">"English"</option>
                    <option value="nl" selected=language == "nl">"Nederlands"</option>
                </select>
                <button type="submit" class="primary">{t!(i18n, notices_save)}</button>
            </form>
        </section>
    }
}

/// `/unsubscribe/<person>/<kind>/<signature>`: what the link stops, and one
/// button that stops it (a POST: link checkers that fetch it change nothing).
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let params = use_params_map();
    let args = params.with_untracked(|p| {
        (
            p.get("person").and_then(|v| v.parse::<i64>().ok()),
            p.get("kind").unwrap_or_default(),
            p.get("signature").unwrap_or_default(),
        )
    });
    let data = Resource::new(
        move || args.clone(),
        |(person, kind, signature)| async move {
            match person {
                Some(person) => unsubscribe_link(person, kind, signature).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    let i18n = use_i18n();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <Unsubscribe page /> }.into_any(),
                    Err(_) => view! {
                        <section class="auth-card">
                            <h1>{t!(i18n, unsubscribe_title)}</h1>
                            <p role="alert">{t!(i18n, unsubscribe_invalid)}</p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Unsubscribe(page: Unsubscribing) -> impl IntoView {
    let i18n = use_i18n();
    let kind = kind_name(i18n, page.kind).to_lowercase();
    let email = page.email.clone();
    let done = page.outcome.as_ref().is_some_and(|o| o.result.is_ok());
    let stopped = page.now != Delivery::Email;
    let body = if done {
        view! { <p class="notice" role="status" id="unsubscribed">{t!(i18n, unsubscribe_done, kind = kind.clone(), email = email.clone())}</p> }.into_any()
    } else if stopped {
        view! { <p class="notice" role="status" id="unsubscribed">{t!(i18n, unsubscribe_already, kind = kind.clone(), email = email.clone())}</p> }.into_any()
    } else {
        view! {
            <p>{t!(i18n, unsubscribe_lead, kind = kind.clone(), email = email.clone())}</p>
            <form class="auth-form" method="post" action=page.action.clone()>
                <button type="submit" class="primary">{t!(i18n, unsubscribe_button)}</button>
            </form>
        }
        .into_any()
    };
    view! {
        <section class="auth-card">
            <h1>{t!(i18n, unsubscribe_title)}</h1>
            {body}
            <p class="hint"><a href="/account#notices">{t!(i18n, unsubscribe_settings)}</a></p>
        </section>
    }
}

/// Follow or stop following an objective (for the weekly digest).
#[component]
pub fn FollowForm(objective: i64, following: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="follow-form" id="follow" method="post" action=format!("/objectives/{objective}/follow")>
            <input type="hidden" name="follow" value=if following { "0" } else { "1" } />
            <button type="submit" aria-pressed=if following { "true" } else { "false" }>
                {if following { t!(i18n, unfollow_button).into_any() } else { t!(i18n, follow_button).into_any() }}
            </button>
            <span class="hint">{t!(i18n, follow_hint)}</span>
        </form>
    }
}

/// A unit's weekly rhythm, and for its leads and admins the form that sets it.
/// `outcome`: the rhythm form's last outcome, taken by the page for its sections.
#[component]
pub fn RhythmSection(unit: i64, outcome: Option<crate::forms::Outcome>) -> impl IntoView {
    let data = Resource::new(
        move || unit,
        move |unit| {
            let outcome = outcome.clone();
            async move { unit_rhythm(unit).await.map(|r| (r, outcome)) }
        },
    );
    crate::layout::loaded(
        data,
        |(rhythm, outcome)| view! { <RhythmView rhythm outcome /> },
    )
}

fn day_name(i18n: leptos_i18n::I18nContext<Locale>, day: u8) -> String {
    match day {
        0 => t_string!(i18n, day_monday),
        1 => t_string!(i18n, day_tuesday),
        2 => t_string!(i18n, day_wednesday),
        3 => t_string!(i18n, day_thursday),
        4 => t_string!(i18n, day_friday),
        5 => t_string!(i18n, day_saturday),
        _ => t_string!(i18n, day_sunday),
    }
    .to_string()
}

#[component]
fn RhythmView(rhythm: Rhythm, outcome: Option<crate::forms::Outcome>) -> impl IntoView {
    let i18n = use_i18n();
    let form = super::rhythm_form_id(rhythm.unit);
    let summary = match &rhythm.follows {
        None => view! { <p>{t!(i18n, rhythm_none)}</p> }.into_any(),
        Some((cadence, _, _)) if !cadence.enabled => {
            view! { <p>{t!(i18n, rhythm_off)}</p> }.into_any()
        }
        Some((cadence, _, _)) => view! {
            <p>
                {t!(i18n, rhythm_summary,
                    day = day_name(i18n, cadence.reminder.day),
                    time = cadence.reminder.time_text(),
                    digest_day = day_name(i18n, cadence.digest.day),
                    digest_time = cadence.digest.time_text(),
                    zone = cadence.time_zone.clone(),
                    grace = cadence.grace.get())}
            </p>
        }
        .into_any(),
    };
    let source = rhythm.follows.as_ref().and_then(|(_, from, name)| {
        (*from != rhythm.unit).then(|| {
            let href = format!("/units/{from}#rhythm");
            view! { <p class="hint">{t!(i18n, rhythm_inherited)} " " <a href=href>{name.clone()}</a></p> }
        })
    });
    // Folded away until wanted, open again after a refusal to show what was typed.
    let refused = crate::forms::Outcome::of(&outcome, &form).is_some_and(|o| o.result.is_err());
    let editor = rhythm.may_change.then(|| {
        view! {
            <details open=refused>
                <summary>{t!(i18n, rhythm_change)}</summary>
                {rhythm_form(i18n, &rhythm, &form, &outcome)}
            </details>
        }
    });
    view! {
        <section class="rhythm" id="rhythm">
            <h2>{t!(i18n, rhythm_title)}</h2>
            {summary}
            {source}
            {outcome_view(outcome.clone(), form.clone())}
            {editor}
            {rhythm.may_change.then(|| view! {
                <p class="hint"><a href="/webhooks">{t!(i18n, webhooks_for_leads)}</a></p>
            })}
        </section>
    }
}

fn rhythm_form(
    i18n: leptos_i18n::I18nContext<Locale>,
    rhythm: &Rhythm,
    form: &str,
    outcome: &Option<crate::forms::Outcome>,
) -> impl IntoView + use<> {
    let standard = cairn::notify::Cadence::standard();
    let cadence = rhythm.follows.as_ref().map_or(&standard, |(c, _, _)| c);
    let typed = |field: &str, fallback: String| typed_or(outcome, form, field, &fallback);
    let days = move |chosen: String| {
        (0u8..7)
            .map(|d| {
                let value = d.to_string();
                let selected = chosen == value;
                view! { <option value=value selected=selected>{day_name(i18n, d)}</option> }
            })
            .collect_view()
    };
    let enabled = typed("enabled", if cadence.enabled { "1" } else { "0" }.into()) == "1";
    let reminder_day = typed("reminder_day", cadence.reminder.day.to_string());
    let digest_day = typed("digest_day", cadence.digest.day.to_string());
    view! {
        <form class="auth-form rhythm-form" method="post" action=format!("/units/{}/rhythm", rhythm.unit)>
            <input type="hidden" name="version" value=rhythm.own_version.map(|v| v.to_string()).unwrap_or_default() />
            <label class="check">
                <input type="checkbox" name="enabled" value="1" checked=enabled />
                {t!(i18n, rhythm_enabled)}
            </label>
            <label for="rhythm-zone">{t!(i18n, rhythm_zone)}</label>
            <input id="rhythm-zone" name="time_zone" list="rhythm-zones" required maxlength="64"
                value=typed("time_zone", cadence.time_zone.clone()) />
            <datalist id="rhythm-zones" inner_html=rhythm.zone_options.clone()></datalist>
            <fieldset>
                <legend>{t!(i18n, rhythm_reminder)}</legend>
                <label for="rhythm-reminder-day">{t!(i18n, rhythm_day)}</label>
                <select id="rhythm-reminder-day" name="reminder_day">{days(reminder_day)}</select>
                <label for="rhythm-reminder-time">{t!(i18n, rhythm_time)}</label>
                <input id="rhythm-reminder-time" name="reminder_time" required maxlength="5"
                    value=typed("reminder_time", cadence.reminder.time_text()) />
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, rhythm_digest)}</legend>
                <label for="rhythm-digest-day">{t!(i18n, rhythm_day)}</label>
                <select id="rhythm-digest-day" name="digest_day">{days(digest_day)}</select>
                <label for="rhythm-digest-time">{t!(i18n, rhythm_time)}</label>
                <input id="rhythm-digest-time" name="digest_time" required maxlength="5"
                    value=typed("digest_time", cadence.digest.time_text()) />
            </fieldset>
            <label for="rhythm-grace">{t!(i18n, rhythm_grace)}</label>
            <input id="rhythm-grace" name="grace" type="number" min="1" max="10" required
                value=typed("grace", cadence.grace.get().to_string()) />
            <div class="form-buttons">
                <button type="submit" name="action" value="save" class="primary">{t!(i18n, rhythm_save)}</button>
                {rhythm.own_version.is_some().then(|| view! {
                    <button type="submit" name="action" value="inherit">{t!(i18n, rhythm_inherit)}</button>
                })}
            </div>
        </form>
    }
}
