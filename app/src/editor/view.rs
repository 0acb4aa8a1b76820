//! The editor's pages: `/objectives/new` (choose owner and period, then write) and
//! `/objectives/<id>/edit`.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::island::ObjectiveEditor;
use super::words::EditorWords;
use super::{EditorStart, SetupChoices, editor_data, editor_setup};
use crate::i18n::*;

#[component]
pub fn NewObjectivePage() -> impl IntoView {
    let query = use_query_map();
    let owner = move || query.with(|q| q.get("owner"));
    let period = move || query.with(|q| q.get("period").and_then(|p| p.parse::<i64>().ok()));
    let data = Resource::new(
        move || (owner(), period()),
        |(owner, period)| async move {
            let setup = editor_setup(owner, period).await?;
            let data = editor_data(None, Some(setup.owner.clone()), Some(setup.period)).await?;
            Ok((setup, data))
        },
    );
    crate::layout::loaded(data, |(setup, data)| view! { <NewObjective setup data /> })
}

#[component]
fn NewObjective(setup: SetupChoices, data: EditorStart) -> impl IntoView {
    let i18n = use_i18n();
    let words = editor_words(i18n);
    let (data_owner, data_period) = (data.owner_name.clone(), data.period_name.clone());
    view! {
        <section class="page-head">
            <div>
                <h1>{t!(i18n, editor_new_title)}</h1>
                <p class="lead">{t!(i18n, editor_new_lead)}</p>
            </div>
        </section>
        <p class="editor-for">{t!(i18n, editor_for, owner = data_owner, period = data_period)}</p>
        <ObjectiveEditor data words setup=Some(setup) />
        <crate::error::PageProblemWords />
    }
}

#[component]
pub fn EditObjectivePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || crate::layout::number_in(params, "id");
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => editor_data(Some(id), None, None).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    crate::layout::loaded(data, |data| view! { <EditObjective data /> })
}

#[component]
fn EditObjective(data: EditorStart) -> impl IntoView {
    let i18n = use_i18n();
    let words = editor_words(i18n);
    let title = data.draft.title.clone();
    let undo = data.objective.filter(|_| data.undo_carry.is_some()).map(|(id, _)| {
        view! { <form id="undo-carry-form" method="post" action=format!("/objectives/{id}/undo-carry")></form> }
    });
    let outcome = data.undo_outcome.clone();
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, editor_edit_title)}</p>
                <h1>{title}</h1>
                <p class="editor-for">{t!(i18n, editor_for, owner = data.owner_name.clone(), period = data.period_name.clone())}</p>
                {data.undo_carry.clone().map(|(from, period)| view! {
                    <crate::grading::CarryLinks from=Some((from, period)) to=None />
                })}
            </div>
        </section>
        {crate::forms::outcome_view(outcome, "undo-carry".to_string())}
        {undo}
        <ObjectiveEditor data words setup=None />
        <crate::error::PageProblemWords />
    }
}

fn editor_words(i18n: leptos_i18n::I18nContext<Locale>) -> EditorWords {
    let s = |text: &str| text.to_string();
    EditorWords {
        title: s(t_string!(i18n, editor_title)),
        description: s(t_string!(i18n, editor_description)),
        commitment: s(t_string!(i18n, editor_commitment)),
        committed: s(t_string!(i18n, committed)),
        aspirational: s(t_string!(i18n, aspirational)),
        state: s(t_string!(i18n, editor_state)),
        state_draft: s(t_string!(i18n, editor_state_draft)),
        state_active: s(t_string!(i18n, editor_state_active)),
        state_completed: s(t_string!(i18n, editor_state_completed)),
        state_abandoned: s(t_string!(i18n, editor_state_abandoned)),
        weight: s(t_string!(i18n, editor_weight)),
        parent: s(t_string!(i18n, editor_parent)),
        parent_none: s(t_string!(i18n, editor_parent_none)),
        key_results: s(t_string!(i18n, key_results)),
        key_result: s(t_string!(i18n, key_result)),
        kr_title: s(t_string!(i18n, editor_kr_title)),
        kr_owner: s(t_string!(i18n, editor_kr_owner)),
        kr_owner_none: s(t_string!(i18n, editor_kr_owner_none)),
        kr_due: s(t_string!(i18n, editor_kr_due)),
        coach_title: s(t_string!(i18n, coach_title)),
        coach_too_few: t_string!(i18n, coach_too_few, n = "{n}", min = "{min}").to_string(),
        coach_too_many: t_string!(i18n, coach_too_many, n = "{n}", max = "{max}").to_string(),
        coach_activity: t_string!(i18n, coach_activity, title = "{title}").to_string(),
        coach_number: s(t_string!(i18n, coach_number)),
        kind: s(t_string!(i18n, editor_kind)),
        kind_metric: s(t_string!(i18n, editor_kind_metric)),
        kind_binary: s(t_string!(i18n, editor_kind_binary)),
        kind_milestones: s(t_string!(i18n, editor_kind_milestones)),
        kind_duration: s(t_string!(i18n, editor_kind_duration)),
        duration_shape: s(t_string!(i18n, editor_duration_shape)),
        direction: s(t_string!(i18n, editor_direction)),
        direction_increase: s(t_string!(i18n, editor_direction_increase)),
        direction_decrease: s(t_string!(i18n, editor_direction_decrease)),
        direction_stay_at_or_above: s(t_string!(i18n, editor_direction_above)),
        direction_stay_at_or_below: s(t_string!(i18n, editor_direction_below)),
        start: s(t_string!(i18n, editor_start)),
        target: s(t_string!(i18n, editor_target)),
        unit: s(t_string!(i18n, editor_unit)),
        milestones: s(t_string!(i18n, editor_milestones)),
        milestone: s(t_string!(i18n, editor_milestone)),
        add_milestone: s(t_string!(i18n, editor_add_milestone)),
        add_key_result: s(t_string!(i18n, editor_add_key_result)),
        remove: s(t_string!(i18n, editor_remove)),
        initiatives: s(t_string!(i18n, initiatives)),
        initiative: s(t_string!(i18n, editor_initiative)),
        add_initiative: s(t_string!(i18n, editor_add_initiative)),
        save: s(t_string!(i18n, editor_save)),
        saving: s(t_string!(i18n, check_in_saving)),
        cancel: s(t_string!(i18n, editor_cancel)),
        fix_first: s(t_string!(i18n, editor_fix_first)),
        not_saved: s(t_string!(i18n, not_saved)),
        kind_locked: s(t_string!(i18n, why_kind_fixed)),
        owner: s(t_string!(i18n, editor_owner)),
        period: s(t_string!(i18n, editor_period)),
        change: s(t_string!(i18n, editor_change_setup)),
        planning: s(t_string!(i18n, period_planning)),
        undo_carry_question: s(t_string!(i18n, editor_undo_carry_question)),
        undo_carry: s(t_string!(i18n, editor_undo_carry)),
        keep_copy: s(t_string!(i18n, editor_keep_copy)),
    }
}
