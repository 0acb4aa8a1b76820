//! Small building blocks shared by every feature.

mod progress_bar;

pub use progress_bar::ProgressBar;
