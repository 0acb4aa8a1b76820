//! Taking OKRs out from the browser at `/admin/export`: the whole installation,
//! or one unit and period, as the exchange document (`storage::exchange`) to
//! download. The page is a plain document: a download is no page to route to.

mod api;
#[cfg(feature = "ssr")]
pub mod http;
pub mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use view::AdminExportPage;
