//! Administration: people, units and memberships, and importing both from CSV.
//! Admins only, checked on the server for every read and change.

mod api;
#[cfg(feature = "ssr")]
pub mod http;
mod import;
mod model;
pub mod outbox;
#[cfg(feature = "ssr")]
pub(crate) mod server;
pub mod sign_in;
mod view;

pub use model::AdminUnit;
pub use outbox::AdminOutboxPage;
pub use sign_in::AdminSignInPage;
pub use view::{AdminImportPage, AdminPeoplePage, AdminUnitsPage};
