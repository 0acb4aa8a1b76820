//! A unit's page: where it sits in the organisation, who is in it, its goals.

mod api;
mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use api::get_unit_page;
pub use model::{Member, UnitPage};
pub use view::{UnitPageView, role_name};
