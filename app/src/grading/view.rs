//! `/objectives/<id>/grade`: the grading sheet, and carrying forward.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::load_grading;
use super::island::{GradeForm, GradeWords};
use super::model::GradingStart;
use crate::i18n::*;

#[component]
pub fn GradePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || crate::layout::number_in(params, "id");
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_grading(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    crate::layout::loaded(data, |start| view! { <Grading start /> })
}

#[component]
fn Grading(start: GradingStart) -> impl IntoView {
    let i18n = use_i18n();
    let s = |text: &str| text.to_string();
    let words = GradeWords {
        grade: s(t_string!(i18n, grade_label)),
        suggested: s(t_string!(i18n, grade_suggested)),
        reason: s(t_string!(i18n, grade_reason)),
        reason_hint: s(t_string!(i18n, grade_reason_hint)),
        retrospective: s(t_string!(i18n, grade_retrospective)),
        objective_grade: s(t_string!(i18n, grade_objective)),
        expected_committed: s(t_string!(i18n, grade_expected_committed)),
        expected_aspirational: s(t_string!(i18n, grade_expected_aspirational)),
        save: s(t_string!(i18n, grade_save)),
        saving: s(t_string!(i18n, check_in_saving)),
        saved: s(t_string!(i18n, check_in_saved)),
        fix_first: s(t_string!(i18n, editor_fix_first)),
        carry_title: s(t_string!(i18n, carry_title)),
        carry_button: s(t_string!(i18n, carry_button)),
        not_saved: s(t_string!(i18n, not_saved)),
        mark: crate::ui::decimal_mark(i18n),
        open_copy: s(t_string!(i18n, carry_open_copy)),
    };
    use cairn::period::PeriodState;
    let note = match (start.period_state, start.may_grade) {
        (PeriodState::Grading, true) => t_string!(i18n, grade_lead).to_string(),
        (PeriodState::Closed, true) => t_string!(i18n, grade_correction_lead).to_string(),
        (PeriodState::Grading, false) => t_string!(i18n, grade_read_only).to_string(),
        (PeriodState::Closed, false) => t_string!(i18n, grade_closed_read).to_string(),
        (PeriodState::Planning | PeriodState::Active, _) => {
            t_string!(i18n, grade_not_open).to_string()
        }
    };
    let id = start.objective;
    let heading = if start.period_state == PeriodState::Closed {
        t_string!(i18n, sheet_title_closed).to_string()
    } else {
        t_string!(i18n, grade_title).to_string()
    };
    let unit_sheet = start.unit.clone().filter(|_| {
        matches!(
            start.period_state,
            PeriodState::Grading | PeriodState::Closed
        )
    });
    view! {
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, breadcrumbs).to_string()>
            <ol>
                <li><a href=format!("/objectives/{id}")>{start.title.clone()}</a></li>
                <li aria-current="page">{heading.clone()}</li>
            </ol>
        </nav>
        <section class="page-head">
            <div>
                <p class="eyebrow">{heading.clone()} " · " {start.period_name.clone()}</p>
                <h1>{start.title.clone()}</h1>
                <p class="lead">{note}</p>
                {unit_sheet.map(|(unit, name)| view! {
                    <p class="page-links"><a href=format!("/units/{unit}/grade")>{t!(i18n, grade_unit_sheet, unit = name)}</a></p>
                })}
                <CarryLinks from=start.carried_from.clone() to=start.carried_to.clone() />
            </div>
        </section>
        {crate::forms::outcome_view(start.outcome.clone(), "undo-carry".to_string())}
        <GradeForm start words />
        <crate::error::PageProblemWords />
    }
}

/// Where an objective was carried from and to, each a link.
#[component]
pub fn CarryLinks(from: Option<(i64, String)>, to: Option<(i64, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let link = move |(id, period): (i64, String), to: bool| {
        view! {
            <p class=if to { "carried carried-to" } else { "carried carried-from" }>
                {if to {
                    t_string!(i18n, carried_to, period = period).to_string()
                } else {
                    t_string!(i18n, carried_from, period = period).to_string()
                }}
                " " <a href=format!("/objectives/{id}")>{t!(i18n, carried_open)}</a>
            </p>
        }
    };
    view! {
        {from.map(|f| link(f, false))}
        {to.map(|t| link(t, true))}
    }
}
