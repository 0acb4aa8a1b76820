use cairn::audit::Entity;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::read_audit;
use super::model::AuditTrail;
use crate::i18n::*;
use crate::ui::ShortDate;

/// `/audit?person=&entity=&id=&before=`
#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let args = move || {
        query.with(|q| {
            (
                q.get("person").filter(|p| !p.is_empty()),
                q.get("entity").filter(|e| !e.is_empty()),
                q.get("id").and_then(|v| v.parse::<i64>().ok()),
                q.get("before").and_then(|v| v.parse::<i64>().ok()),
            )
        })
    };
    let data = Resource::new(args, |(person, entity, id, before)| {
        read_audit(person, entity, id, before)
    });
    crate::layout::loaded(data, |trail| view! { <Trail trail /> })
}

fn entity_name(i18n: leptos_i18n::I18nContext<Locale>, entity: Entity) -> String {
    match entity {
        Entity::Objective => t_string!(i18n, objective),
        Entity::KeyResult => t_string!(i18n, key_result),
        Entity::Person => t_string!(i18n, person),
        Entity::Unit => t_string!(i18n, audit_unit),
        Entity::Period => t_string!(i18n, periods_period),
        Entity::Instance => t_string!(i18n, audit_other),
    }
    .to_string()
}

#[component]
fn Trail(trail: AuditTrail) -> impl IntoView {
    let i18n = use_i18n();
    let person_value = trail
        .person
        .as_ref()
        .map(|(id, _)| id.to_string())
        .unwrap_or_default();
    let entity = trail.entity;
    let older = trail.older.map(|before| {
        let mut href = format!("/audit?before={before}");
        if let Some((id, _)) = &trail.person {
            href.push_str(&format!("&person={id}"));
        }
        if let Some(e) = trail.entity {
            href.push_str(&format!("&entity={}", e.as_str()));
        }
        if let Some(id) = trail.entity_id {
            href.push_str(&format!("&id={id}"));
        }
        href
    });
    view! {
        <section class="page-head">
            <div>
                <h1>{t!(i18n, audit_title)}</h1>
                <p class="lead">{t!(i18n, audit_lead)}</p>
                {trail.person.as_ref().map(|(id, name)| view! {
                    <p>{t!(i18n, audit_by)} " " <a href=format!("/people/{id}")>{name.clone()}</a></p>
                })}
            </div>
        </section>
        <form class="editor-setup audit-filter" method="get" action="/audit">
            <div class="field">
                <label for="audit-person">{t!(i18n, audit_person)}</label>
                <input id="audit-person" name="person" type="text" value=person_value placeholder="anna@example.org" />
            </div>
            <div class="field">
                <label for="audit-entity">{t!(i18n, audit_object)}</label>
                <select id="audit-entity" name="entity">
                    <option value="">{t!(i18n, audit_everything)}</option>
                    {[Entity::Objective, Entity::KeyResult, Entity::Person, Entity::Unit, Entity::Period].into_iter().map(|e| {
                        let selected = Some(e) == entity;
                        view! { <option value=e.as_str() selected=selected>{move || entity_name(i18n, e)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="audit-id">{t!(i18n, audit_number)}</label>
                <input id="audit-id" name="id" type="number" min="1" value=trail.entity_id.map(|i| i.to_string()).unwrap_or_default() />
            </div>
            <button type="submit">{t!(i18n, audit_filter)}</button>
        </form>
        {trail.lines.is_empty().then(|| view! { <p class="empty">{t!(i18n, audit_nothing)}</p> })}
        <ol class="audit-list">
            {trail.lines.into_iter().map(|line| {
                let entity = line.entity;
                let object = match line.href.clone() {
                    Some(href) => view! { <a href=href>{move || entity_name(i18n, entity)} " " {line.entity_id}</a> }.into_any(),
                    None => view! { <span>{move || entity_name(i18n, entity)} " " {line.entity_id}</span> }.into_any(),
                };
                let who = match line.actor.clone() {
                    Some((id, name)) => view! { <a href=format!("/audit?person={id}")>{name}</a> }.into_any(),
                    None => view! { <span class="hint">{t!(i18n, audit_system)}</span> }.into_any(),
                };
                let changes = (line.before.is_some() || line.after.is_some()).then(|| view! {
                    <details>
                        <summary>{t!(i18n, audit_details)}</summary>
                        {line.before.map(|b| view! { <p class="audit-json"><strong>{t!(i18n, audit_before)}</strong> " " <code>{b}</code></p> })}
                        {line.after.map(|a| view! { <p class="audit-json"><strong>{t!(i18n, audit_after)}</strong> " " <code>{a}</code></p> })}
                    </details>
                });
                view! {
                    <li class="audit-line">
                        <span class="audit-when"><ShortDate ms=line.at_ms /></span>
                        <span class="audit-who">{who}</span>
                        <code class="audit-action">{line.action.as_str()}</code>
                        <span class="audit-object">{object}</span>
                        {changes}
                    </li>
                }
            }).collect_view()}
        </ol>
        {older.map(|href| view! { <p><a href=href rel="next">{t!(i18n, audit_older)}</a></p> })}
    }
}
