//! An objective's page: the cascade around it, its key results with their full
//! check-in history and charts, initiatives and the conversation.

mod api;
#[cfg(feature = "ssr")]
mod charts;
mod key_result;
mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use api::get_objective_page;
pub use key_result::check_in_words;
pub use view::ObjectivePageView;
