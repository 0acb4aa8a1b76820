//! The audit page: who changed what and when, filterable by person and by object.

mod api;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use view::AuditPage;
