//! Cairn's domain: the types and rules of OKRs, shared by the browser and the server.
//!
//! This crate does no IO and knows no framework, so every figure Cairn shows is
//! computed by the same code on both sides of the wire.

pub mod progress;

pub use progress::{Progress, ProgressError, metric_progress};
