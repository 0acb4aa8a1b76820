//! Small building blocks shared by every feature.

mod chart;
pub mod format;
mod island;

pub use chart::{Chart, LineChart};
pub use format::{ShortDate, day_month, percent};
pub(crate) use island::island_words;
pub use island::use_hydrated;
