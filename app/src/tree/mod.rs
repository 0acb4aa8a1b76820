//! The cascade tree: a period's objectives as one interactive tree, re-aligned by
//! dragging (or with the "move to" picker), updated live.

mod api;
mod drag;
mod island;
pub mod model;
mod picker;
#[cfg(feature = "ssr")]
mod server;
mod view;
mod words;

pub use api::*;
pub use view::TreePageView;
