//! API tokens: people make personal ones on their account page, admins make
//! service ones at `/admin/tokens`. A new token's secret is shown once, on the
//! page the form returns to, and never again (only its hash is kept).

mod api;
#[cfg(feature = "ssr")]
pub mod http;
mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use model::{TokenLine, Tokens};
pub use view::{AdminTokensPage, TokenSettings};

/// The form making a token, on either page.
pub const FORM: &str = "token-form";
