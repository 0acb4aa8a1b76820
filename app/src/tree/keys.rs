//! The keyboard in the tree: one Tab stop (the ARIA tree pattern's roving
//! focus), arrow keys between rows, focus kept on a row.
//!
//! Of all the rows only one is in the Tab order: the row the keyboard was last
//! on, or the first one drawn. Tab enters the tree on its title, goes on to
//! that row's own links and buttons, and then leaves the tree; the arrow keys
//! go from row to row (and open and close objectives), taking the Tab stop along.

use leptos::prelude::*;

use super::island::ROW_HEIGHT;
use super::model::{Row, ViewState};

/// The row that holds the tree's Tab stop: `current` while it is drawn, else
/// the first row drawn.
pub(super) fn tab_row(
    current: RwSignal<Option<i64>>,
    visible: impl Fn() -> Vec<Row> + Send + Sync + 'static,
) -> Memo<Option<i64>> {
    Memo::new(move |_| {
        let shown = visible();
        current
            .get()
            .filter(|c| shown.iter().any(|r| r.id() == *c))
            .or_else(|| shown.first().map(Row::id))
    })
}

/// Remembers the row the keyboard (or a click) is on: the Tab stop moves there.
pub(super) fn remember(ev: leptos::ev::FocusEvent, current: RwSignal<Option<i64>>) {
    let Some(row) = row_of(ev.target()) else {
        return;
    };
    let number = |name: &str| {
        row.get_attribute(name)
            .and_then(|id| id.parse::<i64>().ok())
    };
    let id = number("data-objective").or_else(|| number("data-key-result").map(|k| -k));
    if id.is_some() && current.get_untracked() != id {
        current.set(id);
    }
}

/// The tree row an event happened in.
fn row_of(target: Option<web_sys::EventTarget>) -> Option<web_sys::Element> {
    use leptos::wasm_bindgen::JsCast;
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("li.tree-row").ok().flatten())
}

/// A control's place in the Tab order: in it on the row holding the tree's Tab
/// stop, out of it (still focusable by the arrow keys and clicks) elsewhere.
pub(super) fn tab_index(tab_row: Memo<Option<i64>>, row: i64) -> impl Fn() -> &'static str + Copy {
    move || {
        if tab_row.get() == Some(row) {
            "0"
        } else {
            "-1"
        }
    }
}

/// Arrow keys between rows: up and down move to the neighbouring row (scrolling
/// the window where it ends), right opens an objective, left closes it.
pub(super) fn rows_keys(ev: leptos::ev::KeyboardEvent, view_state: RwSignal<ViewState>) {
    use leptos::wasm_bindgen::JsCast;
    let Some(row) = row_of(ev.target()) else {
        return;
    };
    let objective: Option<i64> = row
        .get_attribute("data-objective")
        .and_then(|id| id.parse().ok());
    match ev.key().as_str() {
        "ArrowDown" => {
            ev.prevent_default();
            step(row, true, true);
        }
        "ArrowUp" => {
            ev.prevent_default();
            step(row, false, true);
        }
        "ArrowRight" | "ArrowLeft" => {
            if let Some(id) = objective {
                ev.prevent_default();
                let open = ev.key() == "ArrowRight";
                view_state.update(|v| {
                    if open {
                        v.expanded.insert(id);
                    } else {
                        v.expanded.remove(&id);
                    }
                });
                // The row is drawn anew; keep the keyboard on it once it is
                // (the next frame comes after the rows are updated).
                request_animation_frame(move || {
                    let selector = format!("li.tree-row[data-objective='{id}'] .node-title");
                    if let Ok(Some(title)) = document().query_selector(&selector) {
                        let _ = title.unchecked_ref::<web_sys::HtmlElement>().focus();
                    }
                });
            }
        }
        _ => {}
    }
}

/// Focuses the title of the row after (or before) `row`; at the edge of the
/// rendered window, scrolls one row and tries once more.
fn step(row: web_sys::Element, down: bool, retry: bool) {
    use leptos::wasm_bindgen::JsCast;
    let next = if down {
        row.next_element_sibling()
    } else {
        row.previous_element_sibling()
    };
    let is_row = |e: &web_sys::Element| {
        e.get_attribute("class")
            .is_some_and(|c| c.contains("tree-row"))
    };
    match next.filter(is_row) {
        Some(next) => {
            if let Ok(Some(title)) = next.query_selector(".node-title") {
                let _ = title.unchecked_ref::<web_sys::HtmlElement>().focus();
            }
        }
        None if retry => {
            window().scroll_by_with_x_and_y(0.0, if down { ROW_HEIGHT } else { -ROW_HEIGHT });
            set_timeout(
                move || step(row, down, false),
                std::time::Duration::from_millis(30),
            );
        }
        None => {}
    }
}

/// Puts the keyboard back on an objective's "move" button after the picker.
pub(super) fn focus_row(objective: i64) {
    set_timeout(
        move || {
            if let Ok(Some(button)) =
                document().query_selector(&format!("[data-move='{objective}']"))
            {
                use leptos::wasm_bindgen::JsCast;
                let _ = button.unchecked_ref::<web_sys::HtmlElement>().focus();
            }
        },
        std::time::Duration::from_millis(50),
    );
}
