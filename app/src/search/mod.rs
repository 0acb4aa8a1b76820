//! Search across everyone's objectives, key results and people: a page that works
//! without scripts, and a search box that shows results as you type.

mod api;
mod island;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use api::{HitKind, SearchResult, search};
pub use island::SearchBox;
pub use view::{SearchPage, kind_name};
