//! "Move to…": the keyboard way to re-align or reorder an objective.

use cairn::alignment::Parent;
use cairn::ids::{KeyResultId, ObjectiveId};
use leptos::html::Input;
use leptos::prelude::*;

use super::model::{Drop, Forest};
use super::words::TreeWords;

/// Options shown at a time.
const SHOWN: usize = 30;

#[component]
pub fn MovePicker(
    forest: RwSignal<Forest>,
    moving: i64,
    words: StoredValue<TreeWords>,
    on_pick: Callback<Drop>,
    on_close: Callback<()>,
) -> impl IntoView {
    let (text, set_text) = signal(String::new());
    let input = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let title = forest.with_untracked(|f| {
        f.objective(moving)
            .map(|o| o.title.clone())
            .unwrap_or_default()
    });
    // Up and down among the current siblings.
    let (up, down) = forest.with_untracked(|f| {
        let parent = f.objective(moving).and_then(|o| o.parent);
        let siblings = f.children(parent);
        let at = siblings.iter().position(|id| *id == moving);
        let up = at
            .and_then(|i| i.checked_sub(1))
            .map(|i| Drop::Before(siblings[i]));
        let down = at
            .and_then(|i| siblings.get(i + 1))
            .map(|id| Drop::After(*id));
        (up, down)
    });
    let options = move || {
        let needle = text.get().trim().to_lowercase();
        forest.with(|f| {
            // What to drop onto, its title, whether it is a key result, whose and when.
            let mut out: Vec<(Drop, String, bool, String)> = Vec::new();
            for o in &f.data.objectives {
                if out.len() >= SHOWN {
                    break;
                }
                if f.is_within(o.id, moving) {
                    continue;
                }
                let context = f.data.context_of(o);
                if needle.is_empty() || o.title.to_lowercase().contains(&needle) {
                    out.push((
                        Drop::Onto(Parent::Objective(ObjectiveId(o.id))),
                        o.title.clone(),
                        false,
                        context.clone(),
                    ));
                }
                for kr in f.key_results_of(o.id) {
                    if let Some(k) = f.key_result(kr.0)
                        && !needle.is_empty()
                        && k.title.to_lowercase().contains(&needle)
                    {
                        out.push((
                            Drop::Onto(Parent::KeyResult(KeyResultId(k.id))),
                            k.title.clone(),
                            true,
                            format!("{} · {context}", o.title),
                        ));
                    }
                }
            }
            out
        })
    };
    let words_now = words.get_value();
    let dialog = NodeRef::<leptos::html::Div>::new();
    // Escape closes; Tab stays inside the dialog; the arrows go from the search
    // field into the list and along it.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            on_close.run(());
        } else {
            #[cfg(feature = "hydrate")]
            if let Some(dialog) = dialog.get_untracked()
                && step_focus(&dialog, &ev)
            {
                ev.prevent_default();
            }
        }
    };
    view! {
        <div class="move-picker" role="dialog" aria-modal="true" aria-labelledby="move-picker-title" on:keydown=on_key node_ref=dialog>
            <h2 id="move-picker-title">{format!("{} “{title}”", words_now.move_title)}</h2>
            <div class="picker-steps">
                <button type="button" disabled=up.is_none() on:click=move |_| if let Some(d) = up { on_pick.run(d) }>
                    {words_now.move_up.clone()}
                </button>
                <button type="button" disabled=down.is_none() on:click=move |_| if let Some(d) = down { on_pick.run(d) }>
                    {words_now.move_down.clone()}
                </button>
                <button type="button" on:click=move |_| on_pick.run(Drop::Top)>{words_now.top_level.clone()}</button>
            </div>
            <label for="move-picker-find">{words_now.find_parent.clone()}</label>
            <input id="move-picker-find" type="search" node_ref=input autocomplete="off" maxlength="200"
                prop:value=text on:input=move |ev| set_text.set(event_target_value(&ev)) />
            <ul class="picker-options">
                {move || {
                    let key_result = words.with_value(|w| w.key_result.clone());
                    options()
                        .into_iter()
                        .map(|(drop, label, is_kr, context)| {
                            view! {
                                <li>
                                    <button type="button" on:click=move |_| on_pick.run(drop)>
                                        {is_kr.then(|| view! { <span class="tag">{key_result.clone()}</span> })}
                                        <span class="picker-title">{label}</span>
                                        <span class="hit-context">{context}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <button type="button" class="picker-cancel" on:click=move |_| on_close.run(())>{words_now.cancel.clone()}</button>
        </div>
    }
}

/// Moves focus for a key inside the dialog: Tab and Shift+Tab wrap around its
/// controls, the arrows walk from the search field through the options. Whether
/// it moved focus (and so the browser should not).
#[cfg(feature = "hydrate")]
fn step_focus(dialog: &web_sys::HtmlDivElement, ev: &leptos::ev::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    let key = ev.key();
    let selector = match key.as_str() {
        "Tab" => "input, button:not([disabled])",
        "ArrowDown" | "ArrowUp" => "#move-picker-find, .picker-options button",
        _ => return false,
    };
    let Ok(list) = dialog.query_selector_all(selector) else {
        return false;
    };
    let items: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into().ok())
        .collect();
    if items.is_empty() {
        return false;
    }
    let active = document().active_element();
    let at = items.iter().position(|item| {
        active
            .as_ref()
            .is_some_and(|a| a == item.unchecked_ref::<web_sys::Element>())
    });
    let last = items.len() - 1;
    let next = match (key.as_str(), at) {
        ("Tab", Some(0)) if ev.shift_key() => last,
        ("Tab", Some(i)) if i == last && !ev.shift_key() => 0,
        ("Tab", None) => 0,
        ("ArrowDown", Some(i)) => (i + 1).min(last),
        ("ArrowDown", None) => 0,
        ("ArrowUp", Some(i)) => i.saturating_sub(1),
        _ => return false,
    };
    let _ = items[next].focus();
    true
}
