//! The front page's views.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::model::{Installation, WholeList};
use super::{Attention, FrontPage, get_front_page};
use crate::i18n::*;
use crate::okr::{Meter, ObjectiveCard, PeriodSwitcher, StatusBadge, StatusLegend};
use crate::ui::{ShortDate, percent};

#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let asked = move || {
        (
            crate::layout::number_in(query, "period"),
            query.with(|q| q.get("whole").and_then(|w| WholeList::parse(&w))),
        )
    };
    let data = Resource::new(asked, |(period, whole)| get_front_page(period, whole));
    crate::layout::loaded(data, |page| view! { <Front page /> })
}

#[component]
fn Front(page: FrontPage) -> impl IntoView {
    let i18n = use_i18n();
    let FrontPage {
        overview,
        organisation,
        period,
        objectives,
        summary,
        objective_count,
        at_risk,
        at_risk_count,
        stale,
        stale_count,
        whole,
        live_mark,
    } = page;
    let period_id = period.as_ref().map(|p| p.current.id);
    // The same page with one list in full, or the tree, for the chosen period.
    let with_period = |path: &str, extra: &str| match period_id {
        Some(id) => format!("{path}?period={id}{extra}"),
        None if extra.is_empty() => path.to_string(),
        None => format!("{path}?{}", extra.trim_start_matches('&')),
    };
    let whole_href = move |list: WholeList| {
        with_period("/", &format!("&whole={}", list.as_str()))
            + match list {
                WholeList::AtRisk => "#at-risk",
                WholeList::Stale => "#stale",
            }
    };
    let tree_href = with_period("/tree", "");
    let period_name = period
        .as_ref()
        .map(|p| p.current.name.clone())
        .unwrap_or_default();
    let org_name = overview.organisation.clone();
    let summary_label = format!("{org_name} · {period_name}");
    let org_link =
        organisation.map(|(id, name)| view! { <a href=format!("/units/{id}")>{name}</a> });
    let heading_period = period_name.clone();
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{org_link}</p>
                <h1>{t!(i18n, welcome_title, organisation = move || org_name.clone())}</h1>
                <p class="lead">{t!(i18n, front_lead)}</p>
            </div>
            {period.map(|context| view! { <PeriodSwitcher context action="/".to_string() /> })}
        </section>
        <crate::live::LiveMeters after=live_mark />
        <section class="summary" aria-label=move || t_string!(i18n, summary).to_string()>
            <div class="summary-figure">
                <span class="summary-label">{t!(i18n, overall_progress)}</span>
                <Meter
                    key="overall".to_string()
                    progress=summary.progress
                    verdict=summary.verdict
                    explanation=summary.explanation
                    label=summary_label
                />
            </div>
            <div>
            <p class="summary-scope">{t!(i18n, front_counts_scope, period = move || period_name.clone())}</p>
            <dl class="summary-counts">
                <div>
                    <dt>{t!(i18n, objectives)}</dt>
                    <dd><a href=tree_href>{objective_count}</a></dd>
                </div>
                <div>
                    <dt>{t!(i18n, front_count_at_risk)}</dt>
                    <dd><a href=whole_href(WholeList::AtRisk)>{at_risk_count}</a></dd>
                </div>
                <div>
                    <dt>{t!(i18n, front_count_stale)}</dt>
                    <dd><a href=whole_href(WholeList::Stale)>{stale_count}</a></dd>
                </div>
            </dl>
            </div>
            <StatusLegend />
        </section>
        <div class="front-grid">
            <section class="objectives" aria-labelledby="org-objectives">
                <h2 id="org-objectives">{t!(i18n, organisation_objectives, period = move || heading_period.clone())}</h2>
                {if objectives.is_empty() {
                    view! { <p class="empty">{t!(i18n, no_objectives)}</p> }.into_any()
                } else {
                    objectives.into_iter().map(|objective| view! { <ObjectiveCard objective /> }).collect_view().into_any()
                }}
            </section>
            <aside class="attention-column">
                <AttentionList
                    id="at-risk"
                    title=move || t_string!(i18n, at_risk_title).to_string()
                    empty=move || t_string!(i18n, nothing_at_risk).to_string()
                    items=at_risk
                    total=at_risk_count
                    whole=whole_href(WholeList::AtRisk)
                    shown_whole=whole == Some(WholeList::AtRisk)
                />
                <AttentionList
                    id="stale"
                    title=move || t_string!(i18n, stale_title).to_string()
                    empty=move || t_string!(i18n, nothing_stale).to_string()
                    items=stale
                    total=stale_count
                    whole=whole_href(WholeList::Stale)
                    shown_whole=whole == Some(WholeList::Stale)
                />
            </aside>
        </div>
        {overview.installation.map(|installation| view! { <InstallationStatus installation /> })}
    }
}

#[component]
fn AttentionList(
    id: &'static str,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] empty: Signal<String>,
    items: Vec<Attention>,
    total: usize,
    /// Where the whole list is.
    whole: String,
    /// This is the whole list.
    shown_whole: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = items.len();
    view! {
        <section class="attention card" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            {if items.is_empty() {
                view! { <p class="empty">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {items
                            .into_iter()
                            .map(|a| {
                                view! {
                                    <li>
                                        <a href=format!("/objectives/{}#kr-{}", a.objective, a.key_result)>{a.title}</a>
                                        <span class="attention-meta">
                                            <StatusBadge verdict=a.verdict />
                                            {format!(" · {} % · ", percent(a.progress))}
                                            {match a.last_check_in_ms {
                                                Some(ms) => view! { <ShortDate ms /> }.into_any(),
                                                None => view! { {t!(i18n, explain_never)} }.into_any(),
                                            }}
                                        </span>
                                        <span class="attention-objective">
                                            {a.objective_title}
                                            " · "
                                            <a href=a.owner.href()>{a.owner.name().to_string()}</a>
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    {(total > shown && !shown_whole).then(|| view! {
                        <p class="more"><a href=whole>{t!(i18n, and_more, count = move || total - shown)}</a></p>
                    })}
                }
                    .into_any()
            }}
        </section>
    }
}

/// Facts about this installation, for the people who run it.
#[component]
fn InstallationStatus(installation: Installation) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card status" aria-labelledby="status-title">
            <h2 id="status-title">{t!(i18n, status_title)}</h2>
            <dl>
                <dt>{t!(i18n, status_database)}</dt>
                <dd data-testid="database">{installation.database}</dd>
                <dt>{t!(i18n, status_schema)}</dt>
                <dd data-testid="schema-version">{installation.schema_version}</dd>
                <dt>{t!(i18n, status_since)}</dt>
                <dd>
                    <ShortDate ms=installation.since.timestamp_millis() />
                </dd>
            </dl>
        </section>
    }
}
