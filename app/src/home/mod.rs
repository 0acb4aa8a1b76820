//! The front page: a greeting from this installation and a key result to play with.

mod api;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use api::{Overview, get_overview};
pub use view::HomePage;
