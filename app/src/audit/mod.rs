//! The audit page: who changed what and when, filterable by person and by object.

mod api;
mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use view::AuditPage;
