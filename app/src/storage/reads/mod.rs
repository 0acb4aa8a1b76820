//! Reads that gather several aggregates for one page: a unit's, a person's or my
//! OKRs and a period's tree (`okrs`), and the lists and neighbours a page shows
//! beside its subject (`lists`), and the public API's paged lists (`listing`). One namespace: `reads::unit_objectives`,
//! `reads::children`.

pub mod listing;
mod lists;
mod okrs;

pub use lists::*;
pub use okrs::*;
