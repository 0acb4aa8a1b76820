//! The CSV import form: two files' text, checked whole; every row's problem is
//! listed and nothing is stored, or everything is.

use leptos::prelude::*;

use super::api::{ImportProblem, import_csv};

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
}
}

#[cfg_attr(any(feature = "ssr", feature = "hydrate-write"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "hydrate-write")), component)]
pub fn ImportForm(words: ImportWords) -> impl IntoView {
    let hydrated = crate::ui::use_hydrated();
    let w = StoredValue::new(words);
    let units = RwSignal::new(String::new());
    let people = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, Vec<ImportProblem>>>);
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
                Ok(Err(problems)) => Err(problems),
                Err(error) => Err(vec![ImportProblem {
                    file: String::new(),
                    row: 0,
                    code: error.to_string(),
                }]),
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
                    Err(problems) => view! {
                        <div class="form-error">
                            <p>{w.with_value(|w| w.problems.clone())}</p>
                            <table class="import-problems">
                                <thead><tr><th scope="col">{w.with_value(|w| w.row.clone())}</th><th scope="col"></th></tr></thead>
                                <tbody>
                                    {problems.into_iter().map(|p| view! {
                                        <tr><td>{format!("{} {}", p.file, p.row)}</td><td><code>{p.code}</code></td></tr>
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
