//! `/periods/<id>/close`: before a period closes, what is still ungraded, and a
//! confirmation. Closed periods change only by an admin's audited correction;
//! an admin can reopen one for grading from `/periods`.

use cairn::period::PeriodState;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::load_close_check;
use super::model::CloseCheck;
use crate::forms::outcome_view;
use crate::i18n::*;

const CLOSE_FORM: &str = "close-period";

#[component]
pub fn ClosePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || crate::layout::number_in(params, "id");
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_close_check(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    crate::layout::loaded(data, |check| view! { <Close check /> })
}

#[component]
fn Close(check: CloseCheck) -> impl IntoView {
    let i18n = use_i18n();
    let period = check.period.clone();
    let id = period.id;
    let open = check.ungraded.len();
    let all = check.objectives;
    let body = if period.state != PeriodState::Grading {
        view! { <p class="notice" role="status">{t!(i18n, close_not_grading)}</p> }.into_any()
    } else {
        view! {
            {if open == 0 {
                view! { <p class="notice" role="status" id="close-all-graded">{t!(i18n, close_all_graded, count = move || all)}</p> }.into_any()
            } else {
                view! {
                    <p class="form-error" role="alert" id="close-ungraded">
                        {t!(i18n, close_ungraded, open = move || open, count = move || all)}
                    </p>
                    <ul class="ungraded-list">
                        {check.ungraded.iter().cloned().map(|u| {
                            let sheet = u.unit.map(|unit| view! {
                                " · " <a rel="external" href=format!("/units/{unit}/grade?period={id}")>{t!(i18n, close_grade_sheet)}</a>
                            });
                            view! {
                                <li>
                                    <a rel="external" href=format!("/objectives/{}/grade", u.objective)>{u.title}</a>
                                    " " <span class="hint">{u.owner}</span>{sheet}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form method="post" action=format!("/periods/{id}/close") class="close-form" id=CLOSE_FORM>
                <input type="hidden" name="version" value=period.version.to_string() />
                <p class="hint">{t!(i18n, close_explain)}</p>
                <button type="submit" class="primary danger">
                    {if open == 0 {
                        t_string!(i18n, close_confirm).to_string()
                    } else {
                        t_string!(i18n, close_confirm_ungraded, open = open).to_string()
                    }}
                </button>
                " " <a href="/periods">{t!(i18n, close_not_now)}</a>
            </form>
        }
        .into_any()
    };
    view! {
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, breadcrumbs).to_string()>
            <ol>
                <li><a href="/periods">{t!(i18n, periods_title)}</a></li>
                <li aria-current="page">{period.name.clone()}</li>
            </ol>
        </nav>
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, close_eyebrow)}</p>
                <h1>{t!(i18n, close_title, name = period.name.clone())}</h1>
            </div>
        </section>
        {outcome_view(check.outcome.clone(), CLOSE_FORM.to_string())}
        {body}
    }
}
