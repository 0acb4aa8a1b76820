//! `/units/<id>/grade?period=<p>`: a unit's grading sheet, for its leads (and
//! admins) while the period is graded; everyone else, and everyone once it is
//! closed, reads the grades given.

use cairn::period::PeriodState;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::load_unit_sheet;
use super::model::{GradingStart, UnitSheet};
use super::periods::state_name;
use super::sheet::{SheetWords, UnitGradeSheet};
use crate::i18n::*;

#[component]
pub fn UnitGradingPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || crate::layout::number_in(params, "id");
    let period = move || crate::layout::number_in(query, "period");
    let data = Resource::new(
        move || (id(), period()),
        |(id, period)| async move {
            match id {
                Some(id) => load_unit_sheet(id, period).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    crate::layout::loaded(data, |sheet| view! { <Sheet sheet /> })
}

#[component]
fn Sheet(sheet: UnitSheet) -> impl IntoView {
    let i18n = use_i18n();
    let (unit, unit_name) = sheet.unit.clone();
    let (period, period_name, state) = sheet.period.clone();
    let (title, lead) = match (state, sheet.may_grade) {
        (PeriodState::Grading, true) => (
            t_string!(i18n, sheet_title_grading),
            t_string!(i18n, sheet_lead_grading),
        ),
        (PeriodState::Closed, true) => (
            t_string!(i18n, sheet_title_closed),
            t_string!(i18n, grade_correction_lead),
        ),
        (PeriodState::Closed, false) => (
            t_string!(i18n, sheet_title_closed),
            t_string!(i18n, grade_closed_read),
        ),
        (PeriodState::Grading, false) => (
            t_string!(i18n, sheet_title_grading),
            t_string!(i18n, grade_read_only),
        ),
        (PeriodState::Planning | PeriodState::Active, _) => (
            t_string!(i18n, sheet_title_grading),
            t_string!(i18n, grade_not_open),
        ),
    };
    let switcher = (sheet.periods.len() > 1).then(|| {
        view! {
            <form class="period-switcher no-print" method="get" action=format!("/units/{unit}/grade")>
                <label for="period">{t!(i18n, period)}</label>
                <select id="period" name="period">
                    {sheet.periods.iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=*id == period>{name.clone()}</option>
                    }).collect_view()}
                </select>
                <button type="submit">{t!(i18n, show)}</button>
            </form>
        }
    });
    let empty = sheet.objectives.is_empty();
    let body = if empty {
        view! { <p class="empty">{t!(i18n, sheet_empty)}</p> }.into_any()
    } else if sheet.may_grade && matches!(state, PeriodState::Grading | PeriodState::Closed) {
        let words = sheet_words(i18n);
        view! { <UnitGradeSheet sheet words /> }.into_any()
    } else {
        view! { <ReadOnly objectives=sheet.objectives /> }.into_any()
    };
    view! {
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, breadcrumbs).to_string()>
            <ol>
                <li><a href=format!("/units/{unit}?period={period}")>{unit_name.clone()}</a></li>
                <li aria-current="page">{title}</li>
            </ol>
        </nav>
        <section class="page-head">
            <div>
                <p class="eyebrow">{title} " · " {period_name.clone()} " · " {move || state_name(i18n, state)}</p>
                <h1>{unit_name.clone()}</h1>
                <p class="lead">{lead}</p>
                <p class="hint">{t!(i18n, sheet_bands)}</p>
            </div>
            {switcher}
        </section>
        {body}
        <p class="no-print"><a href=format!("/periods/{period}/summary")>{t!(i18n, sheet_to_summary)}</a></p>
        <crate::error::PageProblemWords />
    }
}

/// The grades given, without a form.
#[component]
fn ReadOnly(objectives: Vec<GradingStart>) -> impl IntoView {
    let i18n = use_i18n();
    objectives
        .into_iter()
        .map(|o| {
            let grades: Vec<(cairn::grading::Grade, f64)> = o
                .lines
                .iter()
                .filter_map(|l| Some((cairn::grading::Grade::parse(l.grade?).ok()?, l.weight)))
                .collect();
            let total = cairn::grading::Grade::weighted_mean(&grades).map(|g| g.get());
            view! {
                <section class="sheet-objective">
                    <h2><a href=format!("/objectives/{}", o.objective)>{o.title.clone()}</a></h2>
                    <ul class="key-results">
                        {o.lines.iter().cloned().map(|l| view! {
                            <li class="grade-line">
                                <span class="grade-kr">{l.title}</span> " "
                                {match l.grade {
                                    Some(grade) => view! { <crate::okr::GradeBadge grade /> }.into_any(),
                                    None => view! { <span class="hint">{t!(i18n, summary_ungraded)}</span> }.into_any(),
                                }}
                                {l.reason.map(|r| view! { <p class="hint">{r}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                    {total.map(|grade| view! { <crate::okr::GradeBadge grade /> })}
                    {(!o.retrospective.is_empty()).then(|| view! { <blockquote class="retrospective"><p>{o.retrospective.clone()}</p></blockquote> })}
                </section>
            }
        })
        .collect_view()
}

fn sheet_words(i18n: leptos_i18n::I18nContext<Locale>) -> SheetWords {
    let s = |text: &str| text.to_string();
    SheetWords {
        mark: crate::ui::decimal_mark(i18n),
        grade: s(t_string!(i18n, grade_label)),
        suggested: s(t_string!(i18n, grade_suggested)),
        weight: s(t_string!(i18n, sheet_weight)),
        reason: s(t_string!(i18n, grade_reason)),
        reason_hint: s(t_string!(i18n, grade_reason_hint)),
        retrospective: s(t_string!(i18n, grade_retrospective)),
        objective_grade: s(t_string!(i18n, grade_objective)),
        expected_committed: s(t_string!(i18n, sheet_expected)),
        expected_aspirational: s(t_string!(i18n, sheet_expected_about)),
        committed: s(t_string!(i18n, committed)),
        aspirational: s(t_string!(i18n, aspirational)),
        graded_of: s(t_string!(i18n, sheet_graded_of)),
        to_fix: s(t_string!(i18n, sheet_to_fix)),
        save: s(t_string!(i18n, sheet_save)),
        saving: s(t_string!(i18n, check_in_saving)),
        saved: s(t_string!(i18n, check_in_saved)),
        fix_first: s(t_string!(i18n, editor_fix_first)),
        not_saved: s(t_string!(i18n, not_saved)),
        invalid: s(t_string!(i18n, sheet_invalid)),
    }
}
