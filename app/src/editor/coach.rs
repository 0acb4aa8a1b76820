//! The coach beside the editor: the method's hints for what is typed, in the
//! writer's language, updated as they type. A hint never stops a save.

use cairn::coach::{FEWEST_KEY_RESULTS, Hint, MOST_KEY_RESULTS, hints};
use cairn::draft::ObjectiveDraft;
use leptos::prelude::*;

use super::words::EditorWords;

pub(super) fn coach_view(
    typed: impl Fn() -> ObjectiveDraft + Send + Sync + 'static,
    words: StoredValue<EditorWords>,
) -> impl IntoView {
    let lines = Memo::new(move |_| {
        let draft = typed();
        let titled = |index: usize| {
            draft
                .key_results
                .get(index)
                .map(|kr| kr.title.trim().to_string())
                .unwrap_or_default()
        };
        words.with_value(|w| {
            hints(&draft)
                .into_iter()
                .map(|hint| match hint {
                    Hint::TooFewKeyResults { count } => w
                        .coach_too_few
                        .replace("{n}", &count.to_string())
                        .replace("{min}", &FEWEST_KEY_RESULTS.to_string()),
                    Hint::TooManyKeyResults { count } => w
                        .coach_too_many
                        .replace("{n}", &count.to_string())
                        .replace("{max}", &MOST_KEY_RESULTS.to_string()),
                    Hint::Activity { index } => w.coach_activity.replace("{title}", &titled(index)),
                    Hint::NumberInObjective => w.coach_number.clone(),
                })
                .collect::<Vec<String>>()
        })
    });
    view! {
        <aside class="coach" aria-live="polite" hidden=move || lines.with(Vec::is_empty)>
            <h2>{words.with_value(|w| w.coach_title.clone())}</h2>
            <ul>{move || lines.get().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
        </aside>
    }
}
