//! `/admin/sheets`: upload a sheet; then correct how its columns are read, match
//! the names it uses, see the tree it becomes with every problem by row, and
//! import it. Plain forms: the page works before (and without) any script.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::importer_page;
use super::draft::Draft;
use super::model::{FileProblem, SheetOutcome, SheetPage};
use super::words::file_problem;
use crate::i18n::*;

#[component]
pub fn SheetImportPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| importer_page());
    crate::layout::loaded(data, |page| view! { <Sheets page /> })
}

#[component]
fn Sheets(page: SheetPage) -> impl IntoView {
    let i18n = use_i18n();
    // The upload was larger than the server reads: it said so in the address.
    let too_large =
        use_query_map().with_untracked(|q| q.get("refused").as_deref() == Some("too-large"));
    let too_large = too_large.then_some(SheetOutcome::File(FileProblem::TooLarge {
        max_mb: super::model::MAX_BYTES / (1024 * 1024),
    }));
    let outcome = page.outcome.clone().or(too_large);
    let body = match page.draft.clone() {
        Some(draft) => view! { <Draft draft page=page.clone() /> }.into_any(),
        None => view! { <Upload /> }.into_any(),
    };
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, admin_eyebrow)}</p>
                <h1>{t!(i18n, sheets_title)}</h1>
                <p class="lead">{t!(i18n, sheets_lead)}</p>
            </div>
        </section>
        <Outcome outcome />
        {body}
    }
}

#[component]
fn Upload() -> impl IntoView {
    let i18n = use_i18n();
    let dutch = i18n.get_locale_untracked() == Locale::nl;
    view! {
        <form class="editor sheet-upload" method="post" action="/admin/sheets" enctype="multipart/form-data">
            <div class="field">
                <label for="sheet-file">{t!(i18n, sheets_file)}</label>
                <input id="sheet-file" name="file" type="file" required
                    accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
            </div>
            <NumbersField dutch />
            <div class="editor-actions">
                <button type="submit" class="primary">{t!(i18n, sheets_read)}</button>
            </div>
            <p class="hint">{t!(i18n, sheets_examples_hint)}</p>
        </form>
    }
}

/// How the sheet writes its numbers: `12.000,5` or `12,000.5`.
#[component]
pub(super) fn NumbersField(dutch: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for="sheet-language">{t!(i18n, sheets_numbers)}</label>
            <select id="sheet-language" name="language">
                <option value="nl" selected=dutch>{t!(i18n, sheets_numbers_nl)}</option>
                <option value="en" selected=!dutch>{t!(i18n, sheets_numbers_en)}</option>
            </select>
        </div>
    }
}

/// What the last step did: stored, or why nothing was.
#[component]
fn Outcome(outcome: Option<SheetOutcome>) -> impl IntoView {
    let i18n = use_i18n();
    let words = super::words::problem_words(i18n);
    let not_stored = t_string!(i18n, sheets_not_stored).to_string();
    outcome.map(|outcome| match outcome {
        SheetOutcome::Imported { objectives, key_results, check_ins, first } => {
            let said = t_string!(
                i18n,
                sheets_imported,
                objectives = objectives,
                results = key_results,
                check_ins = check_ins
            )
            .to_string();
            let link = first.map(|id| view! {
                " " <a href=format!("/objectives/{id}")>{t!(i18n, sheets_see_first)}</a>
            });
            view! { <p class="notice" role="status" id="sheet-outcome">{said}{link}</p> }.into_any()
        }
        SheetOutcome::File(problem) => view! {
            <p class="form-error" role="alert" id="sheet-outcome">{file_problem(i18n, &problem)}</p>
        }
        .into_any(),
        SheetOutcome::Refused { row, error } => {
            let context = match row {
                Some(row) => t_string!(i18n, sheets_not_stored_row, row = row).to_string(),
                None => not_stored.clone(),
            };
            view! { <p class="form-error" role="alert" id="sheet-outcome">{words.refusal(&context, &error)}</p> }
                .into_any()
        }
        SheetOutcome::NewPerson { text, error } => {
            let context = t_string!(i18n, sheets_new_person_refused, text = text.as_str()).to_string();
            view! { <p class="form-error" role="alert" id="sheet-outcome">{words.refusal(&context, &error)}</p> }
                .into_any()
        }
    })
}
