//! A unit's page: where it sits in the organisation, who is in it, its goals.

mod api;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use api::{Member, UnitPage, get_unit_page};
pub use view::{UnitPageView, role_name};
