//! The server side of live updates: one reader of the event log per process, and
//! the server-sent events endpoint every open page listens on.

mod cursor;
mod hub;
mod sse;

pub use cursor::{Cursor, GAP_WAIT};
pub use hub::{Hub, Sent};
pub use sse::stream;
