//! The tree island's words, translated on the server and sent as props, so the
//! browser bundle carries no dictionary.

crate::ui::island_words! {
pub struct TreeWords {
    tree_label,
    expand,
    collapse,
    expand_all,
    collapse_all,
    focus,
    show_all,
    focused_on,
    search,
    owner_filter,
    clear,
    /// "{n} matches"
    hits,
    key_result,
    with_aligned,
    move_to,
    move_title,
    find_parent,
    top_level,
    move_up,
    move_down,
    cancel,
    drop_top,
    moved,
    live,
    reconnecting,
    read_only,
    empty,
    not_moved,
}
}

impl TreeWords {
    /// The message for a refused move.
    pub fn refusal(&self, error: &crate::error::AppError) -> String {
        #[cfg(feature = "hydrate")]
        {
            crate::error::ProblemWords::from_page().refusal(&self.not_moved, error)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = error;
            self.not_moved.clone()
        }
    }
}
