//! How long a text is against its limit, shown as it nears it.

use leptos::prelude::*;

/// "212 / 200" once a text nears its limit: nothing typed is ever cut, so the
/// writer sees before saving what the server will refuse.
#[component]
pub fn LengthCounter(#[prop(into)] value: Signal<String>, max: usize) -> impl IntoView {
    let length = move || value.with(|v| v.chars().count());
    move || {
        let length = length();
        let class = if length > max {
            "length-counter over"
        } else {
            "length-counter"
        };
        (length * 10 >= max * 9).then(|| {
            view! {
                <span class=class aria-live="polite">
                    {format!("{length} / {max}")}
                </span>
            }
        })
    }
}
