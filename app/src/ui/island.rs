//! What every island needs, wherever it is hydrated.

use leptos::prelude::*;

/// False while server-rendered, true once the island runs in the browser. Put it on
/// an attribute (`data-ready`) so people and tests can tell when controls work.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}

/// Declares the words an island receives as props: a struct of strings that
/// travels as a plain list, so the browser bundle holds one small decoder for
/// every island's words instead of one per struct.
macro_rules! island_words {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($(#[$field_meta:meta])* $field:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(into = "Vec<String>", from = "Vec<String>")]
        $vis struct $name {
            $($(#[$field_meta])* pub $field: String,)*
        }

        impl From<$name> for Vec<String> {
            fn from(words: $name) -> Vec<String> {
                vec![$(words.$field,)*]
            }
        }

        impl From<Vec<String>> for $name {
            fn from(list: Vec<String>) -> $name {
                let mut list = list.into_iter();
                $name { $($field: list.next().unwrap_or_default(),)* }
            }
        }
    };
}
pub(crate) use island_words;
