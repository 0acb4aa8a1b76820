//! What every island needs, wherever it is hydrated.

use leptos::prelude::*;

/// False while server-rendered, true once the island runs in the browser. Put it on
/// an attribute (`data-ready`) so people and tests can tell when controls work.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}
