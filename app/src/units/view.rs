use cairn::model::{Role, UnitKind};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{UnitPage, get_unit_page};
use crate::i18n::*;
use crate::okr::{Meter, ObjectiveCard, PeriodSwitcher, StatusLegend};

#[component]
pub fn UnitPageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        let unit = crate::layout::number_in(params, "id");
        let period = crate::layout::number_in(query, "period");
        (unit, period)
    };
    let data = Resource::new(args, |(unit, period)| async move {
        match unit {
            Some(unit) => get_unit_page(unit, period).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    crate::layout::loaded(data, |page| view! { <Unit page /> })
}

#[component]
fn Unit(page: UnitPage) -> impl IntoView {
    let i18n = use_i18n();
    let UnitPage {
        unit,
        breadcrumbs,
        sub_units,
        members,
        period,
        objectives,
        summary,
        rhythm_outcome,
        live_mark,
    } = page;
    let title = unit.name.clone();
    let action = format!("/units/{}", unit.id);
    let kind = unit.kind;
    let period_name = period
        .as_ref()
        .map(|p| p.current.name.clone())
        .unwrap_or_default();
    // Graded periods: the unit's grading sheet (or its grades, once closed).
    let sheet = period.as_ref().and_then(|p| {
        use cairn::period::PeriodState;
        let (id, state) = (p.current.id, p.current.state);
        let link = format!("/units/{}/grade?period={id}", unit.id);
        match state {
            PeriodState::Grading => Some(view! { <p class="page-links"><a class="sheet-link" rel="external" href=link>{t!(i18n, unit_grading_sheet)}</a></p> }.into_any()),
            PeriodState::Closed => Some(view! { <p class="page-links"><a class="sheet-link" rel="external" href=link>{t!(i18n, unit_grades)}</a></p> }.into_any()),
            _ => None,
        }
    });
    view! {
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, breadcrumbs).to_string()>
            <ol>
                {breadcrumbs
                    .into_iter()
                    .map(|b| view! { <li><a href=format!("/units/{}", b.id)>{b.name}</a></li> })
                    .collect_view()}
                <li aria-current="page">{title.clone()}</li>
            </ol>
        </nav>
        <section class="page-head">
            <div>
                <p class="eyebrow">{move || unit_kind(i18n, kind)}</p>
                <h1>{title.clone()}</h1>
                {sheet}
            </div>
            {period.map(|context| view! { <PeriodSwitcher context action /> })}
        </section>
        <crate::live::LiveMeters after=live_mark />
        <section class="summary">
            <div class="summary-figure">
                <span class="summary-label">{t!(i18n, overall_progress)}</span>
                <Meter
                    key=format!("u-{}", unit.id)
                    progress=summary.progress
                    verdict=summary.verdict
                    explanation=summary.explanation
                    label=format!("{title} · {period_name}")
                />
            </div>
            <StatusLegend />
        </section>
        <div class="front-grid">
            <section class="objectives" aria-labelledby="unit-objectives">
                <h2 id="unit-objectives">{t!(i18n, objectives)}</h2>
                {if objectives.is_empty() {
                    view! { <p class="empty">{t!(i18n, no_objectives)}</p> }.into_any()
                } else {
                    objectives.into_iter().map(|objective| view! { <ObjectiveCard objective /> }).collect_view().into_any()
                }}
            </section>
            <aside class="attention-column">
                {(!sub_units.is_empty())
                    .then(|| {
                        view! {
                            <section class="card" aria-labelledby="sub-units">
                                <h2 id="sub-units">{t!(i18n, sub_units)}</h2>
                                <ul class="plain-list">
                                    {sub_units
                                        .into_iter()
                                        .map(|u| view! { <li><a href=format!("/units/{}", u.id)>{u.name}</a></li> })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    })}
                <section class="card" aria-labelledby="members">
                    <h2 id="members">{t!(i18n, members)}</h2>
                    {if members.is_empty() {
                        view! { <p class="empty">{t!(i18n, no_members)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list">
                                {members
                                    .into_iter()
                                    .map(|m| {
                                        let role = m.role;
                                        view! {
                                            <li>
                                                <a href=format!("/people/{}", m.id)>{m.name}</a>
                                                {(role != Role::Member).then(|| view! { <span class="tag">{move || role_name(i18n, role)}</span> })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }}
                </section>
                <section class="card">
                    <crate::notices::RhythmSection unit=unit.id outcome=rhythm_outcome />
                </section>
            </aside>
        </div>
    }
}

pub fn unit_kind(i18n: leptos_i18n::I18nContext<Locale>, kind: UnitKind) -> String {
    match kind {
        UnitKind::Organisation => t_string!(i18n, kind_organisation).to_string(),
        UnitKind::Department => t_string!(i18n, kind_department).to_string(),
        UnitKind::Team => t_string!(i18n, kind_team).to_string(),
    }
}

pub fn role_name(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> String {
    match role {
        Role::Lead => t_string!(i18n, role_lead).to_string(),
        Role::Admin => t_string!(i18n, role_admin).to_string(),
        Role::Member => t_string!(i18n, role_member).to_string(),
    }
}
