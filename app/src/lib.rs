//! Cairn's user interface and its server functions.
//!
//! Organised by feature: each folder holds its server functions (compiled on both
//! sides), its views, and its server-only code behind `ssr`, gated once per module.

#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod admin;
mod app;
mod audit;
pub mod auth;
pub mod bundles;
mod checkins;
pub mod comments;
mod editor;
pub mod error;
pub mod exchange;
mod forms;
pub mod grading;
mod home;
mod layout;
pub mod live;
pub mod mail;
mod mine;
pub mod notices;
mod objectives;
mod okr;
mod people;
mod plan;
pub mod removal;
mod search;
pub mod sheets;
pub mod tokens;
mod tree;
mod ui;
mod units;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod html;
#[cfg(feature = "ssr")]
pub mod metrics;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod storage;

pub use app::{App, shell};

/// The cookie that remembers the language someone chose.
pub const LANGUAGE_COOKIE: &str = "cairn_lang";

/// Entry point of the browser bundle. Pages are server-rendered HTML; this sets up
/// the reactive runtime, then Leptos' loader hydrates each island on the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
