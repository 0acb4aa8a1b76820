//! Objectives and key results as every browsing page shows them.

pub mod model;
#[cfg(feature = "ssr")]
pub mod server;
mod view;

pub use model::*;
pub use view::*;
