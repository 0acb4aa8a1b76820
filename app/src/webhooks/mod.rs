//! Webhooks: admins (for the whole organisation) and unit leads (for their
//! units) subscribe a URL to kinds of event; each change is queued in its own
//! transaction and sent, signed, by `deliver`. `/webhooks` lists them and
//! subscribes new ones; `/webhooks/<id>` shows a webhook's deliveries with their
//! answers, sends a test event, redelivers, switches it on again or removes it.

mod api;
#[cfg(feature = "ssr")]
pub mod deliver;
#[cfg(feature = "ssr")]
pub mod http;
mod model;
#[cfg(feature = "ssr")]
mod server;
mod view;

pub use model::{DeliveryLine, WebhookLine, WebhookPage, WebhooksPage};
pub use view::{WebhookDetailPage, WebhooksListPage};

/// The form that subscribes a webhook.
pub const NEW_FORM: &str = "new-webhook";
/// The forms on a webhook's own page.
pub const PAGE_FORM: &str = "webhook";
