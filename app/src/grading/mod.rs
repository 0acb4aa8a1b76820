//! Period close: grading an objective's key results (with reasons for overrides and
//! a retrospective), admin corrections of closed periods, carrying unfinished work
//! forward, the period lifecycle and the quarter's summary.

mod api;
mod closing;
#[cfg(feature = "ssr")]
pub mod http;
mod island;
mod model;
mod periods;
#[cfg(feature = "ssr")]
pub mod server;
mod sheet;
mod summary;
mod unit;
mod view;

pub use closing::ClosePage;
pub use periods::{PeriodsPage, state_name};
pub use summary::SummaryPage;
pub use unit::UnitGradingPage;
pub use view::{CarryLinks, GradePage};
