//! The common browser bundle: the islands every page loads. The app crate holds the
//! code; this crate only links it into a wasm of its own, so that the three bundles
//! share one build directory, and the standard library and every dependency are
//! compiled once for all of them.

#[cfg(target_arch = "wasm32")]
pub use app::hydrate;
