//! The editor's words, translated on the server and handed to the island.

use crate::error::AppError;

crate::ui::island_words! {
pub struct EditorWords {
    title,
    description,
    commitment,
    committed,
    aspirational,
    state,
    state_draft,
    state_active,
    state_completed,
    state_abandoned,
    weight,
    parent,
    parent_none,
    key_results,
    key_result,
    kr_title,
    kr_owner,
    kr_owner_none,
    kr_due,
    coach_title,
    /// "{n}", "{min}"
    coach_too_few,
    /// "{n}", "{max}"
    coach_too_many,
    /// "{title}"
    coach_activity,
    coach_number,
    kind,
    kind_metric,
    kind_binary,
    kind_milestones,
    kind_duration,
    /// How a duration is typed: "m:ss".
    duration_shape,
    direction,
    direction_increase,
    direction_decrease,
    direction_stay_at_or_above,
    direction_stay_at_or_below,
    start,
    target,
    unit,
    milestones,
    milestone,
    add_milestone,
    add_key_result,
    remove,
    initiatives,
    initiative,
    add_initiative,
    save,
    saving,
    cancel,
    fix_first,
    not_saved,
    kind_locked,
    owner,
    period,
    change,
    planning,
    /// Offered by Cancel on a copy just carried forward.
    undo_carry_question,
    undo_carry,
    keep_copy,
}
}

impl EditorWords {
    /// A field problem's message.
    pub fn problem(&self, problem: &cairn::draft::FieldProblem) -> String {
        crate::error::ProblemWords::field_in_island(problem, &self.fix_first)
    }

    /// Why saving failed, apart from field problems.
    pub fn refusal(&self, error: &AppError) -> String {
        crate::error::ProblemWords::refusal_in_island(&self.not_saved, error)
    }
}
