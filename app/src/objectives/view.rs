use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::get_objective_page;
use super::key_result::KeyResultDetailView;
use super::model::{CommentView, ObjectivePage, Relative};
use crate::i18n::*;
use crate::okr::{Explanation, InputView, Meter, StatusBadge, StatusLegend, reading_words};
use crate::ui::{LineChart, ShortDate, day_month, full_date, percent};

#[component]
pub fn ObjectivePageView() -> impl IntoView {
    let params = use_params_map();
    let id = move || crate::layout::number_in(params, "id");
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_objective_page(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    crate::layout::loaded(data, |page| view! { <Objective page /> })
}

#[component]
fn Objective(page: ObjectivePage) -> impl IntoView {
    let i18n = use_i18n();
    let ObjectivePage {
        objective,
        description,
        period,
        parent,
        children,
        key_results,
        chart,
        initiatives,
        comments,
        editable,
        may_grade,
        live_mark,
        period_state,
        grade,
        retrospective,
        comment_outcome,
        following,
        carried,
        with_aligned,
        ..
    } = page;
    let grading = matches!(
        period_state,
        cairn::period::PeriodState::Grading | cairn::period::PeriodState::Closed
    );
    let objective_id = objective.id;
    // The latest check-ins a comment may answer, newest first, each told apart by
    // its key result, reading, day and author.
    let mut recent_check_ins: Vec<(i64, i64, String)> = key_results
        .iter()
        .flat_map(|kr| {
            kr.history.iter().map(|h| {
                let mut label = format!(
                    "{} · {} · {}",
                    kr.view.title,
                    reading_words(i18n, h.reading.clone()),
                    full_date(i18n, h.at_ms)
                );
                if let Some((_, author)) = &h.author {
                    label.push_str(" · ");
                    label.push_str(author);
                }
                (h.id, h.at_ms, label)
            })
        })
        .collect();
    recent_check_ins.sort_by_key(|(_, at, _)| std::cmp::Reverse(*at));
    recent_check_ins.truncate(12);
    let recent_check_ins: Vec<(i64, String)> = recent_check_ins
        .into_iter()
        .map(|(id, _, label)| (id, label))
        .collect();
    let title = objective.title.clone();
    let owner_href = objective.owner.href();
    let owner_name = objective.owner.name().to_string();
    let committed = objective.committed;
    let chart_label = format!("{title}: {} %", percent(objective.progress));
    let (start_label, end_label) = (
        day_month(i18n, chart.start_ms),
        day_month(i18n, chart.end_ms),
    );
    view! {
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, breadcrumbs).to_string()>
            <ol>
                <li>
                    <a href=owner_href>{owner_name}</a>
                </li>
                <li>
                    <a href=format!("/?period={}", period.0)>{period.1.clone()}</a>
                </li>
                <li aria-current="page">{title.clone()}</li>
            </ol>
        </nav>
        <section class="page-head">
            <div>
                <p class="eyebrow">
                    {t!(i18n, objective)} " · "
                    {move || if committed { t_string!(i18n, committed).to_string() } else { t_string!(i18n, aspirational).to_string() }}
                </p>
                <h1>{title.clone()}</h1>
                {description.map(|html| view! { <div class="lead description" inner_html=html></div> })}
                <p class="page-links">
                    <a rel="external" href=format!("/tree?period={}&focus={}&open={}", period.0, objective.id, objective.id)>{t!(i18n, show_in_tree)}</a>
                    " · "
                    <a href=format!("/plan/{}", objective.id)>{t!(i18n, plan_link)}</a>
                    {crate::auth::viewer().filter(|v| v.admin).map(|_| view! {
                        " · "
                        <a href=format!("/audit?entity=objectives&id={}", objective.id)>{t!(i18n, history_link)}</a>
                    })}
                    {editable.then(|| view! {
                        " · "
                        <a class="edit-link" rel="external" href=format!("/objectives/{}/edit", objective.id)>{t!(i18n, edit_objective)}</a>
                        " · "
                        <a class="delete-link" href=format!("/objectives/{}/delete", objective.id)>{t!(i18n, delete_objective)}</a>
                    })}
                </p>
                {grading.then(|| view! {
                    <p class="grade-result">
                        <span class="summary-label">{t!(i18n, grade_objective)}</span> " "
                        <strong>{grade.map(|g| crate::ui::decimal(i18n, g, 2)).unwrap_or_else(|| "–".into())}</strong>
                        {may_grade.then(|| view! {
                            " · "
                            <a class="grade-link" rel="external" href=format!("/objectives/{}/grade", objective.id)>{t!(i18n, grade_link)}</a>
                        })}
                    </p>
                })}
                {retrospective.map(|r| view! { <blockquote class="retrospective">{r}</blockquote> })}
                <crate::grading::CarryLinks from=carried.0 to=carried.1 />
                {(period_state == cairn::period::PeriodState::Grading).then(|| view! {
                    <p class="notice" id="check-ins-closed">{t!(i18n, check_ins_closed_grading)}</p>
                })}
                <crate::notices::FollowForm objective=objective_id following />
                <crate::live::LiveMeters after=live_mark />
                <crate::error::PageProblemWords />
            </div>
        </section>
        <section class="summary">
            <div class="summary-figure">
                <span class="summary-label">{t!(i18n, overall_progress)}</span>
                <Meter
                    key=format!("o-{}", objective.id)
                    progress=objective.progress
                    verdict=objective.verdict
                    explanation=objective.explanation
                    label=title.clone()
                />
                {with_aligned.map(|aligned| {
                    let own = InputView {
                        label: t_string!(i18n, own_key_results).to_string(),
                        share: aligned.own_share,
                        weight: 1.0,
                        progress: objective.progress,
                    };
                    let inputs = std::iter::once(own).chain(aligned.children).collect();
                    view! {
                        <span class="summary-label with-aligned">{t!(i18n, with_aligned)}</span>
                        <Meter
                            key=format!("s-{}", objective.id)
                            progress=aligned.progress
                            verdict=aligned.verdict
                            explanation=Explanation::RolledUp { inputs, expected: aligned.expected }
                            label=format!("{title} Σ")
                        />
                    }
                })}
            </div>
            <figure class="chart-figure">
                <LineChart chart label=chart_label start_label end_label />
                <figcaption>{t!(i18n, chart_caption)}</figcaption>
            </figure>
            <StatusLegend />
        </section>
        <div class="front-grid">
            <section class="key-result-details" aria-labelledby="key-results">
                <h2 id="key-results">{t!(i18n, key_results)}</h2>
                {key_results.into_iter().map(|detail| view! { <KeyResultDetailView detail /> }).collect_view()}
            </section>
            <aside class="attention-column">
                <section class="card" aria-labelledby="cascade">
                    <h2 id="cascade">{t!(i18n, cascade)}</h2>
                    <h3 class="small-heading">{t!(i18n, aligned_to)}</h3>
                    {match parent {
                        Some(p) => view! { <ul class="plain-list"><RelativeLine relative=p /></ul> }.into_any(),
                        None => view! { <p class="empty">{t!(i18n, top_level)}</p> }.into_any(),
                    }}
                    <h3 class="small-heading">{t!(i18n, contributing)}</h3>
                    {if children.is_empty() {
                        view! { <p class="empty">{t!(i18n, no_children)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list">
                                {children.into_iter().map(|c| view! { <RelativeLine relative=c /> }).collect_view()}
                            </ul>
                        }
                            .into_any()
                    }}
                </section>
                <section class="card" aria-labelledby="initiatives">
                    <h2 id="initiatives">{t!(i18n, initiatives)}</h2>
                    {if initiatives.is_empty() {
                        view! { <p class="empty">{t!(i18n, no_initiatives)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list">
                                {initiatives
                                    .into_iter()
                                    .map(|(title, done)| view! { <InitiativeLine title done /> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }}
                </section>
                <section class="card" aria-labelledby="comments">
                    <h2 id="comments">{t!(i18n, comments)}</h2>
                    {if comments.is_empty() {
                        view! { <p class="empty">{t!(i18n, no_comments)}</p> }.into_any()
                    } else {
                        view! {
                            <ol class="comment-list">
                                {comments
                                    .into_iter()
                                    .map(|CommentView { id, about, author, at_ms: at, html }| {
                                        view! {
                                            <li id=format!("comment-{id}")>
                                                <p class="attention-meta">
                                                    {author.map(|(id, name)| view! { <a href=format!("/people/{id}")>{name}</a> " · " })}
                                                    <ShortDate ms=at />
                                                    {about.map(|(kr, when)| view! {
                                                        " · " <span class="comment-about">{t!(i18n, comment_on_check_in)} " " {kr} ", " <ShortDate ms=when /></span>
                                                    })}
                                                </p>
                                                <div class="comment-body" inner_html=html></div>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        }
                            .into_any()
                    }}
                    <CommentForm objective=objective_id check_ins=recent_check_ins outcome=comment_outcome />
                </section>
            </aside>
        </div>
    }
}

/// A plain form: the server stores the comment and sends the page back with it.
#[component]
fn CommentForm(
    objective: i64,
    /// (check-in id, key result, when), newest first: what a comment may answer.
    /// Check-ins a comment may be about: id and how the list names it.
    check_ins: Vec<(i64, String)>,
    /// The last comment sent from here, when it was refused.
    outcome: Option<crate::forms::Outcome>,
) -> impl IntoView {
    let i18n = use_i18n();
    let refused = outcome
        .as_ref()
        .and_then(|o| o.result.as_ref().err())
        .map(|r| r.error.clone());
    let typed = |field: &str| {
        outcome
            .as_ref()
            .and_then(|o| o.typed(field))
            .unwrap_or_default()
    };
    let (body, about) = (typed("body"), typed("check_in"));
    view! {
        <form class="comment-form" id="comment-form" method="post" action=format!("/objectives/{objective}/comments")>
            <label for="comment-body">{t!(i18n, comment_label)}</label>
            {refused.map(|error| {
                #[cfg(feature = "ssr")]
                let message = crate::error::ProblemWords::here().refusal(t_string!(i18n, not_saved), &error);
                #[cfg(not(feature = "ssr"))]
                let message = { let _ = error; String::new() };
                view! { <p class="form-error" role="alert">{message}</p> }
            })}
            {(!check_ins.is_empty()).then(|| view! {
                <label for="comment-about">{t!(i18n, comment_about)}</label>
                <select id="comment-about" name="check_in">
                    <option value="">{t!(i18n, comment_about_objective)}</option>
                    {check_ins.into_iter().map(|(id, label)| {
                        view! { <option value=id.to_string() selected=about == id.to_string()>{label}</option> }
                    }).collect_view()}
                </select>
            })}
            <textarea id="comment-body" name="body" rows="3" required aria-describedby="comment-hint" prop:value=body.clone()>{body.clone()}</textarea>
            <p class="hint" id="comment-hint">{t!(i18n, comment_hint)}</p>
            <button type="submit">{t!(i18n, comment_send)}</button>
        </form>
    }
}

#[component]
fn RelativeLine(relative: Relative) -> impl IntoView {
    let i18n = use_i18n();
    let Relative {
        id,
        title,
        owner,
        progress,
        verdict,
        via_key_result,
    } = relative;
    let owner_href = owner.href();
    let owner_name = owner.name().to_string();
    view! {
        <li class="relative">
            <a href=format!("/objectives/{id}")>{title}</a>
            <span class="attention-meta">
                <a href=owner_href>{owner_name}</a>
                " · "
                <StatusBadge verdict />
                " · "
                <span data-meter=format!("o-{id}")>
                    <span class="live-figure">{format!("{} %", percent(progress))}</span>
                </span>
            </span>
            {via_key_result.map(|kr| view! { <span class="attention-objective">{t!(i18n, via_key_result)} " " {kr}</span> })}
        </li>
    }
}

/// One initiative: a mark that shows whether it is done, and says so to screen readers.
#[component]
fn InitiativeLine(title: String, done: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="initiative" class:done=done>
            <span class="initiative-mark" aria-hidden="true">{if done { "✓" } else { "○" }}</span>
            <span class="visually-hidden">
                {move || if done { t_string!(i18n, initiative_done) } else { t_string!(i18n, initiative_open) }} ": "
            </span>
            {title}
        </li>
    }
}
