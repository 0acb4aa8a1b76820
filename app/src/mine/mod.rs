//! "My OKRs": everything I own or lead, with what needs a check-in, and a check-in
//! form on every key result I may check in on.

mod api;
mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use api::my_okrs;
pub use model::MinePage;
pub use view::MyOkrsPage;
