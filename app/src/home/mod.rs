//! The front page: the organisation's goals for a period, and what needs attention.

mod api;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use api::{Attention, FrontPage, Overview, get_front_page};
pub use view::HomePage;
