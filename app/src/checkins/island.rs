//! The check-in form: value (or done, or milestones), confidence and a note, in
//! one small keyboard-friendly form.

use leptos::prelude::*;

use cairn::key_result::MeasureKind;

use super::{CheckInSpec, check_in, correct_check_in, delete_check_in};
use crate::error::AppError;

crate::ui::island_words! {
/// The form's words, translated on the server.
pub struct CheckInWords {
    open,
    value,
    done,
    confidence,
    note,
    save,
    saving,
    saved,
    not_saved,
    /// The reader's decimal mark: "," or ".".
    mark,
    /// "Your last check-in"
    last,
    correct,
    /// The form's heading while correcting.
    correcting,
    save_correction,
    cancel,
    delete,
    /// What deleting does, asked before it is done.
    delete_confirm,
    delete_yes,
}
}

/// Why a check-in was not saved, in one sentence.
fn refusal(words: &CheckInWords, error: &AppError) -> String {
    #[cfg(feature = "hydrate")]
    {
        crate::error::ProblemWords::from_page().refusal(&words.not_saved, error)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = error;
        words.not_saved.clone()
    }
}

#[cfg_attr(island_check_in_form, island)]
#[cfg_attr(not(island_check_in_form), component)]
pub fn CheckInForm(spec: CheckInSpec, words: CheckInWords) -> impl IntoView {
    let hydrated = crate::ui::use_hydrated();
    let id = spec.key_result;
    let kind = spec.kind;
    let numbers = crate::ui::style_of_mark(&words.mark);
    let notation = kind.notation();
    let value = RwSignal::new(
        spec.current
            .map(|v| notation.write(numbers, v))
            .unwrap_or_default(),
    );
    let done = RwSignal::new(spec.current.is_some_and(|v| v >= 1.0));
    let milestones = RwSignal::new(
        spec.milestones
            .iter()
            .filter(|(_, _, done)| *done)
            .map(|(id, _, _)| *id)
            .collect::<Vec<i64>>(),
    );
    let confidence = RwSignal::new(spec.confidence.unwrap_or(7));
    let note = RwSignal::new(String::new());
    // The newest check-in being corrected (the form then saves a correction), and
    // whether its deletion waits for a second click.
    let correcting = RwSignal::new(None::<i64>);
    let confirming = RwSignal::new(false);
    let open = RwSignal::new(false);
    let state = RwSignal::new(None::<Result<(), String>>);
    let busy = RwSignal::new(false);
    let words = StoredValue::new(words);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        state.set(None);
        let value = match kind {
            MeasureKind::Binary => Some(
                if done.get_untracked() {
                    "done"
                } else {
                    "not_done"
                }
                .to_string(),
            ),
            MeasureKind::Metric | MeasureKind::Duration => Some(value.get_untracked()),
            MeasureKind::Milestones => None,
        };
        let milestones = milestones.get_untracked();
        let confidence = i64::from(confidence.get_untracked());
        let text = note.get_untracked();
        let correction = correcting.get_untracked();
        leptos::task::spawn_local(async move {
            if let Some(last) = correction {
                let done = correct_check_in(last, value, milestones, confidence, text).await;
                settled(done.map(|_| ()), state, busy, words);
                return;
            }
            match check_in(id, value, milestones, confidence, text).await {
                Ok(done) => {
                    state.set(Some(Ok(())));
                    busy.set(false);
                    note.set(String::new());
                    // The bars move at once; everyone else's through the live stream.
                    #[cfg(feature = "hydrate")]
                    crate::live::show_progress(
                        id,
                        done.objective,
                        done.key_result_progress,
                        done.objective_progress,
                    );
                    #[cfg(not(feature = "hydrate"))]
                    let _ = done;
                }
                Err(error) => {
                    state.set(Some(Err(words.with_value(|w| refusal(w, &error)))));
                    busy.set(false);
                }
            }
        });
    };
    let w = words.get_value();
    let field = |name: &str| format!("ci-{name}-{id}");
    let last = spec.last.clone().map(|last| {
        let shown = match kind {
            MeasureKind::Metric | MeasureKind::Duration => {
                let unit = spec.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
                last.value.map(|v| format!("{}{unit}", notation.show(numbers, v))).unwrap_or_default()
            }
            MeasureKind::Binary => if last.value.is_some_and(|v| v >= 1.0) { "✓" } else { "✗" }.to_string(),
            MeasureKind::Milestones => spec
                .milestones
                .iter()
                .filter(|(mid, _, _)| last.milestones.contains(mid))
                .map(|(_, name, _)| name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        };
        let summary = format!("{}: {shown} · {}/10", w.last, last.confidence);
        let start = {
            let last = last.clone();
            move |_| {
                value.set(last.value.map(|v| notation.write(numbers, v)).unwrap_or_default());
                done.set(last.value.is_some_and(|v| v >= 1.0));
                milestones.set(last.milestones.clone());
                confidence.set(last.confidence);
                note.set(last.note.clone());
                state.set(None);
                confirming.set(false);
                correcting.set(Some(last.id));
                open.set(true);
            }
        };
        let delete = move |_| {
            if !confirming.get_untracked() {
                confirming.set(true);
                return;
            }
            busy.set(true);
            leptos::task::spawn_local(async move {
                let gone = delete_check_in(last.id).await;
                settled(gone.map(|_| ()), state, busy, words);
            });
        };
        view! {
            <div class="check-in-last">
                <span>{summary}</span>
                <button type="button" class="link" on:click=start disabled=move || busy.get()>{w.correct.clone()}</button>
                <button type="button" class="link danger" on:click=delete disabled=move || busy.get()>
                    {move || words.with_value(|w| if confirming.get() { w.delete_yes.clone() } else { w.delete.clone() })}
                </button>
                {move || confirming.get().then(|| view! {
                    <span class="hint">{words.with_value(|w| w.delete_confirm.clone())}</span>
                    <button type="button" class="link" on:click=move |_| confirming.set(false)>{words.with_value(|w| w.cancel.clone())}</button>
                })}
            </div>
        }
    });
    let value_label = match &spec.unit {
        Some(unit) if !unit.is_empty() => format!("{} ({unit})", w.value),
        _ => w.value.clone(),
    };
    let input = match kind {
        MeasureKind::Metric => view! {
            <label for=field("value")>{value_label}</label>
            <input id=field("value") name="value" inputmode="decimal" autocomplete="off" required maxlength="40"
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
        }
        .into_any(),
        MeasureKind::Duration => view! {
            <label for=field("value")>{format!("{} (m:ss)", w.value)}</label>
            <input id=field("value") name="value" inputmode="text" placeholder="m:ss" autocomplete="off" required maxlength="24"
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
        }
        .into_any(),
        MeasureKind::Binary => view! {
            <label class="check">
                <input type="checkbox" name="value" value="done" prop:checked=done on:change=move |ev| done.set(event_target_checked(&ev)) />
                {w.done.clone()}
            </label>
        }
        .into_any(),
        MeasureKind::Milestones => spec
            .milestones
            .iter()
            .map(|(mid, name, _)| {
                let mid = *mid;
                view! {
                    <label class="check">
                        <input type="checkbox" name="milestones" value=mid.to_string()
                            prop:checked=move || milestones.with(|m| m.contains(&mid))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                milestones.update(|m| { m.retain(|x| *x != mid); if on { m.push(mid); } });
                            } />
                        {name.clone()}
                    </label>
                }
            })
            .collect_view()
            .into_any(),
    };
    view! {
        {last}
        <details class="check-in" prop:open=open on:toggle=move |ev| open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
            <summary>{w.open.clone()}</summary>
            {move || correcting.get().map(|_| view! {
                <p class="correcting">
                    {words.with_value(|w| w.correcting.clone())} " "
                    <button type="button" class="link" on:click=move |_| { correcting.set(None); note.set(String::new()); }>{words.with_value(|w| w.cancel.clone())}</button>
                </p>
            })}
            <form class="check-in-form" method="post" action="/api/check_in" on:submit=submit data-ready=move || hydrated.get().then_some("")>
                <input type="hidden" name="key_result" value=id.to_string() />
                <div class="field">{input}</div>
                <div class="field">
                    <label for=field("confidence")>{w.confidence.clone()}</label>
                    <input id=field("confidence") name="confidence" type="range" min="0" max="10" step="1"
                        prop:value=move || confidence.get().to_string()
                        on:input=move |ev| confidence.set(event_target_value(&ev).parse().unwrap_or(0)) />
                    <output for=field("confidence")>{move || format!("{}/10", confidence.get())}</output>
                </div>
                <div class="field">
                    <label for=field("note")>{w.note.clone()}</label>
                    <textarea id=field("note") name="note" rows="2"
                        prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    <crate::ui::LengthCounter value=note max=cairn::values::LongText::MAX />
                </div>
                <button type="submit" disabled=move || busy.get()>
                    {move || words.with_value(|w| match (busy.get(), correcting.get()) {
                        (true, _) => w.saving.clone(),
                        (false, Some(_)) => w.save_correction.clone(),
                        (false, None) => w.save.clone(),
                    })}
                </button>
                <p class="form-status" role="status" aria-live="polite" class:refused=move || state.with(|s| matches!(s, Some(Err(_))))>
                    {move || state.with(|s| match s {
                        Some(Ok(())) => words.with_value(|w| w.saved.clone()),
                        Some(Err(message)) => message.clone(),
                        None => String::new(),
                    })}
                </p>
            </form>
        </details>
    }
}

/// After a correction or deletion: the page is read afresh (its history and chart
/// change with it), or the refusal is said.
fn settled(
    outcome: Result<(), AppError>,
    state: RwSignal<Option<Result<(), String>>>,
    busy: RwSignal<bool>,
    words: StoredValue<CheckInWords>,
) {
    match outcome {
        Ok(()) => {
            state.set(Some(Ok(())));
            #[cfg(feature = "hydrate")]
            let _ = window().location().reload();
        }
        Err(error) => {
            state.set(Some(Err(words.with_value(|w| refusal(w, &error)))));
            busy.set(false);
        }
    }
}
