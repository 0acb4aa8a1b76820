//! What every island needs, wherever it is hydrated.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_i18n::context::init_i18n_context;

use crate::i18n::Locale;

/// The language context for an island. On the server the page provides it; in the
/// browser an island may be hydrated on its own (after a client-side navigation),
/// so it reads the language from `<html lang>` when no context is there.
pub fn use_island_i18n() -> I18nContext<Locale> {
    use_context::<I18nContext<Locale>>().unwrap_or_else(|| {
        let i18n = init_i18n_context::<Locale>();
        provide_context(i18n);
        i18n
    })
}

/// False while server-rendered, true once the island runs in the browser. Put it on
/// an attribute (`data-ready`) so people and tests can tell when controls work.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}
