//! The one-page plan: a root objective read as OGSM (Objective, Goals,
//! Strategies, Measures) or with OKR labels; the same goals either way.

mod api;
mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use api::*;
pub use model::*;
pub use view::PlanPageView;
