//! Small building blocks shared by every feature.

mod chart;
mod counter;
pub mod format;
mod island;

pub use chart::{Chart, LineChart};
pub use counter::LengthCounter;
#[cfg(feature = "ssr")]
pub use format::request_numbers;
pub use format::{
    ShortDate, day_month, decimal, decimal_mark, full_date, number_style, percent, style_of_mark,
    with_mark,
};
pub(crate) use island::island_words;
pub use island::use_hydrated;
