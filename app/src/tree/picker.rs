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
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            on_close.run(());
        }
    };
    view! {
        <div class="move-picker" role="dialog" aria-modal="true" aria-labelledby="move-picker-title" on:keydown=on_key>
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
