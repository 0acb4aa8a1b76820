//! An accessible progress bar: a real `progressbar` role with a text value, so
//! screen readers hear the same figure sighted people see.

use cairn::Progress;
use leptos::prelude::*;

#[component]
pub fn ProgressBar(
    #[prop(into)] progress: Signal<Progress>,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let percent = move || progress.get().percent();
    view! {
        <div
            class="progress"
            role="progressbar"
            aria-label=label
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=percent
            aria-valuetext=move || format!("{} %", percent())
        >
            <div class="progress-fill" style:width=move || format!("{}%", percent())></div>
        </div>
    }
}
