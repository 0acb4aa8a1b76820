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
    undo,
    /// "Moved “{title}” back."
    undone,
    on_track,
    at_risk,
    off_track,
    /// "confidence {c}/10"
    reason_confidence,
    /// "behind pace: {p} % of {e} % expected"
    reason_behind,
}
}

impl TreeWords {
    /// A status and its reason in words: "At risk · confidence 5/10".
    pub fn verdict(&self, verdict: cairn::status::Verdict) -> String {
        use cairn::status::Status;
        let status = match verdict.status {
            Status::OnTrack => &self.on_track,
            Status::AtRisk => &self.at_risk,
            Status::OffTrack => &self.off_track,
        };
        let reason = verdict.reason.describe(
            |c| self.reason_confidence.replace("{c}", &c.to_string()),
            |p, e| {
                self.reason_behind
                    .replace("{p}", &p.to_string())
                    .replace("{e}", &e.to_string())
            },
        );
        match reason {
            Some(reason) => format!("{status} · {reason}"),
            None => status.clone(),
        }
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
