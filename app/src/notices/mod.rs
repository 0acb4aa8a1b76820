//! Notices: the "for you" inbox (mentions, replies, reminders, escalations,
//! digests, grading), how each person wants to hear of each kind, the weekly
//! rhythm that sends reminders and digests, and the mail that carries them.

mod api;
mod island;
mod model;
mod view;

#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod letters;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
mod server;

pub use island::InboxCount;

/// The notice settings form's id on the account page.
pub const SETTINGS_FORM_ID: &str = "notices";

/// The rhythm form's id on a unit's page.
pub fn rhythm_form_id(unit: i64) -> String {
    format!("rhythm-{unit}")
}
pub use model::*;
pub use view::{FollowForm, InboxPageView, NoticeSettings, RhythmSection, UnsubscribePage};

#[cfg(feature = "ssr")]
pub use letters::{LinkMail, Postman};
