//! Taking a move back: for a few seconds after a move, the message beside the tree
//! offers "Undo", which moves the objective back where it was (itself a move, in
//! the audit trail like any other).

use cairn::alignment::Parent;
use leptos::prelude::*;

use super::model::Forest;
use super::move_objective;
use super::words::TreeWords;

/// How long a move may be taken back.
const UNDO_FOR: std::time::Duration = std::time::Duration::from_secs(10);

/// The last move made here: where the objective was, and its version since.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct LastMove {
    pub objective: i64,
    pub version: i64,
    pub parent: Option<Parent>,
    pub index: u32,
}

/// Offers `made` for taking back, until the time is up or another move is made.
pub(super) fn offer(last: RwSignal<Option<LastMove>>, made: LastMove) {
    last.set(Some(made));
    set_timeout(
        move || {
            if last.get_untracked() == Some(made) {
                last.set(None);
            }
        },
        UNDO_FOR,
    );
}

/// The "Undo" button, while there is a move to take back.
pub(super) fn undo_button(
    last: RwSignal<Option<LastMove>>,
    forest: RwSignal<Forest>,
    message: RwSignal<Option<(String, bool)>>,
    words: StoredValue<TreeWords>,
) -> impl IntoView {
    let undo = move |_| {
        let Some(made) = last.get_untracked() else {
            return;
        };
        last.set(None);
        let title = forest.with_untracked(|f| {
            f.objective(made.objective)
                .map(|o| o.title.clone())
                .unwrap_or_default()
        });
        leptos::task::spawn_local(async move {
            match move_objective(made.objective, made.version, made.parent, made.index).await {
                Ok(change) => {
                    forest.update(|f| {
                        f.apply_move(&change);
                    });
                    message.set(Some((
                        words.with_value(|w| w.undone.replace("{title}", &title)),
                        false,
                    )));
                }
                Err(error) => {
                    message.set(Some((words.with_value(|w| w.refusal(&error)), true)));
                }
            }
        });
    };
    move || {
        last.get().map(|_| {
            view! {
                <button type="button" class="quiet undo" on:click=undo>
                    {words.with_value(|w| w.undo.clone())}
                </button>
            }
        })
    }
}
