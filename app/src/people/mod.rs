//! A person's page: their units, their OKRs, their recent check-ins.

mod api;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use api::{PersonPage, get_person_page};
pub use view::PersonPageView;
