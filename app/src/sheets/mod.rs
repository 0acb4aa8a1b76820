//! Importing OKRs from a spreadsheet: the file read into rows ([`read`]); the
//! domain (`cairn::sheet`) guesses the columns and plans objectives and key
//! results from the rows.

#[cfg(feature = "ssr")]
pub mod read;
