//! Plain HTML forms, which work before and without the wasm: a post is answered
//! with a redirect back to its page, and what happened travels in the session for
//! that page to show once. Saved, or refused with the typed error and what was
//! typed: nothing typed is lost, and nothing that means something (an error, a
//! sign-in link's token) travels in the address.

#[cfg(feature = "ssr")]
mod server;
mod view;

use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
pub use server::{answer, refuse_control_characters, take_outcome};
pub use view::{outcome_view, typed_or};

/// What a form post did, for the page it returns to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The form's id on its page: the outcome is shown there.
    pub form: String,
    pub result: Result<Done, Refused>,
}

/// A change that went through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Done {
    Saved,
    /// A one-time sign-in link, shown once: for whom, its token, and whether it
    /// went to them by mail too.
    NewLink {
        who: String,
        token: String,
        mailed: bool,
    },
    /// A new API token's secret, shown once: its name and the secret.
    NewToken {
        name: String,
        secret: String,
    },
}

/// A change that was refused, with what the form held, to fill it in again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refused {
    pub error: AppError,
    pub typed: Vec<(String, String)>,
}

impl Outcome {
    /// The outcome of the form `form`, if this is it.
    pub fn of(outcome: &Option<Outcome>, form: &str) -> Option<Outcome> {
        outcome.as_ref().filter(|o| o.form == form).cloned()
    }

    /// What was typed into `field` before the refusal; None when saved.
    pub fn typed(&self, field: &str) -> Option<String> {
        match &self.result {
            Err(refused) => refused
                .typed
                .iter()
                .find(|(name, _)| name == field)
                .map(|(_, value)| value.clone()),
            Ok(_) => None,
        }
    }
}
