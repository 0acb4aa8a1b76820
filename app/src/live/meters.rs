//! Progress bars that move: after a check-in here, and when anyone checks in
//! anywhere. Bars are server-rendered `Meter`s marked `data-meter="k-<id>"` or
//! `"o-<id>"`; this sets their width, figure and value in place, and counts the
//! check-in in the key result's history (`data-history="k-<id>"`).

use leptos::prelude::*;

/// Moves the bars of a key result and its objective to their new progress.
#[cfg(feature = "hydrate")]
pub fn show(key_result: i64, objective: i64, key_result_progress: f64, objective_progress: f64) {
    for (key, progress) in [
        (format!("k-{key_result}"), key_result_progress),
        (format!("o-{objective}"), objective_progress),
    ] {
        let Ok(list) = document().query_selector_all(&format!("[data-meter=\"{key}\"]")) else {
            continue;
        };
        let value = crate::ui::percent(progress);
        for index in 0..list.length() {
            let Some(node) = list.item(index) else {
                continue;
            };
            let Ok(meter) = wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node) else {
                continue;
            };
            if let Ok(Some(fill)) = meter.query_selector(".meter-fill") {
                let _ = fill.set_attribute("style", &format!("width: {value}%"));
            }
            if let Ok(Some(bar)) = meter.query_selector(".meter-bar") {
                let _ = bar.set_attribute("aria-valuenow", &value.to_string());
            }
            if let Ok(Some(figure)) = meter.query_selector(".meter-figure, .live-figure") {
                figure.set_text_content(Some(&format!("{value} %")));
            }
            // Restart the highlight, even when it just ran.
            let classes = meter.class_list();
            let _ = classes.remove_1("bumped");
            let _ = meter.get_bounding_client_rect();
            let _ = classes.add_1("bumped");
        }
    }
}

/// A change to the number of check-ins a key result has.
#[cfg(feature = "hydrate")]
#[derive(Debug, Clone, Copy)]
pub enum Tally {
    /// A new check-in, by its id.
    Made(i64),
    /// A check-in deleted by its author.
    Withdrawn(i64),
}

/// Counts a check-in in (or out of) the key result's history on this page
/// (`data-history`), once: the count says which check-in it has counted last
/// (`data-newest`) and which it has taken out (`data-withdrawn`), so the same
/// event heard again after a reconnect is not counted twice.
#[cfg(feature = "hydrate")]
pub fn count(key_result: i64, tally: Tally) {
    let selector = format!("[data-history=\"k-{key_result}\"]");
    let Ok(list) = document().query_selector_all(&selector) else {
        return;
    };
    for index in 0..list.length() {
        let Some(node) = list.item(index) else {
            continue;
        };
        let Ok(counter) = wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node) else {
            continue;
        };
        let newest = counter
            .get_attribute("data-newest")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0);
        let withdrawn = counter.get_attribute("data-withdrawn").unwrap_or_default();
        let counted = counter
            .text_content()
            .and_then(|t| t.trim().parse::<i64>().ok())
            .unwrap_or(0);
        match tally {
            Tally::Made(check_in) if check_in > newest => {
                counter.set_text_content(Some(&(counted + 1).to_string()));
                let _ = counter.set_attribute("data-newest", &check_in.to_string());
            }
            Tally::Withdrawn(check_in)
                if check_in <= newest
                    && !withdrawn.split(' ').any(|w| w == check_in.to_string()) =>
            {
                counter.set_text_content(Some(&(counted - 1).max(0).to_string()));
                let _ = counter.set_attribute("data-withdrawn", &format!("{withdrawn} {check_in}"));
            }
            _ => {}
        }
    }
}

/// Listens to everyone's check-ins and moves the bars on this page.
#[cfg_attr(island_live_meters, island)]
#[cfg_attr(not(island_live_meters), component)]
pub fn LiveMeters(after: i64) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        super::client::listen(after, |_, update| {
            if let super::LiveChange::CheckIn(change) = update {
                show(
                    change.key_result,
                    change.objective,
                    change.progress,
                    change.objective_progress,
                );
                if let Some(check_in) = change.check_in {
                    count(change.key_result, Tally::Made(check_in));
                }
                if let Some(check_in) = change.withdrawn {
                    count(change.key_result, Tally::Withdrawn(check_in));
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = after;
}
