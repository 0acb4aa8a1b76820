//! A unit's grading sheet: every objective the unit owns in the period on one
//! page, each key result pre-filled from its final progress, coloured by its band
//! as it is typed, an invalid line flagged where it is (and its objective's total
//! withheld, never computed without it), progress through the sheet, and one save
//! for all of it.

use cairn::draft::Problem;
use cairn::grading::{Grade, GradeLine, OVERRIDE_TOLERANCE, grade_sheet};
use cairn::numbers::NumberStyle;
use leptos::prelude::*;

use super::api::save_unit_grades;
use super::model::{GradingStart, ObjectiveGrades, UnitSheet};
use crate::error::AppError;

crate::ui::island_words! {
pub struct SheetWords {
    /// The reader's decimal mark: "," or ".".
    mark,
    grade,
    suggested,
    weight,
    reason,
    reason_hint,
    retrospective,
    objective_grade,
    expected_committed,
    expected_aspirational,
    committed,
    aspirational,
    /// "%graded% of %total% key results graded".
    graded_of,
    /// "%count% to fix".
    to_fix,
    save,
    saving,
    saved,
    fix_first,
    not_saved,
    invalid,
}
}

impl SheetWords {
    /// A field problem's message.
    fn problem(&self, problem: &cairn::draft::FieldProblem) -> String {
        crate::error::ProblemWords::field_in_island(problem, &self.invalid)
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
    /// Whether a grade for it is stored.
    stored: RwSignal<bool>,
    /// How the reader writes numbers.
    numbers: NumberStyle,
}

impl Line {
    fn parsed(&self) -> Option<Grade> {
        self.numbers
            .parse(&self.grade.get())
            .ok()
            .and_then(|n| Grade::parse(n).ok())
    }

    fn overridden(&self) -> bool {
        self.parsed()
            .is_some_and(|g| (g.get() - self.suggested).abs() > OVERRIDE_TOLERANCE + 1e-9)
    }
}

#[derive(Clone, Copy)]
struct Sheet {
    objective: i64,
    version: RwSignal<i64>,
    lines: StoredValue<Vec<Line>>,
    retrospective: RwSignal<String>,
}

impl Sheet {
    fn grades(&self) -> Vec<GradeLine> {
        self.lines.with_value(|lines| {
            lines
                .iter()
                .map(|l| GradeLine {
                    key_result: l.key_result,
                    grade: l.grade.get(),
                    reason: l.reason.get(),
                })
                .collect()
        })
    }

    fn suggestions(&self) -> Vec<(i64, f64, Grade)> {
        self.lines.with_value(|lines| {
            lines
                .iter()
                .map(|l| {
                    let s = Grade::parse(l.suggested)
                        .unwrap_or(Grade::suggested(cairn::Progress::ZERO));
                    (l.key_result, l.weight, s)
                })
                .collect()
        })
    }

    /// The objective's grade as typed, or None while a line does not parse.
    fn total(&self) -> Option<Grade> {
        let grades: Option<Vec<(Grade, f64)>> = self.lines.with_value(|lines| {
            lines
                .iter()
                .map(|l| l.parsed().map(|g| (g, l.weight)))
                .collect()
        });
        grades.and_then(|g| Grade::weighted_mean(&g))
    }
}

fn band(grade: Option<Grade>) -> &'static str {
    match grade.map(Grade::band) {
        Some(cairn::grading::Band::Red) => "band-red",
        Some(cairn::grading::Band::Yellow) => "band-yellow",
        Some(cairn::grading::Band::Green) => "band-green",
        None => "band-invalid",
    }
}

#[cfg_attr(island_unit_grade_sheet, island)]
#[cfg_attr(not(island_unit_grade_sheet), component)]
pub fn UnitGradeSheet(sheet: UnitSheet, words: SheetWords) -> impl IntoView {
    let hydrated = crate::ui::use_hydrated();
    let words = StoredValue::new(words);
    let w = words.get_value();
    let mark = w.mark.clone();
    let numbers = crate::ui::style_of_mark(&mark);
    let unit = sheet.unit.0;
    let sheets: Vec<(Sheet, GradingStart)> = sheet
        .objectives
        .into_iter()
        .map(|start| {
            let lines = start
                .lines
                .iter()
                .map(|l| Line {
                    key_result: l.key_result,
                    weight: l.weight,
                    suggested: l.suggested,
                    grade: RwSignal::new(crate::ui::with_mark(
                        &mark,
                        l.grade.unwrap_or(l.suggested),
                        1,
                    )),
                    reason: RwSignal::new(l.reason.clone().unwrap_or_default()),
                    stored: RwSignal::new(l.grade.is_some()),
                    numbers,
                })
                .collect();
            let s = Sheet {
                objective: start.objective,
                version: RwSignal::new(start.version),
                lines: StoredValue::new(lines),
                retrospective: RwSignal::new(start.retrospective.clone()),
            };
            (s, start)
        })
        .collect();
    let all: StoredValue<Vec<Sheet>> = StoredValue::new(sheets.iter().map(|(s, _)| *s).collect());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let status = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let total_lines: usize =
        all.with_value(|s| s.iter().map(|s| s.lines.with_value(Vec::len)).sum());
    let graded = move || {
        all.with_value(|sheets| {
            sheets
                .iter()
                .map(|s| {
                    s.lines
                        .with_value(|l| l.iter().filter(|l| l.stored.get()).count())
                })
                .sum::<usize>()
        })
    };
    let invalid = move || {
        all.with_value(|sheets| {
            sheets
                .iter()
                .map(|s| {
                    s.lines
                        .with_value(|l| l.iter().filter(|l| l.parsed().is_none()).count())
                })
                .sum::<usize>()
        })
    };
    let check_all = move || -> Vec<Problem> {
        all.with_value(|sheets| {
            sheets
                .iter()
                .enumerate()
                .flat_map(|(i, s)| {
                    grade_sheet(
                        &s.grades(),
                        &s.retrospective.get(),
                        &s.suggestions(),
                        numbers,
                    )
                    .err()
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |p| Problem {
                        field: format!("objectives.{i}.{}", p.field),
                        problem: p.problem,
                    })
                })
                .collect()
        })
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
        status.set(None);
        let found = untrack(check_all);
        if !found.is_empty() {
            problems.set(found);
            status.set(Some(Err(words.with_value(|w| w.fix_first.clone()))));
            return;
        }
        problems.set(Vec::new());
        let payload: Vec<ObjectiveGrades> = untrack(|| {
            all.with_value(|sheets| {
                sheets
                    .iter()
                    .map(|s| ObjectiveGrades {
                        objective: s.objective,
                        version: s.version.get(),
                        lines: s.grades(),
                        retrospective: s.retrospective.get(),
                    })
                    .collect()
            })
        });
        busy.set(true);
        leptos::task::spawn_local(async move {
            match save_unit_grades(unit, payload).await {
                Ok(()) => {
                    all.with_value(|sheets| {
                        for s in sheets {
                            s.version.update(|v| *v += 1);
                            s.lines
                                .with_value(|l| l.iter().for_each(|l| l.stored.set(true)));
                        }
                    });
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
    let graded_text = move || {
        words.with_value(|w| {
            w.graded_of
                .replace("%graded%", &graded().to_string())
                .replace("%total%", &total_lines.to_string())
        })
    };
    view! {
        <form class="editor grade-sheet unit-sheet" novalidate on:submit=submit data-ready=move || hydrated.get().then_some("")>
            <p class="sheet-progress" role="status">
                <progress max=total_lines.max(1) value=graded></progress>
                " " <span id="sheet-graded">{graded_text}</span>
                {move || {
                    let n = invalid();
                    (n > 0).then(|| view! { " · " <span class="band-invalid" id="sheet-to-fix">{words.with_value(|w| w.to_fix.replace("%count%", &n.to_string()))}</span> })
                }}
            </p>
            {sheets.into_iter().enumerate().map(|(j, (s, start))| {
                let w = words.get_value();
                let expected = if start.committed {
                    format!("{} · {} {}", w.committed, w.expected_committed, crate::ui::with_mark(&w.mark, start.expected, 1))
                } else {
                    format!("{} · {} {}", w.aspirational, w.expected_aspirational, crate::ui::with_mark(&w.mark, start.expected, 1))
                };
                let mark = w.mark.clone();
                let total = move || s.total().map(|g| crate::ui::with_mark(&mark, g.get(), 2));
                let lines = s.lines.get_value();
                let total_weight: f64 = lines.iter().map(|l| l.weight).sum::<f64>().max(f64::MIN_POSITIVE);
                view! {
                    <fieldset class="sheet-objective" id=format!("sheet-{}", start.objective)>
                        <legend>
                            <a href=format!("/objectives/{}", start.objective)>{start.title.clone()}</a>
                        </legend>
                        <p class="hint">{expected}</p>
                        <ol class="grade-lines">
                            {lines.into_iter().zip(start.lines.iter().cloned()).enumerate().map(|(i, (line, view))| {
                                let id = format!("grade-{}", line.key_result);
                                let field = format!("objectives.{j}.grades.{i}");
                                let (f1, f2) = (field.clone(), field.clone());
                                let w = words.get_value();
                                let share = (line.weight / total_weight * 100.0).round();
                                view! {
                                    <li class="grade-line" class:line-invalid=move || line.parsed().is_none()>
                                        <p class="grade-kr">{view.title.clone()}</p>
                                        <div class="editor-row">
                                            <div class="field number">
                                                <label for=id.clone()>{w.grade.clone()}</label>
                                                <input id=id.clone() type="text" inputmode="decimal" maxlength="8" prop:value=line.grade
                                                    class=move || band(line.parsed())
                                                    on:input=move |ev| line.grade.set(event_target_value(&ev))
                                                    aria-invalid=move || (line.parsed().is_none() || error_of(format!("{f1}.grade")).is_some()).then_some("true") />
                                                <span class="field-error">{move || {
                                                    error_of(format!("{f2}.grade")).or_else(|| line.parsed().is_none().then(|| words.with_value(|w| w.invalid.clone())))
                                                }}</span>
                                            </div>
                                            <p class="hint">{format!("{} {} · {} {} ({share} %) · {} %",
                                                w.suggested, crate::ui::with_mark(&w.mark, line.suggested, 1),
                                                w.weight, crate::ui::with_mark(&w.mark, line.weight, 0), crate::ui::percent(view.progress))}</p>
                                        </div>
                                        <div class="field" class:hidden-field=move || !line.overridden() && line.reason.with(String::is_empty)>
                                            <label for=format!("{id}-reason")>{w.reason.clone()}</label>
                                            <textarea id=format!("{id}-reason") rows="2" maxlength="10000" prop:value=line.reason
                                                on:input=move |ev| line.reason.set(event_target_value(&ev))></textarea>
                                            <span class="hint">{w.reason_hint.clone()}</span>
                                            <span class="field-error">{
                                                let f = field.clone();
                                                move || error_of(format!("{f}.reason"))
                                            }</span>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                        <p class="grade-total">
                            <strong>{w.objective_grade.clone()} " "</strong>
                            <output class=move || format!("grade-value {}", band(s.total()))>{move || total().unwrap_or_else(|| "–".into())}</output>
                        </p>
                        <div class="field">
                            <label for=format!("retro-{}", start.objective)>{w.retrospective.clone()}</label>
                            <textarea id=format!("retro-{}", start.objective) rows="3" maxlength="10000" prop:value=s.retrospective
                                on:input=move |ev| s.retrospective.set(event_target_value(&ev))></textarea>
                            <span class="field-error">{move || error_of(format!("objectives.{j}.retrospective"))}</span>
                        </div>
                    </fieldset>
                }
            }).collect_view()}
            <div class="editor-actions">
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || words.with_value(|w| if busy.get() { w.saving.clone() } else { w.save.clone() })}
                </button>
                <p role="status" class="form-status" class:refused=move || status.with(|s| matches!(s, Some(Err(_))))>
                    {move || status.with(|s| match s { Some(Ok(m)) | Some(Err(m)) => m.clone(), None => String::new() })}
                </p>
            </div>
        </form>
    }
}
