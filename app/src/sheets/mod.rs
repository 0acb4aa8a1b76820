//! Importing OKRs from a spreadsheet at `/admin/sheets`: the file read into rows
//! ([`read`]); the domain (`cairn::sheet`) guesses the columns and plans
//! objectives and key results from the rows; the admin corrects the mapping,
//! matches or makes the owners and units named, sees the tree and every problem
//! by row, and stores all of it or nothing.

mod api;
mod draft;
#[cfg(feature = "ssr")]
pub mod http;
pub mod model;
#[cfg(feature = "ssr")]
pub mod read;
#[cfg(feature = "ssr")]
pub mod server;
mod view;
mod words;

pub use view::SheetImportPage;
