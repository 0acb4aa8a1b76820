//! The front page: the organisation's goals for a period, and what needs attention.

mod api;
mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use api::get_front_page;
pub use model::{Attention, FrontPage};
pub use view::HomePage;
