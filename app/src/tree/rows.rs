//! One row of the tree: an objective (with its bar, roll-up and buttons) or a
//! key result, drawn from the forest and updating in place.

use cairn::Progress;
use cairn::alignment::Parent;
use cairn::status::verdict;
use leptos::prelude::*;

use super::drag::Dragging;
use super::model::{Forest, Row, ViewState};
use super::words::TreeWords;
use crate::ui::percent;

pub(super) struct ObjectiveRow {
    pub(super) row: Row,
    pub(super) id: i64,
    pub(super) forest: RwSignal<Forest>,
    pub(super) view_state: RwSignal<ViewState>,
    pub(super) cascade: Memo<std::collections::HashMap<i64, f64>>,
    pub(super) dragging: RwSignal<Option<Dragging>>,
    pub(super) picking: RwSignal<Option<i64>>,
    pub(super) snapped: RwSignal<Option<i64>>,
    pub(super) words: StoredValue<TreeWords>,
    pub(super) read_only: bool,
    /// The row holding the tree's Tab stop (see `keys`).
    pub(super) tab_row: Memo<Option<i64>>,
}

pub(super) fn objective_row(r: ObjectiveRow) -> AnyView {
    let ObjectiveRow {
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
    } = r;
    let tab = super::keys::tab_index(tab_row, id);
    let Some((title, owner)) = forest.with_untracked(|f| {
        f.objective(id)
            .map(|o| (o.title.clone(), f.owner(o.owner).cloned()))
    }) else {
        return ().into_any();
    };
    // Only what the reader may change can be picked up.
    let read_only = read_only || !forest.with_untracked(|f| f.may_move(id));
    let progress = move || forest.with(|f| f.objective(id).map_or(0.0, |o| o.progress));
    let state = move || {
        forest.with(|f| {
            let confidence = f
                .key_results_of(id)
                .iter()
                .filter_map(|k| f.key_result(k.0).and_then(|k| k.confidence))
                .min()
                .and_then(|c| cairn::values::Confidence::parse(i64::from(c)).ok());
            let objective = f.objective(id);
            let p = Progress::from_ratio(objective.map_or(0.0, |o| o.progress))
                .unwrap_or(Progress::ZERO);
            let pace = objective.map_or(f.data.elapsed, |o| f.data.pace(o.period));
            verdict(p, pace, confidence)
        })
    };
    // Objectives aligned below it in other periods (a year objective's quarters)
    // count in its Σ too; the server sends that figure.
    let beyond = forest.with_untracked(|f| f.data.beyond(id));
    let aligned = beyond.is_some()
        || forest.with_untracked(|f| {
            !f.children(Some(Parent::Objective(cairn::ids::ObjectiveId(id))))
                .is_empty()
                || f.key_results_of(id)
                    .iter()
                    .any(|k| !f.children(Some(Parent::KeyResult(*k))).is_empty())
        });
    let w = words.get_value();
    let toggle_label = if row.expanded {
        w.collapse.clone()
    } else {
        w.expand.clone()
    };
    let query = view_state.with_untracked(|v| v.query.clone());
    let zone = move || dragging.with(|d| d.and_then(|d| d.zone(Some(id), None)));
    let on_handle = move |ev: leptos::ev::PointerEvent| {
        if read_only || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        dragging.set(Some(Dragging::new(
            id,
            f64::from(ev.client_x()),
            f64::from(ev.client_y()),
        )));
    };
    view! {
        <li
            role="treeitem"
            class=move || {
                let mut class = String::from("tree-row objective");
                if row.hit { class.push_str(" hit"); }
                if row.context { class.push_str(" context"); }
                if dragging.with(|d| d.is_some_and(|d| d.active && d.objective == id)) { class.push_str(" dragged"); }
                if snapped.get() == Some(id) { class.push_str(" snapped"); }
                if let Some(zone) = zone() {
                    class.push_str(" drop-");
                    class.push_str(zone);
                    if dragging.with(|d| d.is_some_and(|d| d.forbidden)) { class.push_str(" forbidden"); }
                }
                class
            }
            aria-expanded=row.has_children.then(|| row.expanded.to_string())
            data-drop=format!("objective:{id}")
            data-objective=id
            style=format!("--depth: {}", row.depth)
        >
            {if row.has_children {
                view! {
                    <button type="button" class="toggle" tabindex="-1" aria-label=format!("{toggle_label}: {title}")
                        on:click=move |_| view_state.update(|v| { if !v.expanded.remove(&id) { v.expanded.insert(id); } })>
                        <span aria-hidden="true">{if row.expanded { "▾" } else { "▸" }}</span>
                    </button>
                }.into_any()
            } else {
                view! { <span class="toggle" aria-hidden="true"></span> }.into_any()
            }}
            {(!read_only).then(|| view! { <span class="handle" aria-hidden="true" on:pointerdown=on_handle>"⠿"</span> })}
            <a class="node-title" href=format!("/objectives/{id}") title=title.clone() draggable="false" tabindex=tab>{highlight(&title, &query)}</a>
            {owner.map(|o| { let href = o.href(); view! { <a class="node-owner" href=href tabindex=tab>{o.name}</a> } })}
            <span class=move || format!("node-bar {}", state().status.as_str()) role="progressbar" aria-valuemin="0" aria-valuemax="100"
                title=move || words.with_value(|w| w.verdict(state()))
                aria-valuenow=move || percent(progress()) aria-label=title.clone()>
                <span class="fill" style:width=move || format!("{}%", percent(progress()))></span>
            </span>
            <span class="node-figure">{move || format!("{} %", percent(progress()))}</span>
            <span class="node-cascade" title=aligned.then(|| w.with_aligned.clone())>
                {move || aligned.then(|| format!("Σ {} %", percent(beyond.unwrap_or_else(|| cascade.with(|c| c.get(&id).copied().unwrap_or(0.0))))))}
            </span>
            <button type="button" class="quiet node-focus" tabindex=tab on:click=move |_| view_state.update(|v| { v.focus = Some(id); v.expanded.insert(id); })>
                {w.focus.clone()}
            </button>
            {(!read_only).then(|| view! {
                <button type="button" class="quiet node-move" data-move=id aria-haspopup="dialog" tabindex=tab
                    aria-label=format!("{}: {}", w.move_to, title)
                    on:click=move |_| picking.set(Some(id))>
                    <span class="move-icon" aria-hidden="true">"⇅"</span>
                    <span class="move-label">{w.move_to.clone()}</span>
                </button>
            })}
        </li>
    }
    .add_any_attr(level(row))
    .into_any()
}

/// `aria-level`, which the view macro does not know by name.
fn level(row: Row) -> impl leptos::attr::Attribute {
    leptos::attr::custom::custom_attribute("aria-level", (row.depth + 1).to_string())
}

pub(super) fn key_result_row(
    row: Row,
    id: i64,
    forest: RwSignal<Forest>,
    view_state: RwSignal<ViewState>,
    dragging: RwSignal<Option<Dragging>>,
    words: StoredValue<TreeWords>,
    tab_row: Memo<Option<i64>>,
) -> AnyView {
    let tab = super::keys::tab_index(tab_row, -id);
    let Some((title, objective)) =
        forest.with_untracked(|f| f.key_result(id).map(|k| (k.title.clone(), k.objective)))
    else {
        return ().into_any();
    };
    let progress = move || forest.with(|f| f.key_result(id).map_or(0.0, |k| k.progress));
    let query = view_state.with_untracked(|v| v.query.clone());
    let label = words.with_value(|w| w.key_result.clone());
    view! {
        <li
            role="treeitem"
            class=move || {
                let mut class = String::from("tree-row key-result");
                if row.hit { class.push_str(" hit"); }
                if row.context { class.push_str(" context"); }
                if dragging.with(|d| d.and_then(|d| d.zone(None, Some(id))).is_some()) { class.push_str(" drop-onto"); }
                class
            }
            data-drop=format!("key_result:{id}")
            data-key-result=id
            style=format!("--depth: {}", row.depth)
        >
            <span class="toggle" aria-hidden="true"></span>
            <span class="kr-mark" title=label.clone() aria-label=label>"◆"</span>
            <a class="node-title" href=format!("/objectives/{objective}#kr-{id}") title=title.clone() draggable="false" tabindex=tab>{highlight(&title, &query)}</a>
            <span class="node-bar kr" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                aria-valuenow=move || percent(progress()) aria-label=title.clone()>
                <span class="fill" style:width=move || format!("{}%", percent(progress()))></span>
            </span>
            <span class="node-figure">{move || format!("{} %", percent(progress()))}</span>
        </li>
    }
    .add_any_attr(level(row))
    .into_any()
}

/// The title with the searched text marked.
fn highlight(title: &str, query: &str) -> AnyView {
    let needle = query.trim().to_lowercase();
    let lower = title.to_lowercase();
    // Only where lower-casing keeps byte offsets (almost every title).
    match (
        needle.is_empty(),
        lower.len() == title.len(),
        lower.find(&needle),
    ) {
        (false, true, Some(at))
            if title.is_char_boundary(at) && title.is_char_boundary(at + needle.len()) =>
        {
            let (before, rest) = title.split_at(at);
            let (hit, after) = rest.split_at(needle.len());
            view! { {before.to_string()}<mark>{hit.to_string()}</mark>{after.to_string()} }
                .into_any()
        }
        _ => title.to_string().into_any(),
    }
}
