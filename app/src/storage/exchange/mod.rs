//! The exchange document: the whole installation as JSON Lines, written by
//! [`export`] and read back by [`import`] into an empty installation.
//!
//! The first line is the header (`{"format":"cairn-exchange","version":1,...}`),
//! then one record per line, `{"type":"unit","id":1,...}`, grouped by type in the
//! order of [`tables::RECORDS`] and by key within a type, and last
//! `{"type":"end","records":N}`, so a truncated file is told from a whole one.
//! [`export_slice`] writes one unit and period the same way, as a document that
//! imports on its own (see [`slice`] for what it holds).
//! Every field is described by the JSON Schema ([`json_schema`]), kept in the
//! repository as `docs/exchange-v1.schema.json` and served at
//! `/exchange/v1.schema.json`.

mod catalogue;
mod copy;
mod error;
mod export;
mod graph;
mod import;
pub mod json_schema;
mod read;
mod slice;
pub mod tables;

pub use copy::sqlite_copy;
pub use error::{ExchangeError, Problem, RuleBroken};
pub use export::{export, export_slice};
pub use import::{import, is_empty};
pub use slice::{Slice, SliceError};

/// What the header's `format` says.
pub const FORMAT: &str = "cairn-exchange";
/// The version of the document this release writes and reads.
pub const VERSION: u64 = 1;
/// The longest line read: a record is small; a longer line is not a record.
pub const MAX_LINE: usize = 4 * 1024 * 1024;

/// How far an export or import has come, for a progress bar.
pub trait Progress: Sync {
    /// Called once, before the first record: how many there will be (export) or
    /// how many bytes the document has, when known (import).
    fn start(&self, _total: Option<u64>) {}
    /// Called now and then: records written (export) or bytes read (import).
    fn at(&self, _done: u64) {}
}

/// A progress nobody watches.
pub struct Quiet;
impl Progress for Quiet {}

/// What was exported or imported: records per type, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub records: Vec<(&'static str, u64)>,
}

impl Summary {
    pub fn total(&self) -> u64 {
        self.records.iter().map(|(_, n)| n).sum()
    }

    /// "3 units, 200 people, …": for people reading the console.
    pub fn describe(&self) -> String {
        self.records
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(name, n)| {
                let plural = tables::record(name).map_or(*name, |r| r.plural);
                format!("{n} {plural}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}
