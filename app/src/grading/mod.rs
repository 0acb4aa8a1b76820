//! Period close: grading an objective's key results (with reasons for overrides and
//! a retrospective), admin corrections of closed periods, carrying unfinished work
//! forward, the period lifecycle and the quarter's summary.

mod api;
mod island;
mod model;
mod periods;
#[cfg(feature = "ssr")]
pub mod server;
mod view;

pub use periods::{PeriodsPage, SummaryPage};
pub use view::GradePage;
