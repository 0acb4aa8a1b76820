//! The interactive cascade: rows of the visible part of the tree, drag and drop,
//! the "move to" picker, filters mirrored in the address, and live updates.

use std::collections::HashSet;

use leptos::html::Ul;
use leptos::prelude::*;

use super::drag::Dragging;
use super::keys::{focus_row, rows_keys};
use super::model::{Drop, Forest, Row, RowKind, TreeData, ViewState};
use super::picker::MovePicker;
use super::rows::{ObjectiveRow, key_result_row, objective_row};
use super::words::TreeWords;
use super::{get_tree, move_objective};
use crate::live::MoveChange;
use crate::ui::use_hydrated;

/// Each row's height in px (see `.tree-row` in the style sheet): rows outside
/// the window are not rendered, only the space they take.
pub const ROW_HEIGHT: f64 = 48.0;
/// Rows rendered before the browser measures the window.
const FIRST_ROWS: usize = 60;
/// Rows rendered beyond the window's edges.
const OVERSCAN: usize = 15;

// Only the tree page's bundle carries this island (see tools/build.sh); in the
// other bundle it is a plain component the browser never runs.
#[cfg_attr(island_cascade_tree, island)]
#[cfg_attr(not(island_cascade_tree), component)]
pub fn CascadeTree(
    data: TreeData,
    view: ViewState,
    words: TreeWords,
    as_of: Option<String>,
) -> impl IntoView {
    let hydrated = use_hydrated();
    let period = data.period;
    let read_only = data.read_only;
    let mark = data.mark;
    let forest = RwSignal::new(Forest::new(data));
    let view_state = RwSignal::new(view);
    let words = StoredValue::new(words);
    let rows = Memo::new(move |_| forest.with(|f| view_state.with(|v| f.rows(v))));
    let cascade = Memo::new(move |_| forest.with(Forest::cascade));
    let (first, set_first) = signal(0_usize);
    let (count, set_count) = signal(FIRST_ROWS);
    let message = RwSignal::new(None::<(String, bool)>);
    let last_move = RwSignal::new(None::<super::undo::LastMove>);
    let dragging = RwSignal::new(None::<Dragging>);
    let picking = RwSignal::new(None::<i64>);
    let snapped = RwSignal::new(None::<i64>);
    let list = NodeRef::<Ul>::new();

    // The window of rows on screen.
    let measure = move || {
        let Some(list) = list.get_untracked() else {
            return;
        };
        let top = -list.get_bounding_client_rect().top();
        let height = window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(800.0);
        let start = (top / ROW_HEIGHT).floor().max(0.0) as usize;
        set_first.set(start.saturating_sub(OVERSCAN));
        set_count.set((height / ROW_HEIGHT).ceil() as usize + 2 * OVERSCAN);
    };
    let scroll_handle = window_event_listener(leptos::ev::scroll, move |_| measure());
    let resize_handle = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || {
        scroll_handle.remove();
        resize_handle.remove();
    });
    Effect::new(move |_| {
        if hydrated.get() {
            measure();
        }
    });

    // The address follows the view, so any view can be shared.
    let as_of_kept = as_of.clone();
    Effect::new(move |previous: Option<()>| {
        let url = view_state.with(|v| address(period, as_of_kept.as_deref(), v));
        if previous.is_some()
            && let Ok(history) = window().history()
        {
            let _ = history.replace_state_with_url(
                &leptos::wasm_bindgen::JsValue::NULL,
                "",
                Some(&url),
            );
        }
    });

    // Live: apply each change where it lands; read afresh what cannot be applied,
    // once for a burst of changes.
    let refreshing = StoredValue::new(false);
    let refresh = move || {
        if refreshing.get_value() {
            return;
        }
        refreshing.set_value(true);
        let as_of = as_of.clone();
        set_timeout(
            move || {
                leptos::task::spawn_local(async move {
                    if let Ok(page) = get_tree(Some(period), as_of).await {
                        forest.set(Forest::new(page.data));
                    }
                    refreshing.set_value(false);
                });
            },
            std::time::Duration::from_millis(300),
        );
    };
    let connection = RwSignal::new(None::<bool>);
    #[cfg(feature = "hydrate")]
    {
        use crate::live::LiveChange;
        if !read_only {
            let refresh = refresh.clone();
            let state = crate::live::client::listen(mark, move |_, update| match update {
                LiveChange::CheckIn(change) => forest.update(|f| f.apply_check_in(&change)),
                LiveChange::Moved(change) => {
                    if forest.try_update(|f| f.apply_move(&change)) != Some(true) {
                        refresh();
                    }
                }
                other => {
                    let touched = other.touched();
                    let unknown = other == LiveChange::Unknown;
                    let shown = unknown
                        || forest.with_untracked(|f| {
                            touched.objective.is_some_and(|o| f.objective(o).is_some())
                                || touched.period.is_some_and(|p| {
                                    p == f.data.period
                                        || f.data.objectives.iter().any(|o| o.period == p)
                                })
                        });
                    if shown {
                        refresh();
                    }
                }
            });
            Effect::new(move |_| {
                use crate::live::client::Connection;
                connection.set(match state.get() {
                    Connection::Open => Some(true),
                    Connection::Lost => Some(false),
                    Connection::Connecting => None,
                });
            });
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (mark, refresh);

    // A move: shown at once, confirmed or undone by the server.
    let perform = move |objective: i64, drop: Drop| {
        let before = forest.get_untracked();
        let Some(node) = before.objective(objective).cloned() else {
            return;
        };
        let (parent, index) = before.placement(objective, drop);
        // Where it was, to take the move back.
        let was = (
            node.parent,
            before
                .children(node.parent)
                .iter()
                .position(|id| *id == objective)
                .and_then(|at| u32::try_from(at).ok())
                .unwrap_or(0),
        );
        let mut siblings: Vec<i64> = before
            .children(parent)
            .into_iter()
            .filter(|id| *id != objective)
            .collect();
        siblings.insert(index.min(siblings.len()), objective);
        forest.update(|f| {
            f.apply_move(&MoveChange {
                objective,
                parent,
                siblings,
                version: node.version,
            });
        });
        if let Some(Parent::Objective(p)) = parent.map(to_objective_parent(&before)) {
            view_state.update(|v| {
                v.expanded.insert(p.0);
            });
        }
        message.set(None);
        last_move.set(None);
        leptos::task::spawn_local(async move {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            match move_objective(objective, node.version, parent, index).await {
                Ok(change) => {
                    forest.update(|f| {
                        f.apply_move(&change);
                    });
                    super::undo::offer(
                        last_move,
                        super::undo::LastMove {
                            objective,
                            version: change.version,
                            parent: was.0,
                            index: was.1,
                        },
                    );
                    message.set(Some((
                        words.with_value(|w| w.moved.replace("{title}", &node.title)),
                        false,
                    )));
                }
                Err(error) => {
                    forest.set(before);
                    snapped.set(Some(objective));
                    set_timeout(
                        move || snapped.set(None),
                        std::time::Duration::from_millis(900),
                    );
                    message.set(Some((words.with_value(|w| w.refusal(&error)), true)));
                }
            }
        });
    };

    // Pointer: follow while dragging, drop on release.
    let move_handle = window_event_listener(leptos::ev::pointermove, move |ev| {
        if dragging.with_untracked(Option::is_none) {
            return;
        }
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        forest.with_untracked(|f| {
            dragging.update(|d| {
                if let Some(d) = d {
                    d.follow(x, y, f)
                }
            })
        });
        // Near the window's edges, scroll.
        let height = window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(800.0);
        if dragging.with_untracked(|d| d.is_some_and(|d| d.active)) {
            if y < 40.0 {
                window().scroll_by_with_x_and_y(0.0, -20.0);
            } else if y > height - 40.0 {
                window().scroll_by_with_x_and_y(0.0, 20.0);
            }
        }
    });
    let up_handle = window_event_listener(leptos::ev::pointerup, move |_| {
        let Some(drag) = dragging.get_untracked() else {
            return;
        };
        dragging.set(None);
        if !drag.active {
            return;
        }
        match drag.target {
            Some(_) if drag.forbidden => {
                snapped.set(Some(drag.objective));
                set_timeout(
                    move || snapped.set(None),
                    std::time::Duration::from_millis(900),
                );
                let refused =
                    crate::error::AppError::Alignment(cairn::alignment::AlignmentError::Cycle {
                        path: Vec::new(),
                    });
                message.set(Some((words.with_value(|w| w.refusal(&refused)), true)));
            }
            Some(drop) => perform(drag.objective, drop),
            None => {}
        }
    });
    let cancel_handle =
        window_event_listener(leptos::ev::pointercancel, move |_| dragging.set(None));
    on_cleanup(move || {
        move_handle.remove();
        up_handle.remove();
        cancel_handle.remove();
    });

    let expand_all = move |_| {
        let all: HashSet<i64> =
            forest.with_untracked(|f| f.data.objectives.iter().map(|o| o.id).collect());
        view_state.update(|v| v.expanded = all);
    };
    let collapse_all = move |_| view_state.update(|v| v.expanded.clear());
    let hits = move || rows.with(|rows| rows.iter().filter(|r| r.hit).count());
    let filtering = move || view_state.with(|v| !v.query.trim().is_empty() || v.owner.is_some());
    let owner_names = forest.with_untracked(|f| {
        let mut names: Vec<(String, String)> = f
            .data
            .owners
            .iter()
            .map(|o| (o.name.clone(), o.key.clone()))
            .collect();
        names.sort();
        names
    });
    let owner_names = StoredValue::new(owner_names);
    let owner_text = move || {
        view_state.with(|v| {
            v.owner.as_ref().and_then(|key| {
                owner_names.with_value(|n| {
                    n.iter()
                        .find(|(_, k)| k == key)
                        .map(|(name, _)| name.clone())
                })
            })
        })
    };
    let w = words.get_value();

    let visible = move || {
        rows.with(|rows| {
            let start = first.get().min(rows.len());
            let end = (start + count.get()).min(rows.len());
            rows[start..end].to_vec()
        })
    };
    let space_before = move || {
        format!(
            "{}px",
            first.get().min(rows.with(Vec::len)) as f64 * ROW_HEIGHT
        )
    };
    let space_after = move || {
        let total = rows.with(Vec::len);
        let end = (first.get() + count.get()).min(total);
        format!("{}px", (total - end) as f64 * ROW_HEIGHT)
    };

    let current_row = RwSignal::new(None::<i64>);
    let tab_row = super::keys::tab_row(current_row, visible);
    let row_view = move |row: Row| -> AnyView {
        match row.kind {
            RowKind::Objective(id) => objective_row(ObjectiveRow {
                row,
                id,
                forest,
                view_state,
                cascade,
                dragging,
                picking,
                snapped,
                words,
                read_only,
                tab_row,
            }),
            RowKind::KeyResult(id) => {
                key_result_row(row, id, forest, view_state, dragging, words, tab_row)
            }
        }
    };

    view! {
        <div class="cascade" data-ready=move || hydrated.get().then_some("") class:is-dragging=move || dragging.with(|d| d.is_some_and(|d| d.active))>
            <div class="tree-toolbar">
                <label class="tree-search">
                    <span class="visually-hidden">{w.search.clone()}</span>
                    <input type="search" placeholder=w.search.clone() maxlength="200" autocomplete="off"
                        prop:value=move || view_state.with(|v| v.query.clone())
                        on:input=move |ev| view_state.update(|v| v.query = event_target_value(&ev)) />
                </label>
                <label class="tree-owner">
                    <span class="visually-hidden">{w.owner_filter.clone()}</span>
                    <input type="text" list="tree-owners" placeholder=w.owner_filter.clone() maxlength="200" autocomplete="off"
                        prop:value=move || owner_text().unwrap_or_default()
                        on:change=move |ev| {
                            let name = event_target_value(&ev);
                            let key = owner_names.with_value(|n| n.iter().find(|(n, _)| *n == name).map(|(_, k)| k.clone()));
                            view_state.update(|v| v.owner = key);
                        } />
                    <datalist id="tree-owners">
                        {owner_names.get_value().into_iter().map(|(name, _)| view! { <option value=name></option> }).collect_view()}
                    </datalist>
                </label>
                <span class="tree-hits" aria-live="polite">
                    {move || filtering().then(|| words.with_value(|w| w.hits.replace("{n}", &hits().to_string())))}
                </span>
                <button type="button" class="quiet" hidden=move || !filtering()
                    on:click=move |_| view_state.update(|v| { v.query.clear(); v.owner = None; })>{w.clear.clone()}</button>
                <span class="tree-spacer"></span>
                <button type="button" class="quiet" on:click=expand_all>{w.expand_all.clone()}</button>
                <button type="button" class="quiet" on:click=collapse_all>{w.collapse_all.clone()}</button>
                <span class=move || match connection.get() { Some(true) => "live-state live", Some(false) => "live-state lost", None => "live-state" }>
                    {move || match connection.get() {
                        Some(true) => words.with_value(|w| w.live.clone()),
                        Some(false) => words.with_value(|w| w.reconnecting.clone()),
                        None => String::new(),
                    }}
                </span>
            </div>
            {move || view_state.with(|v| v.focus).and_then(|focus| forest.with(|f| f.objective(focus).map(|o| o.title.clone()))).map(|title| view! {
                <p class="tree-focus">
                    {words.with_value(|w| w.focused_on.clone())} " " <strong>{title}</strong> " "
                    <button type="button" class="quiet" on:click=move |_| view_state.update(|v| v.focus = None)>{words.with_value(|w| w.show_all.clone())}</button>
                </p>
            })}
            {read_only.then(|| view! { <p class="tree-note">{w.read_only.clone()}</p> })}
            <p class="tree-message" role="status" aria-live="polite" class:refused=move || message.with(|m| m.as_ref().is_some_and(|m| m.1))>
                {move || message.with(|m| m.as_ref().map(|m| m.0.clone()))}
                " "
                {super::undo::undo_button(last_move, forest, message, words)}
            </p>
            <div class="drop-top" data-drop="top:0" hidden=move || !dragging.with(|d| d.is_some_and(|d| d.active))
                class:drop-here=move || dragging.with(|d| d.is_some_and(|d| d.active && d.target == Some(Drop::Top)))>
                {w.drop_top.clone()}
            </div>
            {move || rows.with(Vec::is_empty).then(|| view! { <p class="empty">{words.with_value(|w| w.empty.clone())}</p> })}
            <ul class="tree" role="tree" aria-label=w.tree_label.clone() node_ref=list on:keydown=move |ev| rows_keys(ev, view_state)
                on:focusin=move |ev| super::keys::remember(ev, current_row)>
                <li role="none" class="tree-space" style:height=space_before></li>
                <For each=visible key=Row::key children=row_view />
                <li role="none" class="tree-space" style:height=space_after></li>
            </ul>
            {move || dragging.get().filter(|d| d.active).map(|d| {
                let title = forest.with_untracked(|f| f.objective(d.objective).map(|o| o.title.clone()).unwrap_or_default());
                view! {
                    <div class="drag-ghost" class:forbidden=d.forbidden aria-hidden="true"
                        style=format!("transform: translate({}px, {}px)", d.at.0 + 12.0, d.at.1 + 8.0)>{title}</div>
                }
            })}
            {move || picking.get().map(|moving| view! {
                <MovePicker forest moving words
                    on_pick=Callback::new(move |drop| { picking.set(None); perform(moving, drop); focus_row(moving); })
                    on_close=Callback::new(move |_| { picking.set(None); focus_row(moving); }) />
            })}
        </div>
    }
}

use cairn::alignment::Parent;

/// A key result parent counts as its objective for expanding.
fn to_objective_parent(forest: &Forest) -> impl Fn(Parent) -> Parent + '_ {
    move |parent| match parent {
        Parent::KeyResult(k) => forest.key_result(k.0).map_or(parent, |kr| {
            Parent::Objective(cairn::ids::ObjectiveId(kr.objective))
        }),
        other => other,
    }
}

/// The page's address for a view.
pub fn address(period: i64, as_of: Option<&str>, view: &ViewState) -> String {
    let mut url = format!("/tree?period={period}");
    let encode = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    if let Some(day) = as_of {
        url.push_str(&format!("&as_of={}", encode(day)));
    }
    if let Some(focus) = view.focus {
        url.push_str(&format!("&focus={focus}"));
    }
    if let Some(owner) = &view.owner {
        url.push_str(&format!("&owner={}", encode(owner)));
    }
    if !view.query.trim().is_empty() {
        url.push_str(&format!("&q={}", encode(view.query.trim())));
    }
    let mut open: Vec<i64> = view.expanded.iter().copied().collect();
    open.sort_unstable();
    if !open.is_empty() && open.len() <= 500 {
        let list: Vec<String> = open.iter().map(i64::to_string).collect();
        url.push_str(&format!("&open={}", list.join(",")));
    }
    url
}
