//! Cairn's domain: the types and rules of OKRs, shared by the browser and the server.
//!
//! This crate does no IO and knows no framework, so every figure Cairn shows is
//! computed by the same code on both sides of the wire.

pub mod access;
pub mod alignment;
pub mod audit;
pub mod draft;
pub mod grading;
pub mod identity;
pub mod ids;
pub mod import;
pub mod key_result;
pub mod model;
pub mod notify;
pub mod period;
pub mod progress;
pub mod rollup;
pub mod rules;
pub mod status;
pub mod tree;
pub mod values;

pub use progress::{Progress, ProgressError, metric_progress};
