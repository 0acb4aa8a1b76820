//! Deleting an objective at `/objectives/<id>/delete`: a page that says what goes
//! with it and asks where the objectives aligned to it go, and the plain form
//! behind it (`POST /objectives/<id>/delete`).

mod api;
#[cfg(feature = "ssr")]
pub mod http;
pub mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use view::DeleteObjectivePage;
