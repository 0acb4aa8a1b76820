//! `/admin/people`, `/admin/units` and `/admin/import`.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{admin_people, admin_units};
use super::import::{ImportForm, ImportWords};
use super::model::{AdminUnit, PeopleAdmin, UnitsAdmin};
use crate::i18n::*;
use crate::units::role_name;

use crate::forms::{outcome_view, typed_or};

/// What the last form sent from this page did, shown beside that form.
#[component]
fn Outcome(outcome: Option<crate::forms::Outcome>, form: &'static str) -> impl IntoView {
    outcome_view(outcome, form.to_string())
}

fn unit_options(units: &[AdminUnit], selected: Option<i64>, none_label: Option<String>) -> AnyView {
    let none = none_label.map(|label| view! { <option value="">{label}</option> });
    let options = units
        .iter()
        .filter(|u| u.active)
        .map(|u| {
            let label = format!("{}{}", "\u{a0}\u{a0}".repeat(u.depth), u.name);
            view! { <option value=u.id.to_string() selected=selected == Some(u.id)>{label}</option> }
        })
        .collect_view();
    view! { {none} {options} }.into_any()
}

fn role_options(i18n: leptos_i18n::I18nContext<Locale>, selected: String) -> impl IntoView {
    [cairn::model::Role::Member, cairn::model::Role::Lead]
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r.as_str() == selected>{move || role_name(i18n, r)}</option> })
        .collect_view()
}

#[component]
pub fn AdminPeoplePage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|q| q.get("q"));
    let data = Resource::new(q, admin_people);
    crate::layout::loaded(data, |page| view! { <People page /> })
}

#[component]
fn People(page: PeopleAdmin) -> impl IntoView {
    let i18n = use_i18n();
    let q = page.query.clone();
    let units = page.units.clone();
    let outcome = page.outcome.clone();
    let typed = |field: &str| typed_or(&outcome, "add-person", field, "");
    let new_unit: Option<i64> = typed("unit").parse().ok();
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, admin_eyebrow)}</p>
                <h1>{t!(i18n, admin_people_title)}</h1>
                <p class="page-links">
                    <a href="/admin/units">{t!(i18n, admin_units_title)}</a> " · "
                    <a href="/admin/import" rel="external">{t!(i18n, admin_import_title)}</a> " · "
                    <a href="/admin/sheets" rel="external">{t!(i18n, admin_sheets_title)}</a> " · "
                    <a href="/admin/export" rel="external">{t!(i18n, admin_export_title)}</a> " · "
                    <a href="/admin/sign-in">{t!(i18n, admin_sign_in_title)}</a> " · "
                    <a href="/admin/outbox">{t!(i18n, outbox_title)}</a> " · "
                    <a href="/admin/tokens">{t!(i18n, tokens_service_title)}</a> " · "
                    <a href="/webhooks">{t!(i18n, webhooks_title)}</a> " · "
                    <a href="/periods">{t!(i18n, periods_title)}</a> " · "
                    <a href="/audit">{t!(i18n, audit_title)}</a>
                </p>
            </div>
        </section>
        <form class="editor-setup" method="post" action="/admin/people" id="add-person">
            <Outcome outcome=outcome.clone() form="add-person" />
            <input type="hidden" name="q" value=q.clone() />
            <div class="field"><label for="new-name">{t!(i18n, admin_name)}</label><input id="new-name" name="name" required maxlength="120" value=typed("name") /></div>
            <div class="field"><label for="new-email">{t!(i18n, email_label)}</label><input id="new-email" name="email" type="email" required maxlength="254" value=typed("email") /></div>
            <div class="field"><label for="new-unit">{t!(i18n, summary_unit)}</label>
                <select id="new-unit" name="unit">{unit_options(&units, new_unit, Some("—".into()))}</select></div>
            <div class="field"><label for="new-role">{t!(i18n, admin_role)}</label>
                <select id="new-role" name="role">{role_options(i18n, typed("role"))}</select></div>
            <div class="field"><label for="new-language">{t!(i18n, admin_language)}</label>
                <select id="new-language" name="language">
                    {
                        let chosen = match typed("language") {
                            typed if typed.is_empty() => i18n.get_locale_untracked().as_str().to_string(),
                            typed => typed,
                        };
                        view! {
                            <option value="en" selected=chosen == "en">"English"</option>
                            <option value="nl" selected=chosen == "nl">"Nederlands"</option>
                        }
                    }
                </select></div>
            <button type="submit">{t!(i18n, admin_add_person)}</button>
        </form>
        <form class="editor-setup" method="get" action="/admin/people" role="search">
            <div class="field"><label for="people-q">{t!(i18n, admin_find)}</label><input id="people-q" name="q" type="search" value=page.query.clone() /></div>
            <button type="submit">{t!(i18n, search_button)}</button>
        </form>
        <ul class="admin-list">
            {page.people.into_iter().map(|p| {
                let id = p.id;
                let anchor = format!("person-{id}");
                let action = format!("/admin/people/{id}");
                let units = units.clone();
                let version = p.version.to_string();
                // Hidden fields every form on this person carries.
                let hidden = {
                    let (q, version) = (q.clone(), version.clone());
                    move || view! {
                        <input type="hidden" name="q" value=q.clone() />
                        <input type="hidden" name="version" value=version.clone() />
                    }
                };
                let toggle = |action_name: &'static str, label: String| {
                    let action = action.clone();
                    let hidden = hidden.clone();
                    view! {
                        <form method="post" action=action class="inline-form">
                            <input type="hidden" name="action" value=action_name />
                            {hidden()}
                            <button type="submit">{label}</button>
                        </form>
                    }
                };
                let refused_here = crate::forms::Outcome::of(&outcome, &anchor).is_some_and(|o| o.result.is_err());
                let name = typed_or(&outcome, &anchor, "name", &p.name);
                let email = typed_or(&outcome, &anchor, "email", &p.email);
                view! {
                    <li class="admin-person" class:inactive=!p.active id=anchor.clone()>
                        <div class="admin-head">
                            <a href=format!("/people/{id}")>{p.name.clone()}</a>
                            <span class="hint">{p.email.clone()}</span>
                            {p.admin.then(|| view! { <span class="tag">{t!(i18n, admin_is_admin)}</span> })}
                            {(!p.active).then(|| view! { <span class="tag">{t!(i18n, admin_inactive)}</span> })}
                            {(!p.has_password).then(|| view! { <span class="tag">{t!(i18n, admin_no_password)}</span> })}
                        </div>
                        {outcome_view(outcome.clone(), anchor.clone())}
                        <ul class="admin-units">
                            {p.units.iter().map(|(unit, name, role)| {
                                let (action, hidden, role) = (action.clone(), hidden.clone(), *role);
                                view! {
                                    <li>
                                        {name.clone()} " · " {move || role_name(i18n, role)}
                                        <form method="post" action=action class="inline-form">
                                            <input type="hidden" name="action" value="remove_unit" />
                                            <input type="hidden" name="unit" value=unit.to_string() />
                                            {hidden()}
                                            <button type="submit" aria-label=format!("{} {}", t_string!(i18n, admin_leave), name)>{t!(i18n, admin_leave)}</button>
                                        </form>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <details open=refused_here>
                            <summary>{t!(i18n, admin_manage)}</summary>
                            <form method="post" action=action.clone() class="editor-setup">
                                <input type="hidden" name="action" value="edit" />
                                {hidden()}
                                <div class="field"><label for=format!("name-{id}")>{t!(i18n, admin_name)}</label>
                                    <input id=format!("name-{id}") name="name" value=name required maxlength="120" /></div>
                                <div class="field"><label for=format!("email-{id}")>{t!(i18n, email_label)}</label>
                                    <input id=format!("email-{id}") name="email" type="email" value=email required maxlength="254" /></div>
                                <button type="submit">{t!(i18n, admin_save)}</button>
                            </form>
                            <form method="post" action=action.clone() class="editor-setup">
                                <input type="hidden" name="action" value="add_unit" />
                                {hidden()}
                                <div class="field"><label for=format!("unit-{id}")>{t!(i18n, summary_unit)}</label>
                                    <select id=format!("unit-{id}") name="unit">{unit_options(&units, None, None)}</select></div>
                                <div class="field"><label for=format!("role-{id}")>{t!(i18n, admin_role)}</label>
                                    <select id=format!("role-{id}") name="role">{role_options(i18n, "member".to_string())}</select></div>
                                <button type="submit">{t!(i18n, admin_join)}</button>
                            </form>
                            <div class="admin-actions">
                                {if p.active { toggle("deactivate", t_string!(i18n, admin_deactivate).to_string()) } else { toggle("reactivate", t_string!(i18n, admin_reactivate).to_string()) }}
                                {if p.admin { toggle("admin_off", t_string!(i18n, admin_admin_off).to_string()) } else { toggle("admin_on", t_string!(i18n, admin_admin_on).to_string()) }}
                                {toggle("link", t_string!(i18n, admin_new_link).to_string())}
                            </div>
                        </details>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn AdminUnitsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_units());
    crate::layout::loaded(data, |page| view! { <Units page /> })
}

#[component]
fn Units(page: UnitsAdmin) -> impl IntoView {
    let i18n = use_i18n();
    let units = page.units;
    let all = units.clone();
    let outcome = page.outcome;
    let typed = |field: &str| typed_or(&outcome, "add-unit", field, "");
    let new_parent: Option<i64> = typed("parent").parse().ok();
    let new_kind = typed("kind");
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, admin_eyebrow)}</p>
                <h1>{t!(i18n, admin_units_title)}</h1>
                <p class="page-links"><a href="/admin/people">{t!(i18n, admin_people_title)}</a></p>
            </div>
        </section>
        <form class="editor-setup" method="post" action="/admin/units" id="add-unit">
            <Outcome outcome=outcome.clone() form="add-unit" />
            <div class="field"><label for="unit-name">{t!(i18n, admin_name)}</label><input id="unit-name" name="name" required maxlength="120" value=typed("name") /></div>
            <div class="field"><label for="unit-kind">{t!(i18n, admin_kind)}</label>
                <select id="unit-kind" name="kind">
                    <option value="team" selected=new_kind != "department">{t!(i18n, admin_kind_team)}</option>
                    <option value="department" selected=new_kind == "department">{t!(i18n, admin_kind_department)}</option>
                </select></div>
            <div class="field"><label for="unit-parent">{t!(i18n, admin_parent)}</label>
                <select id="unit-parent" name="parent">{unit_options(&all, new_parent, None)}</select></div>
            <button type="submit">{t!(i18n, admin_add_unit)}</button>
        </form>
        <ul class="admin-list">
            {units.into_iter().map(|u| {
                let anchor = format!("unit-{}", u.id);
                let action = format!("/admin/units/{}", u.id);
                let others: Vec<AdminUnit> = all.iter().filter(|o| o.id != u.id).cloned().collect();
                let version = u.version.to_string();
                let refused_here = crate::forms::Outcome::of(&outcome, &anchor).is_some_and(|o| o.result.is_err());
                let name = typed_or(&outcome, &anchor, "name", &u.name);
                let kind = match u.kind {
                    cairn::model::UnitKind::Organisation => t_string!(i18n, admin_kind_organisation),
                    cairn::model::UnitKind::Department => t_string!(i18n, admin_kind_department),
                    cairn::model::UnitKind::Team => t_string!(i18n, admin_kind_team),
                };
                let outcome_here = outcome_view(outcome.clone(), anchor.clone());
                view! {
                    <li class="admin-unit" class:inactive=!u.active style=format!("--depth: {}", u.depth) id=anchor.clone()>
                        <div class="admin-head">
                            <a href=format!("/units/{}", u.id)>{u.name.clone()}</a>
                            <span class="hint">{kind}</span>
                            {(!u.active).then(|| view! { <span class="tag">{t!(i18n, admin_inactive)}</span> })}
                        </div>
                        {outcome_here}
                        {u.parent.map(move |parent| view! {
                            <details open=refused_here>
                                <summary>{t!(i18n, admin_manage)}</summary>
                                <form method="post" action=action.clone() class="editor-setup">
                                    <input type="hidden" name="action" value="edit" />
                                    <input type="hidden" name="version" value=version.clone() />
                                    <div class="field"><label for=format!("uname-{}", u.id)>{t!(i18n, admin_name)}</label>
                                        <input id=format!("uname-{}", u.id) name="name" value=name required maxlength="120" /></div>
                                    <div class="field"><label for=format!("uparent-{}", u.id)>{t!(i18n, admin_parent)}</label>
                                        <select id=format!("uparent-{}", u.id) name="parent">{unit_options(&others, Some(parent), None)}</select></div>
                                    <button type="submit">{t!(i18n, admin_save)}</button>
                                </form>
                                <form method="post" action=action.clone() class="inline-form">
                                    <input type="hidden" name="action" value=if u.active { "deactivate" } else { "reactivate" } />
                                    <input type="hidden" name="version" value=version.clone() />
                                    <button type="submit">{if u.active { t!(i18n, admin_deactivate).into_any() } else { t!(i18n, admin_reactivate).into_any() }}</button>
                                </form>
                            </details>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn AdminImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let s = |t: &str| t.to_string();
    let words = ImportWords {
        units: s(t_string!(i18n, import_units)),
        units_hint: s(t_string!(i18n, import_units_hint)),
        people: s(t_string!(i18n, import_people)),
        people_hint: s(t_string!(i18n, import_people_hint)),
        import: s(t_string!(i18n, import_button)),
        importing: s(t_string!(i18n, import_busy)),
        done: s(t_string!(i18n, import_done)),
        problems: s(t_string!(i18n, import_problems)),
        row: s(t_string!(i18n, import_row)),
        failed: s(t_string!(i18n, nothing_changed)),
        file_units: s(t_string!(i18n, import_file_units)),
        file_people: s(t_string!(i18n, import_file_people)),
        column_name: s(t_string!(i18n, admin_name)),
        column_email: s(t_string!(i18n, email_label)),
        unknown_kind: s(t_string!(i18n, import_unknown_kind)),
        unknown_role: s(t_string!(i18n, import_unknown_role)),
        unit_exists: s(t_string!(i18n, import_unit_exists)),
        unknown_parent: s(t_string!(i18n, import_unknown_parent)),
        parent_needed: s(t_string!(i18n, import_parent_needed)),
        email_taken: s(t_string!(i18n, why_email_taken)),
        unknown_unit: s(t_string!(i18n, import_unknown_unit)),
        not_csv: s(t_string!(i18n, import_not_csv)),
        missing_column: t_string!(i18n, import_missing_column, column = "{column}").to_string(),
        too_many_rows: s(t_string!(i18n, import_too_many_rows)),
        nothing: s(t_string!(i18n, import_nothing)),
    };
    let allowed = crate::auth::viewer().is_some_and(|v| v.admin);
    if !allowed {
        return view! { <crate::layout::Problem error=crate::error::AppError::Forbidden /> }
            .into_any();
    }
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, admin_eyebrow)}</p>
                <h1>{t!(i18n, admin_import_title)}</h1>
                <p class="lead">{t!(i18n, import_lead)}</p>
            </div>
        </section>
        <ImportForm words />
        <crate::error::PageProblemWords />
    }
    .into_any()
}
