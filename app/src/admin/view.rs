//! `/admin/people`, `/admin/units` and `/admin/import`.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{AdminUnit, PeopleAdmin, admin_people, admin_units};
use super::import::{ImportForm, ImportWords};
use crate::i18n::*;
use crate::units::role_name;

fn message(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    match code {
        "email_taken" => t_string!(i18n, admin_email_taken),
        "unit_cycle" => t_string!(i18n, admin_unit_cycle),
        "not_yourself" => t_string!(i18n, admin_not_yourself),
        "parent_needed" => t_string!(i18n, admin_parent_needed),
        "not_found" => t_string!(i18n, editor_refused_missing),
        c if c.starts_with("email:") => t_string!(i18n, admin_bad_email),
        c if c.starts_with("name:") => t_string!(i18n, admin_bad_name),
        _ => t_string!(i18n, editor_problem_unknown_choice),
    }
    .to_string()
}

/// The outcome of the last change: from the address, and a new sign-in link from
/// the session (never from the address).
#[component]
fn Outcome(link: Option<(String, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let (error, done) = query.with_untracked(|q| (q.get("error"), q.get("done")));
    view! {
        {error.map(|code| view! { <p class="form-error" role="alert">{message(i18n, &code)}</p> })}
        {(done.as_deref() == Some("saved")).then(|| view! { <p class="notice" role="status">{t!(i18n, admin_saved)}</p> })}
        {link.map(|(who, token)| {
            let path = format!("/sign-in/link/{token}");
            view! {
                <p class="notice" role="status" id="new-link">
                    {t!(i18n, admin_link_for, who = who)} " "
                    <a href=path.clone() rel="external">{path.clone()}</a>
                </p>
            }
        })}
    }
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

fn role_options(i18n: leptos_i18n::I18nContext<Locale>) -> impl IntoView {
    ["member", "lead"]
        .into_iter()
        .map(|r| view! { <option value=r>{move || role_name(i18n, r)}</option> })
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
    let back = format!("q={}", page.query);
    let units = page.units.clone();
    let link = page.new_link.clone();
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, admin_eyebrow)}</p>
                <h1>{t!(i18n, admin_people_title)}</h1>
                <p class="page-links">
                    <a href="/admin/units">{t!(i18n, admin_units_title)}</a> " · "
                    <a href="/admin/import" rel="external">{t!(i18n, admin_import_title)}</a> " · "
                    <a href="/periods">{t!(i18n, periods_title)}</a> " · "
                    <a href="/audit">{t!(i18n, audit_title)}</a>
                </p>
            </div>
        </section>
        <Outcome link=link />
        <form class="editor-setup" method="post" action="/admin/people" id="add-person">
            <div class="field"><label for="new-name">{t!(i18n, admin_name)}</label><input id="new-name" name="name" required maxlength="120" /></div>
            <div class="field"><label for="new-email">{t!(i18n, email_label)}</label><input id="new-email" name="email" type="email" required maxlength="254" /></div>
            <div class="field"><label for="new-unit">{t!(i18n, summary_unit)}</label>
                <select id="new-unit" name="unit">{unit_options(&units, None, Some("—".into()))}</select></div>
            <div class="field"><label for="new-role">{t!(i18n, admin_role)}</label>
                <select id="new-role" name="role">{role_options(i18n)}</select></div>
            <button type="submit">{t!(i18n, admin_add_person)}</button>
        </form>
        <form class="editor-setup" method="get" action="/admin/people" role="search">
            <div class="field"><label for="people-q">{t!(i18n, admin_find)}</label><input id="people-q" name="q" type="search" value=page.query.clone() /></div>
            <button type="submit">{t!(i18n, search_button)}</button>
        </form>
        <ul class="admin-list">
            {page.people.into_iter().map(|p| {
                let id = p.id;
                let action = format!("/admin/people/{id}");
                let units = units.clone();
                let back = back.clone();
                let toggle = |action_name: &'static str, label: String| {
                    let action = action.clone();
                    let back = back.clone();
                    view! {
                        <form method="post" action=action class="inline-form">
                            <input type="hidden" name="action" value=action_name />
                            <input type="hidden" name="back" value=back />
                            <button type="submit">{label}</button>
                        </form>
                    }
                };
                view! {
                    <li class="admin-person" class:inactive=!p.active>
                        <div class="admin-head">
                            <a href=format!("/people/{id}")>{p.name.clone()}</a>
                            <span class="hint">{p.email.clone()}</span>
                            {p.admin.then(|| view! { <span class="tag">{t!(i18n, admin_is_admin)}</span> })}
                            {(!p.active).then(|| view! { <span class="tag">{t!(i18n, admin_inactive)}</span> })}
                            {(!p.has_password).then(|| view! { <span class="tag">{t!(i18n, admin_no_password)}</span> })}
                        </div>
                        <ul class="admin-units">
                            {p.units.iter().map(|(unit, name, role)| {
                                let (action, back, role) = (action.clone(), back.clone(), role.clone());
                                view! {
                                    <li>
                                        {name.clone()} " · " {move || role_name(i18n, &role)}
                                        <form method="post" action=action class="inline-form">
                                            <input type="hidden" name="action" value="remove_unit" />
                                            <input type="hidden" name="unit" value=unit.to_string() />
                                            <input type="hidden" name="back" value=back />
                                            <button type="submit" aria-label=format!("{} {}", t_string!(i18n, admin_leave), name)>{t!(i18n, admin_leave)}</button>
                                        </form>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <details>
                            <summary>{t!(i18n, admin_manage)}</summary>
                            <form method="post" action=action.clone() class="editor-setup">
                                <input type="hidden" name="action" value="edit" />
                                <input type="hidden" name="back" value=back.clone() />
                                <div class="field"><label for=format!("name-{id}")>{t!(i18n, admin_name)}</label>
                                    <input id=format!("name-{id}") name="name" value=p.name.clone() required maxlength="120" /></div>
                                <div class="field"><label for=format!("email-{id}")>{t!(i18n, email_label)}</label>
                                    <input id=format!("email-{id}") name="email" type="email" value=p.email.clone() required maxlength="254" /></div>
                                <button type="submit">{t!(i18n, admin_save)}</button>
                            </form>
                            <form method="post" action=action.clone() class="editor-setup">
                                <input type="hidden" name="action" value="add_unit" />
                                <input type="hidden" name="back" value=back.clone() />
                                <div class="field"><label for=format!("unit-{id}")>{t!(i18n, summary_unit)}</label>
                                    <select id=format!("unit-{id}") name="unit">{unit_options(&units, None, None)}</select></div>
                                <div class="field"><label for=format!("role-{id}")>{t!(i18n, admin_role)}</label>
                                    <select id=format!("role-{id}") name="role">{role_options(i18n)}</select></div>
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
    crate::layout::loaded(data, |units| view! { <Units units /> })
}

#[component]
fn Units(units: Vec<AdminUnit>) -> impl IntoView {
    let i18n = use_i18n();
    let all = units.clone();
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, admin_eyebrow)}</p>
                <h1>{t!(i18n, admin_units_title)}</h1>
                <p class="page-links"><a href="/admin/people">{t!(i18n, admin_people_title)}</a></p>
            </div>
        </section>
        <Outcome link=None />
        <form class="editor-setup" method="post" action="/admin/units" id="add-unit">
            <div class="field"><label for="unit-name">{t!(i18n, admin_name)}</label><input id="unit-name" name="name" required maxlength="120" /></div>
            <div class="field"><label for="unit-kind">{t!(i18n, admin_kind)}</label>
                <select id="unit-kind" name="kind">
                    <option value="team">{t!(i18n, admin_kind_team)}</option>
                    <option value="department">{t!(i18n, admin_kind_department)}</option>
                </select></div>
            <div class="field"><label for="unit-parent">{t!(i18n, admin_parent)}</label>
                <select id="unit-parent" name="parent">{unit_options(&all, None, None)}</select></div>
            <button type="submit">{t!(i18n, admin_add_unit)}</button>
        </form>
        <ul class="admin-list">
            {units.into_iter().map(|u| {
                let action = format!("/admin/units/{}", u.id);
                let others: Vec<AdminUnit> = all.iter().filter(|o| o.id != u.id).cloned().collect();
                view! {
                    <li class="admin-unit" class:inactive=!u.active style=format!("--depth: {}", u.depth)>
                        <div class="admin-head">
                            <a href=format!("/units/{}", u.id)>{u.name.clone()}</a>
                            <span class="hint">{u.kind.clone()}</span>
                            {(!u.active).then(|| view! { <span class="tag">{t!(i18n, admin_inactive)}</span> })}
                        </div>
                        {u.parent.map(move |parent| view! {
                            <details>
                                <summary>{t!(i18n, admin_manage)}</summary>
                                <form method="post" action=action.clone() class="editor-setup">
                                    <input type="hidden" name="action" value="edit" />
                                    <div class="field"><label for=format!("uname-{}", u.id)>{t!(i18n, admin_name)}</label>
                                        <input id=format!("uname-{}", u.id) name="name" value=u.name.clone() required maxlength="120" /></div>
                                    <div class="field"><label for=format!("uparent-{}", u.id)>{t!(i18n, admin_parent)}</label>
                                        <select id=format!("uparent-{}", u.id) name="parent">{unit_options(&others, Some(parent), None)}</select></div>
                                    <button type="submit">{t!(i18n, admin_save)}</button>
                                </form>
                                <form method="post" action=action.clone() class="inline-form">
                                    <input type="hidden" name="action" value=if u.active { "deactivate" } else { "reactivate" } />
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
        failed: s(t_string!(i18n, check_in_failed)),
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
    }
    .into_any()
}
