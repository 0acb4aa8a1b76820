//! The browser's end of the event stream: one EventSource per page, shared by
//! every island that listens (a browser allows only a few connections to a site
//! at once, and several tabs each with several streams would use them up).

use std::cell::RefCell;
use std::rc::Rc;

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

struct Listener {
    id: u64,
    /// The live mark its island was rendered with: it gets only what came after.
    after: i64,
    apply: Rc<dyn Fn(i64, LiveChange)>,
    state: WriteSignal<Connection>,
}

#[derive(Default)]
struct Page {
    listeners: Vec<Listener>,
    source: Option<EventSource>,
    /// The stream opens once every island of the page has said where it starts.
    opening: bool,
    applied: Applied,
    next_id: u64,
    state: Option<Connection>,
}

thread_local! {
    static PAGE: RefCell<Page> = RefCell::new(Page::default());
}

/// Listens to `/events` from `after` (the live mark the page was rendered with)
/// and calls `apply` for each change, in order. The browser reconnects by itself,
/// sending the last id it received, and the server replays what was missed.
pub fn listen(after: i64, apply: impl Fn(i64, LiveChange) + 'static) -> ReadSignal<Connection> {
    let (state, set_state) = signal(Connection::Connecting);
    let id = PAGE.with(|page| {
        let mut page = page.borrow_mut();
        page.next_id += 1;
        let id = page.next_id;
        page.listeners.push(Listener {
            id,
            after,
            apply: Rc::new(apply),
            state: set_state,
        });
        if let Some(now) = page.state {
            set_state.set(now);
        }
        if page.source.is_none() && !page.opening {
            page.opening = true;
            // After the islands hydrating now have all registered.
            leptos::task::spawn_local(async { open() });
        }
        id
    });
    on_cleanup(move || {
        PAGE.with(|page| {
            let mut page = page.borrow_mut();
            page.listeners.retain(|l| l.id != id);
            if page.listeners.is_empty() {
                if let Some(source) = page.source.take() {
                    source.close();
                }
                *page = Page::default();
            }
        });
    });
    state
}

/// Opens the page's stream from the earliest mark any island was rendered with.
fn open() {
    let after = PAGE.with(|page| {
        let mut page = page.borrow_mut();
        page.opening = false;
        page.listeners.iter().map(|l| l.after).min()
    });
    let Some(after) = after else {
        return;
    };
    let Ok(source) = EventSource::new(&format!("/events?after={after}")) else {
        tell(Connection::Lost);
        return;
    };
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let Some((id, update)) = event.data().as_string().and_then(|data| parse(&data)) else {
            return;
        };
        // Called outside the borrow: an island may listen anew while applying.
        let appliers: Vec<Rc<dyn Fn(i64, LiveChange)>> = PAGE.with(|page| {
            let mut page = page.borrow_mut();
            if !page.applied.first_time(id) {
                return Vec::new();
            }
            page.listeners
                .iter()
                .filter(|l| id > l.after)
                .map(|l| Rc::clone(&l.apply))
                .collect()
        });
        for apply in appliers {
            apply(id, update.clone());
        }
    });
    let on_reload = Closure::<dyn Fn(MessageEvent)>::new(|_: MessageEvent| {
        let _ = window().location().reload();
    });
    let on_open = Closure::<dyn Fn()>::new(|| tell(Connection::Open));
    let on_error = Closure::<dyn Fn()>::new(|| tell(Connection::Lost));
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let _ = source.add_event_listener_with_callback(RELOAD, on_reload.as_ref().unchecked_ref());
    // The page owns the stream for its lifetime.
    on_message.forget();
    on_reload.forget();
    on_open.forget();
    on_error.forget();
    PAGE.with(|page| page.borrow_mut().source = Some(source));
}

/// Tells every listening island how the stream is.
fn tell(now: Connection) {
    let states: Vec<WriteSignal<Connection>> = PAGE.with(|page| {
        let mut page = page.borrow_mut();
        page.state = Some(now);
        page.listeners.iter().map(|l| l.state).collect()
    });
    for state in states {
        state.set(now);
    }
}
