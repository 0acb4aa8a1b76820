//! The browser's end of the event stream: one EventSource per island that listens.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{EventSource, MessageEvent};

use super::{Applied, LiveChange, RELOAD, parse};

/// Whether the stream is open; shown to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Open,
    Lost,
}

/// Listens to `/events` from `after` (the live mark the page was rendered with)
/// and calls `apply` for each change, in order. The browser reconnects by itself,
/// sending the last id it received, and the server replays what was missed.
pub fn listen(after: i64, apply: impl Fn(i64, LiveChange) + 'static) -> ReadSignal<Connection> {
    let (state, set_state) = signal(Connection::Connecting);
    let Ok(source) = EventSource::new(&format!("/events?after={after}")) else {
        set_state.set(Connection::Lost);
        return state;
    };
    let applied = std::cell::RefCell::new(Applied::default());
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(data) = event.data().as_string()
            && let Some((id, update)) = parse(&data)
            && applied.borrow_mut().first_time(id)
        {
            apply(id, update);
        }
    });
    let on_reload = Closure::<dyn Fn(MessageEvent)>::new(|_: MessageEvent| {
        let _ = window().location().reload();
    });
    let on_open = Closure::<dyn Fn()>::new(move || set_state.set(Connection::Open));
    let on_error = Closure::<dyn Fn()>::new(move || set_state.set(Connection::Lost));
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let _ = source.add_event_listener_with_callback(RELOAD, on_reload.as_ref().unchecked_ref());
    // The page owns the stream for its lifetime.
    on_message.forget();
    on_reload.forget();
    on_open.forget();
    on_error.forget();
    let source = send_wrapper::SendWrapper::new(source);
    on_cleanup(move || source.close());
    state
}
