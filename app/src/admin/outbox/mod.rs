//! `/admin/outbox`: every message that must leave Cairn, newest first: queued,
//! sent or failed, how many attempts, and why the last one failed. Says so when
//! mail is off (no SMTP server set).

mod api;
mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use model::{OutboxLine, OutboxPage, OutboxState};
pub use view::AdminOutboxPage;
