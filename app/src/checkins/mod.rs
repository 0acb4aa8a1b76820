//! Check-ins: the small form on a key result, and the server function behind it.

mod api;
mod island;
mod model;
#[cfg(feature = "ssr")]
mod server;

pub use api::*;
pub use island::{CheckInForm, CheckInWords};
pub use model::*;
