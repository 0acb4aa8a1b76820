//! Accounts: signing in and out, changing a password, one-time sign-in links, and
//! who is signed in for every page and server function.
//!
//! The forms post to plain HTTP handlers (`http`), so signing in works before and
//! without the wasm; they answer with a redirect, errors as a code in the address.

mod api;
#[cfg(feature = "ssr")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod forgot;
#[cfg(feature = "ssr")]
pub mod gate;
#[cfg(feature = "ssr")]
pub mod http;
mod model;
pub mod notice;
#[cfg(feature = "ssr")]
pub mod oidc;
#[cfg(feature = "ssr")]
pub mod return_to;
#[cfg(feature = "ssr")]
pub mod server;
mod view;

use serde::{Deserialize, Serialize};

pub use api::my_account;
pub use model::AccountInfo;

/// The password form's id on the account page.
pub const PASSWORD_FORM_ID: &str = "password";
pub use view::{AccountPage, ForgotPage, SignInLinkPage, SignInPage};

/// The signed-in person, as pages show them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub person: i64,
    pub name: String,
    pub admin: bool,
    /// Notices in their inbox not read yet.
    pub unread: i64,
}

/// Who is signed in, on the server; None in the browser and for anonymous requests.
pub fn viewer() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    {
        server::signed_in().ok().map(|s| Viewer {
            person: s.actor.person.0,
            name: s.name,
            admin: s.actor.admin,
            unread: s.unread,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}
