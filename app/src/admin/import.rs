//! The CSV import form: two files' text, checked whole; every row's problem is
//! listed and nothing is stored, or everything is.

use leptos::prelude::*;

use cairn::import::{ImportFile, RowRefusal};

use super::api::import_csv;
use super::model::ImportProblem;

crate::ui::island_words! {
pub struct ImportWords {
    units,
    units_hint,
    people,
    people_hint,
    import,
    importing,
    done,
    problems,
    row,
    failed,
    file_units,
    file_people,
    column_name,
    column_email,
    unknown_kind,
    unknown_role,
    unit_exists,
    unknown_parent,
    parent_needed,
    email_taken,
    unknown_unit,
    not_csv,
    /// "... {column}"
    missing_column,
    too_many_rows,
    nothing,
}
}

impl ImportWords {
    fn file(&self, file: ImportFile) -> &str {
        match file {
            ImportFile::Units => &self.file_units,
            ImportFile::People => &self.file_people,
        }
    }

    /// Why a row was refused, in one sentence.
    fn refusal(&self, refusal: &RowRefusal) -> String {
        let value = |value: &cairn::values::ValueError| {
            #[cfg(feature = "hydrate")]
            {
                crate::error::ProblemWords::from_page()
                    .value(value)
                    .to_string()
            }
            #[cfg(not(feature = "hydrate"))]
            {
                value.to_string()
            }
        };
        match refusal {
            RowRefusal::Name(problem) => format!("{}: {}", self.column_name, value(problem)),
            RowRefusal::Email(problem) => format!("{}: {}", self.column_email, value(problem)),
            RowRefusal::UnknownKind => self.unknown_kind.clone(),
            RowRefusal::UnknownRole => self.unknown_role.clone(),
            RowRefusal::UnitExists => self.unit_exists.clone(),
            RowRefusal::UnknownParent => self.unknown_parent.clone(),
            RowRefusal::ParentNeeded => self.parent_needed.clone(),
            RowRefusal::EmailTaken => self.email_taken.clone(),
            RowRefusal::UnknownUnit => self.unknown_unit.clone(),
            RowRefusal::NotCsv => self.not_csv.clone(),
            RowRefusal::MissingColumn { column } => self.missing_column.replace("{column}", column),
            RowRefusal::TooManyRows => self.too_many_rows.clone(),
            RowRefusal::Nothing => self.nothing.clone(),
        }
    }
}

#[cfg_attr(island_import_form, island)]
#[cfg_attr(not(island_import_form), component)]
pub fn ImportForm(words: ImportWords) -> impl IntoView {
    let hydrated = crate::ui::use_hydrated();
    let w = StoredValue::new(words);
    let units = RwSignal::new(String::new());
    let people = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, Result<Vec<ImportProblem>, String>>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        outcome.set(None);
        let (u, p) = (units.get_untracked(), people.get_untracked());
        leptos::task::spawn_local(async move {
            let result = match import_csv(u, p).await {
                Ok(Ok((units, people))) => Ok(w.with_value(|w| {
                    w.done
                        .replace("{units}", &units.to_string())
                        .replace("{people}", &people.to_string())
                })),
                Ok(Err(problems)) => Err(Ok(problems)),
                Err(error) => Err(Err(w.with_value(|w| {
                    #[cfg(feature = "hydrate")]
                    {
                        crate::error::ProblemWords::from_page().refusal(&w.failed, &error)
                    }
                    #[cfg(not(feature = "hydrate"))]
                    {
                        let _ = &error;
                        w.failed.clone()
                    }
                }))),
            };
            outcome.set(Some(result));
            busy.set(false);
        });
    };
    let v = w.get_value();
    view! {
        <form class="editor import-form" on:submit=submit data-ready=move || hydrated.get().then_some("")>
            <div class="field">
                <label for="import-units">{v.units.clone()}</label>
                <textarea id="import-units" rows="6" spellcheck="false" aria-describedby="import-units-hint" prop:value=units
                    on:input=move |ev| units.set(event_target_value(&ev))></textarea>
                <span class="hint" id="import-units-hint">{v.units_hint.clone()}</span>
            </div>
            <div class="field">
                <label for="import-people">{v.people.clone()}</label>
                <textarea id="import-people" rows="8" spellcheck="false" aria-describedby="import-people-hint" prop:value=people
                    on:input=move |ev| people.set(event_target_value(&ev))></textarea>
                <span class="hint" id="import-people-hint">{v.people_hint.clone()}</span>
            </div>
            <div class="editor-actions">
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || w.with_value(|w| if busy.get() { w.importing.clone() } else { w.import.clone() })}
                </button>
            </div>
            <div role="status" aria-live="polite" class="import-outcome">
                {move || outcome.get().map(|result| match result {
                    Ok(message) => view! { <p class="notice">{message}</p> }.into_any(),
                    Err(Err(message)) => view! { <p class="form-error" role="alert">{message}</p> }.into_any(),
                    Err(Ok(problems)) => view! {
                        <div class="form-error">
                            <p>{w.with_value(|w| w.problems.clone())}</p>
                            <table class="import-problems">
                                <thead><tr><th scope="col">{w.with_value(|w| w.row.clone())}</th><th scope="col"></th></tr></thead>
                                <tbody>
                                    {problems.into_iter().map(|p| {
                                        let (file, why) = w.with_value(|w| (w.file(p.file).to_string(), w.refusal(&p.refusal)));
                                        view! {
                                            <tr><td>{format!("{file} {}", p.row)}</td><td>{why} " " <code>{p.refusal.code()}</code></td></tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                })}
            </div>
        </form>
    }
}
