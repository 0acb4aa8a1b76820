//! Small building blocks shared by every feature.

mod island;
mod progress_bar;

pub use island::{use_hydrated, use_island_i18n};
pub use progress_bar::ProgressBar;
