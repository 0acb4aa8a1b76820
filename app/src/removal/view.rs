//! `/objectives/<id>/delete`: what goes with the objective, where the objectives
//! aligned to it go, and one button. A plain form: it works before the wasm.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::deletion_offer;
use super::model::{DeletionReach, FORM};
use crate::i18n::*;

#[component]
pub fn DeleteObjectivePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || crate::layout::number_in(params, "id");
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => deletion_offer(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    crate::layout::loaded(data, |offer| view! { <Deletion offer /> })
}

#[component]
fn Deletion(offer: DeletionReach) -> impl IntoView {
    let i18n = use_i18n();
    let DeletionReach {
        objective,
        title,
        version,
        parent,
        children,
        key_results,
        check_ins,
        comments,
        outcome,
    } = offer;
    let back = format!("/objectives/{objective}");
    let count = children.len();
    let children_part = if children.is_empty() {
        view! {
            <p>{t!(i18n, delete_no_children)}</p>
            <input type="hidden" name="children" value="unaligned" />
        }
        .into_any()
    } else {
        let list = children
            .into_iter()
            .map(|(id, title)| view! { <li><a href=format!("/objectives/{id}")>{title}</a></li> })
            .collect_view();
        let choice = match parent {
            Some((above, above_title)) => view! {
                <fieldset class="field delete-children">
                    <legend>{t!(i18n, delete_children_where)}</legend>
                    <label class="check">
                        <input type="radio" name="children" value="to_parent" checked />
                        <span>
                            {t!(i18n, delete_to_parent)} " "
                            <a href=format!("/objectives/{above}")>{above_title}</a>
                        </span>
                    </label>
                    <label class="check">
                        <input type="radio" name="children" value="unaligned" />
                        {t!(i18n, delete_unaligned)}
                    </label>
                </fieldset>
            }
            .into_any(),
            None => view! {
                <p>{t!(i18n, delete_children_top)}</p>
                <input type="hidden" name="children" value="unaligned" />
            }
            .into_any(),
        };
        view! {
            <p>{t!(i18n, delete_children, count = count)}</p>
            <ul class="plain-list delete-list">{list}</ul>
            {choice}
        }
        .into_any()
    };
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, objective)}</p>
                <h1>{t!(i18n, delete_title, title = title.clone())}</h1>
                <p class="lead">
                    {t!(i18n, delete_takes, results = key_results, readings = check_ins, comments = comments)}
                </p>
            </div>
        </section>
        <form class="editor delete-form" id=FORM method="post" action=format!("/objectives/{objective}/delete")>
            {crate::forms::outcome_view(outcome, FORM.to_string())}
            <input type="hidden" name="version" value=version.to_string() />
            {children_part}
            <div class="editor-actions">
                <button type="submit" class="danger">{t!(i18n, delete_button)}</button>
                " "
                <a class="button" href=back>{t!(i18n, cancel)}</a>
            </div>
        </form>
    }
}
