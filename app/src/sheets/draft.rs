//! The sheet being imported: one form with how each column is read, what each
//! name the sheet uses matches (or is made as), the period and unit for rows
//! that name none; beside it the tree the sheet becomes and its problems by row.

use leptos::prelude::*;

use cairn::grading::Commitment;
use cairn::sheet::{Column, PlannedKeyResult, PlannedObjective};

use super::model::{DraftView, NameMatch, Pick, Pickable, SheetPage};
use super::view::NumbersField;
use super::words::{column_label, row_problem};
use crate::i18n::*;

type I18n = leptos_i18n::I18nContext<Locale>;

#[component]
pub(super) fn Draft(draft: DraftView, page: SheetPage) -> impl IntoView {
    let i18n = use_i18n();
    let ready = draft.ready();
    let objectives = draft.plan.objectives.len();
    let key_results = draft.plan.key_result_count();
    let import_label = t_string!(
        i18n,
        sheets_import,
        objectives = objectives,
        results = key_results
    )
    .to_string();
    let summary = t_string!(
        i18n,
        sheets_file_read,
        file = draft.file.as_str(),
        rows = draft.rows
    )
    .to_string();
    view! {
        <form class="sheet-draft" method="post" action="/admin/sheets/draft" id="sheet-draft">
            <p class="sheet-file">{summary}</p>
            <h2>{t!(i18n, sheets_columns)}</h2>
            <Columns draft=draft.clone() />
            <NumbersField dutch=draft.language == "nl" />
            <Names draft=draft.clone() page=page.clone() />
            <Defaults draft=draft.clone() page />
            <div class="editor-actions">
                <button type="submit" name="action" value="look">{t!(i18n, sheets_look)}</button>
                <button id="sheet-import" disabled=!ready type="submit" name="action" value="import" class="primary">
                    {import_label}
                </button>
            </div>
            {(!ready).then(|| view! { <p class="hint">{t!(i18n, sheets_not_ready)}</p> })}
        </form>
        <form method="post" action="/admin/sheets/draft" class="sheet-discard">
            <button type="submit" name="action" value="discard">{t!(i18n, sheets_start_over)}</button>
        </form>
        <Preview draft />
    }
}

#[component]
fn Columns(draft: DraftView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="sheet-columns">
            <thead><tr>
                <th scope="col">{t!(i18n, sheets_header)}</th>
                <th scope="col">{t!(i18n, sheets_values)}</th>
                <th scope="col">{t!(i18n, sheets_read_as)}</th>
            </tr></thead>
            <tbody>
                {draft.columns.into_iter().enumerate().map(|(at, column)| {
                    let id = format!("column-{at}");
                    let chosen = column.column;
                    view! {
                        <tr>
                            <th scope="row"><label for=id.clone()>{column.header}</label></th>
                            <td class="sheet-samples">{column.samples.join(" · ")}</td>
                            <td>
                                <select id=id.clone() name=id>
                                    <option value="" selected=chosen.is_none()>{t!(i18n, sheets_left_out)}</option>
                                    {Column::ALL.iter().map(|c| view! {
                                        <option value=c.as_str() selected=chosen == Some(*c)>{column_label(i18n, *c)}</option>
                                    }).collect_view()}
                                </select>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Which names the sheet uses, and for each that matched nothing a choice.
#[component]
fn Names(draft: DraftView, page: SheetPage) -> impl IntoView {
    let i18n = use_i18n();
    let open = |names: &[NameMatch]| names.iter().filter(|n| n.found.is_none()).count();
    let unmatched = open(&draft.owners) + open(&draft.units) + open(&draft.periods);
    let matched = draft.owners.len() + draft.units.len() + draft.periods.len() - unmatched;
    let said = t_string!(i18n, sheets_matched, count = matched).to_string();
    let parents = draft.parents.clone();
    let rows = [
        name_rows(i18n, "owner", &draft.owners, &page.people, Kind::Person),
        name_rows(i18n, "unit", &draft.units, &page.units, Kind::Unit),
        name_rows(i18n, "period", &draft.periods, &page.periods, Kind::Period),
    ];
    view! {
        <h2>{t!(i18n, sheets_names)}</h2>
        <p>{said}</p>
        {(unmatched > 0).then(move || view! {
            <table class="sheet-names">
                <thead><tr>
                    <th scope="col">{t!(i18n, sheets_in_sheet)}</th>
                    <th scope="col">{t!(i18n, sheets_in_cairn)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        })}
        {parents.into_iter().map(|title| {
            let said = t_string!(i18n, sheets_unknown_parent, title = title.as_str()).to_string();
            view! { <p class="form-error">{said}</p> }
        }).collect_view()}
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Person,
    Unit,
    Period,
}

/// A row per name that matched nothing: a select of what it could be, and for
/// a new person their name and address.
fn name_rows(
    i18n: I18n,
    prefix: &'static str,
    names: &[NameMatch],
    options: &[Pickable],
    kind: Kind,
) -> AnyView {
    names
        .iter()
        .enumerate()
        .map(|(at, name)| {
            let field = format!("{prefix}-{at}");
            if name.found.is_some() {
                return ().into_any();
            }
            let text = view! { <input type="hidden" name=format!("{field}-text") value=name.text.clone() /> };
            let pick = name.pick.clone();
            let existing = match &pick {
                Some(Pick::Existing(id)) => Some(*id),
                _ => None,
            };
            let new_under = match &pick {
                Some(Pick::NewUnit { parent }) => Some(*parent),
                _ => None,
            };
            let is_new_person = matches!(pick, Some(Pick::NewPerson { .. }));
            let what = match kind {
                Kind::Person => t_string!(i18n, sheets_col_owner),
                Kind::Unit => t_string!(i18n, sheets_col_unit),
                Kind::Period => t_string!(i18n, sheets_col_period),
            };
            let (new_name, new_email) = match &pick {
                Some(Pick::NewPerson { name, email }) => (name.clone(), email.clone()),
                _ => suggested_person(&name.text),
            };
            let label = format!("{what}: {}", name.text);
            let existing_options = options
                .iter()
                .map(|o| {
                    let label = o.indented();
                    view! { <option value=format!("id:{}", o.id) selected=existing == Some(o.id)>{label}</option> }
                })
                .collect_view();
            let new_options = match kind {
                Kind::Person => view! {
                    <option value="new" selected=is_new_person>{t!(i18n, sheets_new_person)}</option>
                }
                .into_any(),
                Kind::Unit => view! {
                    <optgroup label=t_string!(i18n, sheets_new_unit_under).to_string()>
                        {options.iter().map(|o| {
                            let label = o.indented();
                            view! { <option value=format!("under:{}", o.id) selected=new_under == Some(o.id)>{label}</option> }
                        }).collect_view()}
                    </optgroup>
                }
                .into_any(),
                Kind::Period => ().into_any(),
            };
            let person_fields = (kind == Kind::Person).then(|| view! {
                <div class="sheet-new-person">
                    <label>{t!(i18n, admin_name)} " "
                        <input name=format!("{field}-name") value=new_name maxlength="120" /></label>
                    <label>{t!(i18n, email_label)} " "
                        <input name=format!("{field}-email") type="email" value=new_email maxlength="254" /></label>
                </div>
            });
            view! {
                <tr class="sheet-unmatched">
                    <th scope="row"><label for=field.clone()>{label}</label>{text}</th>
                    <td>
                        <select id=field.clone() name=field.clone()>
                            <option value="" selected=pick.is_none()>{t!(i18n, sheets_choose)}</option>
                            {new_options}
                            <optgroup label=t_string!(i18n, sheets_existing).to_string()>{existing_options}</optgroup>
                        </select>
                        {person_fields}
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect_view()
        .into_any()
}

/// A new person's name and address from what the sheet says: an address gives
/// a name from its first part ("anna.devries@…" is "Anna Devries").
fn suggested_person(text: &str) -> (String, String) {
    match text.split_once('@') {
        Some((local, _)) => {
            let name = local
                .split(['.', '_', '-'])
                .filter(|w| !w.is_empty())
                .map(|w| {
                    let mut chars = w.chars();
                    chars.next().map_or(String::new(), |first| {
                        first.to_uppercase().chain(chars).collect()
                    })
                })
                .collect::<Vec<_>>()
                .join(" ");
            (name, text.to_string())
        }
        None => (text.to_string(), String::new()),
    }
}

/// The period and unit for objectives whose row names none.
#[component]
fn Defaults(draft: DraftView, page: SheetPage) -> impl IntoView {
    let i18n = use_i18n();
    let select = |id: &'static str, options: &[Pickable], chosen: Option<i64>| {
        let options = options
            .iter()
            .map(|o| {
                let label = o.indented();
                view! { <option value=o.id.to_string() selected=chosen == Some(o.id)>{label}</option> }
            })
            .collect_view();
        view! {
            <select id=format!("sheet-{id}") name=id>
                <option value="" selected=chosen.is_none()>{t!(i18n, sheets_choose)}</option>
                {options}
            </select>
        }
    };
    let period = draft.needs_period().then(|| {
        view! {
            <div class="field"><label for="sheet-period">{t!(i18n, sheets_default_period)}</label>
                {select("period", &page.periods, draft.period)}</div>
        }
    });
    let unit = draft.needs_unit().then(|| {
        view! {
            <div class="field"><label for="sheet-unit">{t!(i18n, sheets_default_unit)}</label>
                {select("unit", &page.units, draft.unit)}</div>
        }
    });
    view! { {period} {unit} }
}

/// The tree the sheet becomes, and every problem by row.
#[component]
fn Preview(draft: DraftView) -> impl IntoView {
    let i18n = use_i18n();
    let words = super::words::problem_words(i18n);
    let headers: Vec<(Column, String)> = draft
        .columns
        .iter()
        .filter_map(|c| c.column.map(|column| (column, c.header.clone())))
        .collect();
    let problems = draft.plan.problems.clone();
    let problem_rows: Vec<usize> = problems.iter().map(|p| p.row).collect();
    let empty = draft.plan.objectives.is_empty();
    let tree = draft
        .plan
        .objectives
        .into_iter()
        .map(|o| objective(i18n, o, &problem_rows))
        .collect_view();
    view! {
        <section class="sheet-preview" aria-labelledby="sheet-preview-title">
            <h2 id="sheet-preview-title">{t!(i18n, sheets_preview)}</h2>
            {(!problems.is_empty()).then(|| view! {
                <table class="sheet-problems" id="sheet-problems">
                    <caption>{t!(i18n, sheets_problems)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, sheets_row)}</th>
                        <th scope="col">{t!(i18n, sheets_header)}</th>
                        <th scope="col"></th>
                    </tr></thead>
                    <tbody>
                        {problems.iter().map(|p| {
                            // The sheet's headers read as that column (all of them, for
                            // a column read twice).
                            let column = p.column.map(|c| {
                                let named: Vec<&str> = headers.iter().filter(|(h, _)| *h == c).map(|(_, header)| header.as_str()).collect();
                                match named.as_slice() {
                                    [] => column_label(i18n, c),
                                    [one, ..] if p.problem != cairn::sheet::Problem::DoubleColumn => one.to_string(),
                                    all => all.join(", "),
                                }
                            });
                            view! {
                                <tr><td>{p.row}</td><td>{column}</td><td>{row_problem(i18n, &words, &p.problem)}</td></tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {empty.then(|| view! { <p>{t!(i18n, sheets_no_objectives)}</p> })}
            <ul class="import-tree" role="tree" aria-labelledby="sheet-preview-title">
                {tree}
            </ul>
        </section>
    }
}

fn objective(i18n: I18n, o: PlannedObjective, problem_rows: &[usize]) -> AnyView {
    let style = crate::ui::number_style(i18n);
    let kind = match o.commitment {
        Commitment::Committed => t_string!(i18n, committed),
        Commitment::Aspirational => t_string!(i18n, aspirational),
    };
    let meta: Vec<String> = [o.unit.clone(), o.owner.clone(), o.period.clone()]
        .into_iter()
        .flatten()
        .chain(std::iter::once(kind.to_string()))
        .collect();
    let parent = o.parent.clone().map(|p| {
        let said = t_string!(i18n, sheets_aligns_to, title = p.as_str()).to_string();
        view! { <span class="import-parent">{said}</span> }
    });
    let flagged = problem_rows.contains(&o.row);
    view! {
        <li role="treeitem" aria-expanded="true" class="import-objective" class:has-problem=flagged>
            <span class="import-row">{o.row}</span>
            <strong>{o.title.as_str().to_string()}</strong>
            <span class="meta">{meta.join(" · ")}</span>
            {parent}
            <ul role="group">
                {o.key_results.into_iter().map(|k| key_result(k, style, problem_rows)).collect_view()}
            </ul>
        </li>
    }
    .into_any()
}

fn key_result(
    k: PlannedKeyResult,
    style: cairn::numbers::NumberStyle,
    problem_rows: &[usize],
) -> AnyView {
    let unit = k
        .unit
        .as_ref()
        .map(|u| format!(" {}", u.as_str()))
        .unwrap_or_default();
    let numbers = match (k.start, k.target) {
        (start, Some(target)) => {
            let current = k
                .current
                .map(|c| format!(" ({})", style.show(c)))
                .unwrap_or_default();
            format!(
                "{} → {}{unit}{current}",
                style.show(start.unwrap_or(0.0)),
                style.show(target)
            )
        }
        _ => "✓/✗".to_string(),
    };
    let owner = k.owner.clone().unwrap_or_default();
    let flagged = problem_rows.contains(&k.row);
    view! {
        <li role="treeitem" class="import-key-result" class:has-problem=flagged>
            <span class="import-row">{k.row}</span>
            {k.title.as_str().to_string()}
            <span class="meta">{numbers}</span>
            <span class="meta">{owner}</span>
        </li>
    }
    .into_any()
}
