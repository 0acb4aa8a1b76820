//! The conversation around a goal: comments in Markdown (sanitised), with @mentions
//! of people by the first part of their email address (`@anna.devries`).
//!
//! Comments are written with a plain form (see `http`), so they work without the
//! wasm, and rendered on the server: no Markdown code ships to the browser.

#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod render;
