//! Reads that gather several aggregates for one page: a unit's, a person's or my
//! OKRs and a period's tree (`okrs`), and the lists and neighbours a page shows
//! beside its subject (`lists`). One namespace: `reads::unit_objectives`,
//! `reads::children`.

mod lists;
mod okrs;

pub use lists::*;
pub use okrs::*;
