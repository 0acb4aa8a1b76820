//! A person's page: their units, their OKRs, their recent check-ins.

mod api;
mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use api::get_person_page;
pub use model::PersonPage;
pub use view::PersonPageView;
