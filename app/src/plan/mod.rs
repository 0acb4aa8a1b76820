//! The one-page plan: a root objective read as OGSM (Objective, Goals,
//! Strategies, Measures) or with OKR labels; the same goals either way.

mod api;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use api::*;
pub use view::PlanPageView;
