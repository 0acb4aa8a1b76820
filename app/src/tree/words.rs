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
    refused_cycle,
    refused_self,
    refused_period,
    refused_stale,
    refused_closed,
    refused_missing,
    refused_other,
}
}

impl TreeWords {
    /// The message for a refused move.
    pub fn refusal(&self, error: &crate::error::AppError) -> String {
        use crate::error::AppError;
        use cairn::alignment::AlignmentError;
        match error {
            AppError::Alignment(AlignmentError::Cycle { .. }) => self.refused_cycle.clone(),
            AppError::Alignment(AlignmentError::SelfAlignment) => self.refused_self.clone(),
            AppError::Alignment(AlignmentError::PeriodOrder) => self.refused_period.clone(),
            AppError::Alignment(AlignmentError::UnknownParent) | AppError::NotFound => {
                self.refused_missing.clone()
            }
            AppError::Conflict => self.refused_stale.clone(),
            AppError::ClosedPeriod => self.refused_closed.clone(),
            other => format!("{} ({other})", self.refused_other),
        }
    }
}
