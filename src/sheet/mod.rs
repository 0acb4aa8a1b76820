//! OKRs from a spreadsheet: which column holds what ([`columns`], guessed from
//! English and Dutch headers and corrected by the admin), each cell read in the
//! admin's way of writing numbers ([`amount`]), and the rows grouped into
//! objectives with their key results, every problem listed by row ([`plan`]),
//! before anything is stored.

pub mod amount;
pub mod columns;
pub mod plan;

#[cfg(test)]
mod tests;

pub use columns::{Column, Mapping, guess_all};
pub use plan::{Plan, PlannedKeyResult, PlannedObjective, Problem, Sheet, SheetProblem, plan};
