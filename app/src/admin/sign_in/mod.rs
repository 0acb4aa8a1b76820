//! `/admin/sign-in`: how people sign in here, for admins: passwords on or off,
//! each identity provider (reachable or not, its redirect URL, who may arrive by
//! themselves) and its group map, with the units each rule names checked.

mod api;
mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use model::{ProviderOverview, RuleOverview, SignInOverview};
pub use view::AdminSignInPage;
