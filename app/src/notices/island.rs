//! The header's "for you" link with the number of unread notices, kept current
//! over the page's event stream (only the reader's own stream carries their count).

use leptos::prelude::*;

#[cfg_attr(island_inbox_count, island)]
#[cfg_attr(not(island_inbox_count), component)]
pub fn InboxCount(person: i64, unread: i64, after: i64, label: String) -> impl IntoView {
    let count = RwSignal::new(unread);
    #[cfg(feature = "hydrate")]
    {
        crate::live::client::listen(after, move |_, change| {
            if let crate::live::LiveChange::Notices { unread } = change
                && let Some((_, n)) = unread.into_iter().find(|(to, _)| *to == person)
            {
                count.set(n);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (person, after);
    view! {
        <a href="/inbox" class="inbox-link" id="inbox-link">
            {label}
            " "
            <span class="inbox-count" class:none=move || count.get() == 0 aria-live="polite">
                {move || count.get()}
            </span>
        </a>
    }
}
