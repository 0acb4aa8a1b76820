//! Cairn's user interface and its server functions.
//!
//! Organised by feature: each folder holds its server functions (compiled on both
//! sides), its views, and its server-only code behind `ssr`, gated once per module.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

mod app;
pub mod error;
mod home;
mod layout;
mod ui;

#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod storage;

pub use app::{App, shell};

/// Entry point of the browser bundle: attaches the interactive app to the
/// server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // Marks the page as interactive, for styles that differ before and after,
    // and for tests that must not click before the buttons work.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "");
    }
}
