//! The search box in the header. Without scripts it is a form that opens the search
//! page; as an island it shows results while you type.

use leptos::prelude::*;

use super::{SearchResult, search};
use crate::ui::use_hydrated;

/// Wait this long after the last key before asking the server.
const DEBOUNCE_MS: u64 = 120;

/// Words come in as props, already in the reader's language, so the browser
/// bundle carries no translations.
#[cfg_attr(island_search_box, island)]
#[cfg_attr(not(island_search_box), component)]
pub fn SearchBox(
    label: String,
    placeholder: String,
    button: String,
    no_results: String,
    kinds: Vec<(super::HitKind, String)>,
    /// The names of the period states a result's period may be in.
    states: Vec<(cairn::period::PeriodState, String)>,
) -> impl IntoView {
    let hydrated = use_hydrated();
    let (text, set_text) = signal(String::new());
    let (results, set_results) = signal(Vec::<SearchResult>::new());
    let (open, set_open) = signal(false);
    let (active, set_active) = signal(None::<usize>);
    let (asked, set_asked) = signal(0_u64);

    let run = move |q: String| {
        let ticket = asked.get_untracked() + 1;
        set_asked.set(ticket);
        if q.trim().is_empty() {
            set_results.set(Vec::new());
            set_open.set(false);
            return;
        }
        set_timeout(
            move || {
                // Only the latest keystroke's search is run and shown.
                if asked.get_untracked() != ticket {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let found = search(q).await.unwrap_or_default();
                    if asked.get_untracked() == ticket {
                        set_results.set(found);
                        set_active.set(None);
                        set_open.set(true);
                    }
                });
            },
            std::time::Duration::from_millis(DEBOUNCE_MS),
        );
    };
    let go = move |index: usize| {
        if let Some(hit) = results.get_untracked().get(index) {
            let _ = window().location().set_href(&hit.href);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let count = results.get_untracked().len();
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                set_open.set(true);
                set_active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                set_active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" => {
                if let Some(i) = active.get_untracked() {
                    ev.prevent_default();
                    go(i);
                }
            }
            "Escape" => set_open.set(false),
            _ => {}
        }
    };
    let kind_label = move |kind: &super::HitKind| {
        kinds
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    };
    view! {
        <form class="search-box" method="get" action="/search" role="search" data-ready=move || hydrated.get().then_some("")>
            <label for="search-q" class="visually-hidden">{label.clone()}</label>
            <input
                id="search-q"
                name="q"
                type="search"
                autocomplete="off"
                maxlength="200"
                placeholder=placeholder
                role="combobox"
                aria-expanded=move || open.get().to_string()
                aria-controls="search-suggestions"
                aria-autocomplete="list"
                aria-activedescendant=move || active.get().map(|i| format!("search-hit-{i}"))
                prop:value=text
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    set_text.set(value.clone());
                    run(value);
                }
                on:keydown=on_key
                on:blur=move |_| set_timeout(move || set_open.set(false), std::time::Duration::from_millis(150))
                on:focus=move |_| set_open.set(!results.get_untracked().is_empty())
            />
            // For Enter without a chosen suggestion; never a Tab stop of its own.
            <button type="submit" class="visually-hidden" tabindex="-1">{button}</button>
            <ul id="search-suggestions" class="search-suggestions" role="listbox" aria-label=label hidden=move || !open.get()>
                {move || {
                    let hits = results.get();
                    if hits.is_empty() {
                        view! { <li class="empty" role="option" aria-disabled="true">{no_results.clone()}</li> }.into_any()
                    } else {
                        hits.into_iter()
                            .enumerate()
                            .map(|(i, hit)| {
                                let kind = kind_label(&hit.kind);
                                let context = hit.context(|s| {
                                    states.iter().find(|(k, _)| *k == s).map(|(_, n)| n.clone()).unwrap_or_default()
                                });
                                view! {
                                    <li
                                        id=format!("search-hit-{i}")
                                        role="option"
                                        aria-selected=move || (active.get() == Some(i)).to_string()
                                    >
                                        <a href=hit.href.clone() on:mousedown=move |ev| ev.prevent_default()>
                                            <span class="tag">{kind}</span>
                                            <span class="hit-title">{hit.title}</span>
                                            {context.map(|c| view! { <span class="hit-context">{c}</span> })}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                }}
            </ul>
        </form>
    }
}
