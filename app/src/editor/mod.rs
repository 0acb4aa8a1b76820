//! Writing OKRs: the editor for a new or an existing objective with its key
//! results, milestones and initiatives. It validates as people type (the domain's
//! rules, run in the browser) and the server validates again before storing.

mod api;
mod coach;
mod fields;
mod island;
mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;
mod words;

pub use api::{editor_data, editor_setup};
pub use model::{EditorStart, SetupChoices};
pub use view::{EditObjectivePage, NewObjectivePage};
