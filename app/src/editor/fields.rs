//! The editor's form pieces: labelled fields with their problems, radio choices,
//! and the owner-and-period form of a new objective.

use cairn::draft::ObjectiveDraft;
use leptos::prelude::*;

use super::model::SetupChoices;
use super::words::EditorWords;

/// Owner and period of a new objective: a plain GET form, which a script turns into
/// a full page load (the editor's own state starts afresh for the new choice).
/// Where a new objective's text waits while the page loads for another owner or
/// period (this tab only, taken back once).
#[cfg(feature = "hydrate")]
const KEPT: &str = "cairn.editor.draft";

/// Keeps what was typed, for the page about to load.
pub(super) fn keep_draft(draft: &ObjectiveDraft) {
    #[cfg(feature = "hydrate")]
    if let Ok(Some(storage)) = window().session_storage()
        && let Ok(text) = serde_json::to_string(draft)
    {
        let _ = storage.set_item(KEPT, &text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = draft;
}

/// What the previous page kept, once.
pub(super) fn take_kept_draft() -> Option<ObjectiveDraft> {
    #[cfg(feature = "hydrate")]
    {
        let storage = window().session_storage().ok()??;
        let text = storage.get_item(KEPT).ok()??;
        let _ = storage.remove_item(KEPT);
        serde_json::from_str(&text).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// Whose and when a new objective is. Changing them loads the page for that owner
/// and period (what it may align to differs); `typed` is kept across the load.
pub(super) fn setup_form(
    setup: SetupChoices,
    words: StoredValue<EditorWords>,
    typed: impl Fn() -> ObjectiveDraft + 'static,
) -> impl IntoView {
    let w = words.get_value();
    let owner = RwSignal::new(setup.owner.clone());
    let period = RwSignal::new(setup.period.to_string());
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        keep_draft(&typed());
        let url = format!(
            "/objectives/new?owner={}&period={}",
            owner.get_untracked(),
            period.get_untracked()
        );
        let _ = window().location().set_href(&url);
    };
    view! {
        <form class="editor-setup" method="get" action="/objectives/new" on:submit=go>
            <div class="field">
                <label for="setup-owner">{w.owner.clone()}</label>
                <select id="setup-owner" name="owner" on:change=move |ev| owner.set(event_target_value(&ev))>
                    {setup.owners.into_iter().map(|(value, name)| {
                        let selected = value == setup.owner;
                        view! { <option value=value selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="setup-period">{w.period.clone()}</label>
                <select id="setup-period" name="period" on:change=move |ev| period.set(event_target_value(&ev))>
                    {setup.periods.into_iter().map(|(id, name, state)| {
                        let selected = id == setup.period;
                        let label = if state == cairn::period::PeriodState::Planning { format!("{name} · {}", w.planning) } else { name };
                        view! { <option value=id.to_string() selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">{w.change.clone()}</button>
        </form>
    }
}

pub(super) fn focus_first_problem() {
    #[cfg(feature = "hydrate")]
    if let Ok(Some(element)) = document().query_selector("[aria-invalid=true]")
        && let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element)
    {
        let _ = element.focus();
    }
}

pub(super) fn text_field(
    id: &'static str,
    label: String,
    value: RwSignal<String>,
    field: String,
    error_of: impl Fn(String) -> Option<String> + Copy + Send + Sync + 'static,
    max: usize,
    multiline: bool,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let f1 = field.clone();
    let invalid = move || error_of(f1.clone()).map(|_| "true");
    let input = if multiline {
        view! {
            <textarea id=id rows="3" prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid aria-describedby=error_id.clone()></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id type="text" prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid aria-describedby=error_id.clone() />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            <span class="field-error" id=error_id>{move || error_of(field.clone())}</span>
            <crate::ui::LengthCounter value max />
        </div>
    }
}

pub(super) fn number_field(
    id: String,
    label: String,
    value: RwSignal<String>,
    field: String,
    error_of: impl Fn(String) -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    figure_field(id, label, value, field, error_of, None)
}

/// A number field, or (with `shape`, the placeholder saying how: "m:ss") a
/// duration field, whose keyboard has the colon.
pub(super) fn figure_field(
    id: String,
    label: String,
    value: RwSignal<String>,
    field: String,
    error_of: impl Fn(String) -> Option<String> + Copy + Send + Sync + 'static,
    shape: Option<String>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let f1 = field.clone();
    let inputmode = if shape.is_some() { "text" } else { "decimal" };
    view! {
        <div class="field number">
            <label for=id.clone()>{label}</label>
            <input id=id type="text" inputmode=inputmode placeholder=shape maxlength="40" autocomplete="off" prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error_of(f1.clone()).map(|_| "true") aria-describedby=error_id.clone() />
            <span class="field-error" id=error_id>{move || error_of(field.clone())}</span>
        </div>
    }
}

pub(super) fn radio(
    name: &'static str,
    value: &'static str,
    label: String,
    current: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="check">
            <input type="radio" name=name value=value prop:checked=move || current.get() == value
                on:change=move |_| current.set(value.to_string()) />
            {label}
        </label>
    }
}
