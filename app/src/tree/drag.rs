//! Dragging with pointer events (mouse, pen and touch alike): where the pointer
//! is, what it would drop onto, and whether that is allowed.

use cairn::alignment::Parent;
use cairn::ids::{KeyResultId, ObjectiveId};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

use super::model::{Drop, Forest};

/// Movement (px) before a press on the handle becomes a drag.
pub const THRESHOLD: f64 = 5.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dragging {
    pub objective: i64,
    pub from: (f64, f64),
    pub at: (f64, f64),
    /// Past the threshold: a drag, not a click.
    pub active: bool,
    pub target: Option<Drop>,
    /// The target would break the cascade (the objective's own sub-tree).
    pub forbidden: bool,
}

impl Dragging {
    pub fn new(objective: i64, x: f64, y: f64) -> Dragging {
        Dragging {
            objective,
            from: (x, y),
            at: (x, y),
            active: false,
            target: None,
            forbidden: false,
        }
    }

    /// Follows the pointer to `(x, y)` and works out the drop target under it.
    pub fn follow(&mut self, x: f64, y: f64, forest: &Forest) {
        self.at = (x, y);
        if !self.active && (x - self.from.0).hypot(y - self.from.1) < THRESHOLD {
            return;
        }
        self.active = true;
        self.target = target_at(x, y);
        self.forbidden = match self.target {
            Some(Drop::Onto(Parent::Objective(o))) => forest.is_within(o.0, self.objective),
            Some(Drop::Onto(Parent::KeyResult(k))) => forest
                .key_result(k.0)
                .is_some_and(|kr| forest.is_within(kr.objective, self.objective)),
            Some(Drop::Before(o) | Drop::After(o)) => {
                o != self.objective && forest.ancestors(o).contains(&self.objective)
            }
            _ => false,
        };
        if matches!(self.target, Some(Drop::Before(o) | Drop::After(o)) if o == self.objective) {
            self.target = None;
        }
    }

    /// Whether `row` ("objective:3", "key_result:4") is the drop target, and how.
    pub fn zone(&self, objective: Option<i64>, key_result: Option<i64>) -> Option<&'static str> {
        if !self.active {
            return None;
        }
        match (self.target?, objective, key_result) {
            (Drop::Onto(Parent::Objective(o)), Some(id), _) if o.0 == id => Some("onto"),
            (Drop::Onto(Parent::KeyResult(k)), _, Some(id)) if k.0 == id => Some("onto"),
            (Drop::Before(o), Some(id), _) if o == id => Some("before"),
            (Drop::After(o), Some(id), _) if o == id => Some("after"),
            _ => None,
        }
    }
}

/// The drop target under the pointer: a row's top or bottom quarter places
/// beside it, its middle (and any part of a key result row) aligns onto it.
fn target_at(x: f64, y: f64) -> Option<Drop> {
    let element = document().element_from_point(x as f32, y as f32)?;
    let row = element.closest("[data-drop]").ok().flatten()?;
    let drop = row.get_attribute("data-drop")?;
    let (kind, id) = drop.split_once(':').unwrap_or((drop.as_str(), "0"));
    let id: i64 = id.parse().ok()?;
    match kind {
        "top" => Some(Drop::Top),
        "key_result" => Some(Drop::Onto(Parent::KeyResult(KeyResultId(id)))),
        "objective" => {
            let rect = row
                .unchecked_ref::<web_sys::Element>()
                .get_bounding_client_rect();
            let share = (y - rect.top()) / rect.height().max(1.0);
            Some(if share < 0.25 {
                Drop::Before(id)
            } else if share > 0.75 {
                Drop::After(id)
            } else {
                Drop::Onto(Parent::Objective(ObjectiveId(id)))
            })
        }
        _ => None,
    }
}
