//! The cascade tree: a period's objectives as one interactive tree, re-aligned by
//! dragging (or with the "move to" picker), updated live.

mod api;
mod data;
mod drag;
mod island;
mod keys;
pub mod model;
mod picker;
mod rows;
#[cfg(feature = "ssr")]
mod server;
mod undo;
mod view;
mod words;

pub use api::*;
pub use view::TreePageView;
