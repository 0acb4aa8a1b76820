//! Search across everyone's objectives, key results and people: a page that works
//! without scripts, and a search box that shows results as you type.

mod api;
mod island;
mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use api::search;
pub use island::SearchBox;
pub use model::{HitKind, SearchResult};
pub use view::{SearchPage, kind_name};
