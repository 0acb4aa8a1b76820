//! Cairn's domain: the types and rules of OKRs, shared by the browser and the server.
//!
//! This crate does no IO and knows no framework, so every figure Cairn shows is
//! computed by the same code on both sides of the wire.

mod named {
    /// An enum whose variants each have a stable text: the one the database stores
    /// and the wire carries.
    macro_rules! named {
        ($(#[$meta:meta])* $name:ident { $($(#[$doc:meta])* $variant:ident = $text:literal,)* }) => {
            $(#[$meta])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
            pub enum $name {
                $($(#[$doc])* #[serde(rename = $text)] $variant,)*
            }

            impl $name {
                pub const ALL: &'static [$name] = &[$($name::$variant,)*];

                /// The stable text stored in the database and carried on the wire.
                pub fn as_str(self) -> &'static str {
                    match self {
                        $($name::$variant => $text,)*
                    }
                }

                pub fn parse(raw: &str) -> Option<$name> {
                    match raw {
                        $($text => Some($name::$variant),)*
                        _ => None,
                    }
                }
            }
        };
    }
    pub(crate) use named;
}
pub(crate) use named::named;

pub mod access;
pub mod alignment;
pub mod api;
pub mod audit;
pub mod coach;
pub mod draft;
pub mod duration;
pub mod grading;
pub mod identity;
pub mod ids;
pub mod import;
pub mod key_result;
pub mod model;
pub mod notify;
pub mod numbers;
pub mod period;
pub mod progress;
pub mod rollup;
pub mod rules;
pub mod sheet;
pub mod status;
pub mod tree;
pub mod values;
pub mod webhooks;

pub use progress::{Progress, ProgressError, metric_progress};
