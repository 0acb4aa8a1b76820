//! The grading sheet: a grade per key result, pre-filled from final progress, a
//! reason wherever the grade departs from that, a retrospective; the objective's
//! grade rolls up as you type, beside what its kind is expected to reach.

use cairn::draft::Problem;
use cairn::grading::{Grade, GradeLine, OVERRIDE_TOLERANCE, grade_sheet};
use leptos::prelude::*;

use super::api::{carry_forward, save_grades};
use super::model::GradingStart;
use crate::error::AppError;

crate::ui::island_words! {
pub struct GradeWords {
    grade,
    suggested,
    reason,
    reason_hint,
    retrospective,
    objective_grade,
    expected_committed,
    expected_aspirational,
    save,
    saving,
    saved,
    fix_first,
    carry_title,
    carry_button,
    not_saved,
    /// The reader's decimal mark: "," or ".".
    mark,
    open_copy,
}
}

impl GradeWords {
    /// A field problem's message.
    fn problem(&self, problem: &cairn::draft::FieldProblem) -> String {
        crate::error::ProblemWords::field_in_island(problem, &self.fix_first)
    }

    /// Why saving failed, apart from field problems.
    fn refusal(&self, error: &AppError) -> String {
        crate::error::ProblemWords::refusal_in_island(&self.not_saved, error)
    }
}

#[derive(Clone, Copy)]
struct Line {
    key_result: i64,
    weight: f64,
    suggested: f64,
    grade: RwSignal<String>,
    reason: RwSignal<String>,
}

#[cfg_attr(island_grade_form, island)]
#[cfg_attr(not(island_grade_form), component)]
pub fn GradeForm(start: GradingStart, words: GradeWords) -> impl IntoView {
    let hydrated = crate::ui::use_hydrated();
    let words = StoredValue::new(words);
    let w = words.get_value();
    let numbers = crate::ui::style_of_mark(&w.mark);
    let version = RwSignal::new(start.version);
    let objective = start.objective;
    let lines: Vec<(Line, String, f64)> = start
        .lines
        .iter()
        .map(|l| {
            (
                Line {
                    key_result: l.key_result,
                    weight: l.weight,
                    suggested: l.suggested,
                    grade: RwSignal::new(crate::ui::with_mark(
                        &w.mark,
                        l.grade.unwrap_or(l.suggested),
                        1,
                    )),
                    reason: RwSignal::new(l.reason.clone().unwrap_or_default()),
                },
                l.title.clone(),
                l.progress,
            )
        })
        .collect();
    let all: Vec<Line> = lines.iter().map(|(l, _, _)| *l).collect();
    let all = StoredValue::new(all);
    let retrospective = RwSignal::new(start.retrospective.clone());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let status = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let tried = RwSignal::new(false);
    let sheet = move || {
        all.with_value(|lines| {
            lines
                .iter()
                .map(|l| GradeLine {
                    key_result: l.key_result,
                    grade: l.grade.get(),
                    reason: l.reason.get(),
                })
                .collect::<Vec<_>>()
        })
    };
    let suggestions = move || {
        all.with_value(|lines| {
            lines
                .iter()
                .map(|l| {
                    (
                        l.key_result,
                        l.weight,
                        Grade::parse(l.suggested)
                            .unwrap_or(Grade::suggested(cairn::Progress::ZERO)),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    Effect::new(move || {
        if tried.get() {
            problems.set(
                grade_sheet(&sheet(), &retrospective.get(), &suggestions(), numbers)
                    .err()
                    .unwrap_or_default(),
            );
        }
    });
    // The objective's grade as it stands, from whatever parses.
    let rolled_up = move || {
        let grades: Vec<(Grade, f64)> = all.with_value(|lines| {
            lines
                .iter()
                .filter_map(|l| {
                    let g = numbers
                        .parse(&l.grade.get())
                        .ok()
                        .and_then(|n| Grade::parse(n).ok())?;
                    Some((g, l.weight))
                })
                .collect()
        });
        Grade::weighted_mean(&grades)
            .map(|g| words.with_value(|w| crate::ui::with_mark(&w.mark, g.get(), 2)))
    };
    let error_of = move |field: String| {
        problems.with(|list| {
            list.iter()
                .find(|p| p.field == field)
                .map(|p| words.with_value(|w| w.problem(&p.problem)))
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        tried.set(true);
        status.set(None);
        let lines = untrack(sheet);
        let retro = retrospective.get_untracked();
        if let Err(found) = grade_sheet(&lines, &retro, &untrack(suggestions), numbers) {
            problems.set(found);
            status.set(Some(Err(words.with_value(|w| w.fix_first.clone()))));
            return;
        }
        busy.set(true);
        let at = version.get_untracked();
        leptos::task::spawn_local(async move {
            match save_grades(objective, at, lines, retro).await {
                Ok(_) => {
                    version.update(|v| *v += 1);
                    status.set(Some(Ok(words.with_value(|w| w.saved.clone()))));
                }
                Err(AppError::Form(found)) => {
                    problems.set(found);
                    status.set(Some(Err(words.with_value(|w| w.fix_first.clone()))));
                }
                Err(error) => status.set(Some(Err(words.with_value(|w| w.refusal(&error))))),
            }
            busy.set(false);
        });
    };
    let expected_note = if start.committed {
        w.expected_committed.clone()
    } else {
        w.expected_aspirational.clone()
    };
    let expected = start.expected;
    let carry = RwSignal::new(
        start
            .carry_targets
            .first()
            .map(|(id, _)| *id)
            .unwrap_or_default(),
    );
    let carry_status = RwSignal::new(None::<String>);
    // The copy a second carry found, to link to.
    let carried_copy = RwSignal::new(None::<i64>);
    let on_carry = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let to = carry.get_untracked();
        leptos::task::spawn_local(async move {
            match carry_forward(objective, to).await {
                Ok(id) => {
                    let _ = window()
                        .location()
                        .set_href(&format!("/objectives/{id}/edit"));
                }
                Err(error) => {
                    if let AppError::Rule(cairn::rules::Rule::AlreadyCarried { copy }) = &error {
                        carried_copy.set(Some(copy.0));
                    }
                    carry_status.set(Some(words.with_value(|w| w.refusal(&error))));
                }
            }
        });
    };
    let may_grade = start.may_grade;
    view! {
        {may_grade.then(|| view! {
            <form class="editor grade-sheet" novalidate on:submit=submit data-ready=move || hydrated.get().then_some("")>
                <ol class="grade-lines">
                    {lines.into_iter().enumerate().map(|(i, (line, title, progress))| {
                        let id = format!("grade-{}", line.key_result);
                        let overridden = move || {
                            numbers.parse(&line.grade.get()).is_ok_and(|g| (g - line.suggested).abs() > OVERRIDE_TOLERANCE + 1e-9)
                        };
                        let w = words.get_value();
                        view! {
                            <li class="grade-line">
                                <p class="grade-kr">{title}</p>
                                <div class="editor-row">
                                    <div class="field number">
                                        <label for=id.clone()>{w.grade.clone()}</label>
                                        <input id=id.clone() type="text" inputmode="decimal" maxlength="8" prop:value=line.grade
                                            on:input=move |ev| line.grade.set(event_target_value(&ev))
                                            aria-invalid=move || error_of(format!("grades.{i}.grade")).map(|_| "true") />
                                        <span class="field-error">{move || error_of(format!("grades.{i}.grade"))}</span>
                                    </div>
                                    <p class="hint">{format!("{} {} · {} %", w.suggested, crate::ui::with_mark(&w.mark, line.suggested, 1), crate::ui::percent(progress))}</p>
                                </div>
                                <div class="field" class:hidden-field=move || !overridden() && line.reason.with(String::is_empty)>
                                    <label for=format!("{id}-reason")>{w.reason.clone()}</label>
                                    <textarea id=format!("{id}-reason") rows="2" prop:value=line.reason
                                        on:input=move |ev| line.reason.set(event_target_value(&ev))
                                        aria-invalid=move || error_of(format!("grades.{i}.reason")).map(|_| "true")></textarea>
                                    <span class="hint">{w.reason_hint.clone()}</span>
                                    <span class="field-error">{move || error_of(format!("grades.{i}.reason"))}</span>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                <p class="grade-total">
                    <strong>{w.objective_grade.clone()} " "</strong>
                    <output class="grade-value">{move || rolled_up().unwrap_or_else(|| "–".into())}</output>
                    <span class="hint">{format!(" · {expected_note} {}", crate::ui::with_mark(&w.mark, expected, 1))}</span>
                </p>
                <div class="field">
                    <label for="grade-retrospective">{w.retrospective.clone()}</label>
                    <textarea id="grade-retrospective" rows="4" prop:value=retrospective
                        on:input=move |ev| retrospective.set(event_target_value(&ev))></textarea>
                    <span class="field-error">{move || error_of("retrospective".into())}</span>
                </div>
                <div class="editor-actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>
                        {move || words.with_value(|w| if busy.get() { w.saving.clone() } else { w.save.clone() })}
                    </button>
                    <p role="status" class="form-status" class:refused=move || status.with(|s| matches!(s, Some(Err(_))))>
                        {move || status.with(|s| match s { Some(Ok(m)) | Some(Err(m)) => m.clone(), None => String::new() })}
                    </p>
                </div>
            </form>
        })}
        {(!start.carry_targets.is_empty()).then(|| view! {
            <form class="carry-forward" on:submit=on_carry>
                <label for="carry-to">{w.carry_title.clone()}</label>
                <select id="carry-to" on:change=move |ev| carry.set(event_target_value(&ev).parse().unwrap_or_default())>
                    {start.carry_targets.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                </select>
                <button type="submit">{w.carry_button.clone()}</button>
                <p role="status" class="form-status refused">
                    {move || carry_status.get()}
                    {move || carried_copy.get().map(|copy| view! { " " <a id="carried-copy" href=format!("/objectives/{copy}")>{words.with_value(|w| w.open_copy.clone())}</a> })}
                </p>
            </form>
        })}
    }
}
