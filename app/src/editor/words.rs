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
    kind,
    kind_metric,
    kind_binary,
    kind_milestones,
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
    kind_locked,
    problem_empty,
    problem_too_long,
    problem_control_characters,
    problem_not_finite,
    problem_out_of_range,
    problem_not_positive,
    problem_unknown_choice,
    problem_too_many,
    problem_target_not_above_start,
    problem_target_not_below_start,
    refused_forbidden,
    refused_conflict,
    refused_closed,
    refused_missing,
    refused_alignment,
    failed,
    owner,
    period,
    change,
    planning,
}
}

impl EditorWords {
    /// A field problem's message.
    pub fn problem(&self, code: &str) -> String {
        match code {
            "empty" => &self.problem_empty,
            "too_long" => &self.problem_too_long,
            "control_characters" => &self.problem_control_characters,
            "not_finite" => &self.problem_not_finite,
            "out_of_range" => &self.problem_out_of_range,
            "not_positive" => &self.problem_not_positive,
            "too_many" => &self.problem_too_many,
            "target_not_above_start" => &self.problem_target_not_above_start,
            "target_not_below_start" => &self.problem_target_not_below_start,
            _ => &self.problem_unknown_choice,
        }
        .clone()
    }

    /// Why saving failed, apart from field problems.
    pub fn refusal(&self, error: &AppError) -> String {
        match error {
            AppError::Forbidden | AppError::Unauthenticated | AppError::CrossOrigin => {
                self.refused_forbidden.clone()
            }
            AppError::Conflict => self.refused_conflict.clone(),
            AppError::ClosedPeriod => self.refused_closed.clone(),
            AppError::NotFound => self.refused_missing.clone(),
            AppError::Alignment(_) => self.refused_alignment.clone(),
            AppError::Rule(_) => self.kind_locked.clone(),
            AppError::Invalid { problem, .. } => self.problem(problem),
            other => format!("{} ({other})", self.failed),
        }
    }
}
