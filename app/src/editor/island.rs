//! The objective editor island: fields, key result rows, milestones, initiatives.
//! Problems show beside their fields once someone tried to save, and update as
//! they type; the server checks the same rules again.

use cairn::draft::{KeyResultDraft, ObjectiveDraft, Problem};
use leptos::prelude::*;

use super::api::save_objective;
use super::fields::{
    figure_field, focus_first_problem, number_field, radio, setup_form, take_kept_draft, text_field,
};
use super::model::{EditorStart, SetupChoices};
use super::words::EditorWords;
use crate::error::AppError;

/// A milestone row: its key, its stored id (None for a new one) and its title.
type MilestoneRow = (u64, Option<i64>, RwSignal<String>);

/// One key result row; every field its own signal so typing re-renders nothing else.
#[derive(Clone, Copy)]
struct KrRow {
    key: u64,
    id: Option<i64>,
    title: RwSignal<String>,
    kind: RwSignal<String>,
    direction: RwSignal<String>,
    start: RwSignal<String>,
    target: RwSignal<String>,
    unit: RwSignal<String>,
    weight: RwSignal<String>,
    milestones: RwSignal<Vec<MilestoneRow>>,
    owner: RwSignal<String>,
    due: RwSignal<String>,
}

fn next(counter: StoredValue<u64>) -> u64 {
    counter.update_value(|n| *n += 1);
    counter.get_value()
}

impl KrRow {
    fn new(kr: KeyResultDraft, counter: StoredValue<u64>) -> KrRow {
        KrRow {
            key: next(counter),
            id: kr.id,
            title: RwSignal::new(kr.title),
            kind: RwSignal::new(if kr.kind.is_empty() {
                "metric".into()
            } else {
                kr.kind
            }),
            direction: RwSignal::new(if kr.direction.is_empty() {
                "increase".into()
            } else {
                kr.direction
            }),
            start: RwSignal::new(kr.start),
            target: RwSignal::new(kr.target),
            unit: RwSignal::new(kr.unit),
            weight: RwSignal::new(if kr.weight.is_empty() {
                "1".into()
            } else {
                kr.weight
            }),
            milestones: RwSignal::new(
                kr.milestones
                    .into_iter()
                    .map(|(id, title)| (next(counter), id, RwSignal::new(title)))
                    .collect(),
            ),
            owner: RwSignal::new(kr.owner),
            due: RwSignal::new(kr.due),
        }
    }

    fn draft(&self) -> KeyResultDraft {
        KeyResultDraft {
            id: self.id,
            title: self.title.get(),
            kind: self.kind.get(),
            direction: self.direction.get(),
            start: self.start.get(),
            target: self.target.get(),
            unit: self.unit.get(),
            weight: self.weight.get(),
            milestones: self
                .milestones
                .get()
                .iter()
                .map(|(_, id, t)| (*id, t.get()))
                .collect(),
            owner: self.owner.get(),
            due: self.due.get(),
        }
    }
}

#[cfg_attr(island_objective_editor, island)]
#[cfg_attr(not(island_objective_editor), component)]
pub fn ObjectiveEditor(
    data: EditorStart,
    words: EditorWords,
    /// For a new objective: whose and when, chosen first (they decide what it can
    /// align to). Changing them loads the page afresh.
    setup: Option<SetupChoices>,
) -> impl IntoView {
    let hydrated = crate::ui::use_hydrated();
    let words = StoredValue::new(words);
    let w = words.get_value();
    let counter = StoredValue::new(0u64);
    let draft = data.draft.clone();
    let numbers = draft.numbers;
    let title = RwSignal::new(draft.title);
    let description = RwSignal::new(draft.description);
    let commitment = RwSignal::new(draft.commitment);
    let state = RwSignal::new(draft.state);
    let weight = RwSignal::new(draft.weight);
    let parent = RwSignal::new(String::new());
    let krs = RwSignal::new(
        draft
            .key_results
            .into_iter()
            .map(|kr| KrRow::new(kr, counter))
            .collect::<Vec<_>>(),
    );
    let initiatives = RwSignal::new(
        draft
            .initiatives
            .into_iter()
            .map(|t| (next(counter), RwSignal::new(t)))
            .collect::<Vec<_>>(),
    );
    let collect = move || ObjectiveDraft {
        title: title.get(),
        description: description.get(),
        commitment: commitment.get(),
        state: state.get(),
        weight: weight.get(),
        key_results: krs.get().iter().map(KrRow::draft).collect(),
        initiatives: initiatives.get().iter().map(|(_, t)| t.get()).collect(),
        numbers,
    };
    let tried = RwSignal::new(false);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let banner = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Once someone tried to save, problems follow what they type.
    Effect::new(move || {
        if tried.get() {
            problems.set(collect().validate().err().unwrap_or_default());
        }
    });
    let error_of = move |field: String| {
        problems.with(|list| {
            list.iter()
                .find(|p| p.field == field)
                .map(|p| words.with_value(|w| w.problem(&p.problem)))
        })
    };
    let (objective, owner, period) = (data.objective, data.owner.clone(), data.period);
    let undo_carry = data.undo_carry.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        tried.set(true);
        banner.set(None);
        let draft = untrack(collect);
        if let Err(found) = draft.validate() {
            problems.set(found);
            banner.set(Some(words.with_value(|w| w.fix_first.clone())));
            focus_first_problem();
            return;
        }
        busy.set(true);
        let owner = owner.clone();
        let parent = Some(parent.get_untracked()).filter(|p| !p.is_empty());
        leptos::task::spawn_local(async move {
            match save_objective(objective, Some(owner), Some(period), parent, draft).await {
                Ok(id) => {
                    let _ = window().location().set_href(&format!("/objectives/{id}"));
                }
                Err(AppError::Form(found)) => {
                    problems.set(found);
                    banner.set(Some(words.with_value(|w| w.fix_first.clone())));
                    busy.set(false);
                }
                Err(error) => {
                    banner.set(Some(words.with_value(|w| w.refusal(&error))));
                    busy.set(false);
                }
            }
        });
    };
    let add_kr = move |_| {
        krs.update(|rows| rows.push(KrRow::new(KeyResultDraft::default(), counter)));
    };
    let add_initiative = move |_| {
        initiatives.update(|rows| rows.push((next(counter), RwSignal::new(String::new()))));
    };
    let parents = data.parents.clone();
    let people = StoredValue::new(data.people.clone());
    let is_new = objective.is_none();
    let setup_form = setup.map(|setup| setup_form(setup, words, move || untrack(collect)));
    // A new objective keeps what was typed before its owner or period changed.
    if is_new {
        Effect::new(move |_| {
            if let Some(kept) = take_kept_draft() {
                title.set(kept.title);
                description.set(kept.description);
                commitment.set(kept.commitment);
                state.set(kept.state);
                weight.set(kept.weight);
                krs.set(
                    kept.key_results
                        .into_iter()
                        .map(|kr| KrRow::new(kr, counter))
                        .collect(),
                );
                initiatives.set(
                    kept.initiatives
                        .into_iter()
                        .map(|t| (next(counter), RwSignal::new(t)))
                        .collect(),
                );
            }
        });
    }
    view! {
        {setup_form}
        <form class="editor" novalidate on:submit=submit data-ready=move || hydrated.get().then_some("")>
            <p class="form-error" role="alert" hidden=move || banner.with(Option::is_none)>
                {move || banner.get().unwrap_or_default()}
            </p>
            {text_field("ed-title", w.title.clone(), title, "title".into(), error_of, 200, false)}
            {text_field("ed-description", w.description.clone(), description, "description".into(), error_of, 10_000, true)}
            <div class="editor-row">
                <fieldset class="choice">
                    <legend>{w.commitment.clone()}</legend>
                    {radio("commitment", "committed", w.committed.clone(), commitment)}
                    {radio("commitment", "aspirational", w.aspirational.clone(), commitment)}
                </fieldset>
                <div class="field">
                    <label for="ed-state">{w.state.clone()}</label>
                    <select id="ed-state" prop:value=state on:change=move |ev| state.set(event_target_value(&ev))>
                        <option value="draft">{w.state_draft.clone()}</option>
                        <option value="active">{w.state_active.clone()}</option>
                        {(!is_new).then(|| view! {
                            <option value="completed">{w.state_completed.clone()}</option>
                            <option value="abandoned">{w.state_abandoned.clone()}</option>
                        })}
                    </select>
                </div>
                {number_field("ed-weight".to_string(), w.weight.clone(), weight, "weight".into(), error_of)}
            </div>
            {is_new.then(|| view! {
                <div class="field">
                    <label for="ed-parent">{w.parent.clone()}</label>
                    <select id="ed-parent" on:change=move |ev| parent.set(event_target_value(&ev))>
                        <option value="">{w.parent_none.clone()}</option>
                        {parents.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                </div>
            })}
            <h2>{w.key_results.clone()}</h2>
            <ol class="editor-krs">
                <For each=move || krs.get() key=|row| row.key let:row>
                    {kr_row(row, krs, counter, words, people, error_of)}
                </For>
            </ol>
            <button type="button" class="add" on:click=add_kr>{w.add_key_result.clone()}</button>
            {super::coach::coach_view(collect, words)}
            <h2>{w.initiatives.clone()}</h2>
            <ul class="editor-list">
                <For each=move || initiatives.get() key=|(key, _)| *key let:item>
                    {
                        let (key, text) = item;
                        let index = move || initiatives.with(|l| l.iter().position(|(k, _)| *k == key).unwrap_or(0));
                        let id = format!("ed-initiative-{key}");
                        view! {
                            <li>
                                <label for=id.clone() class="visually-hidden">{words.with_value(|w| w.initiative.clone())}</label>
                                <input id=id type="text" prop:value=text
                                    on:input=move |ev| text.set(event_target_value(&ev))
                                    aria-invalid=move || error_of(format!("initiatives.{}", index())).map(|_| "true") />
                                <button type="button" class="remove" on:click=move |_| initiatives.update(|l| l.retain(|(k, _)| *k != key))>
                                    {words.with_value(|w| w.remove.clone())}
                                </button>
                                <span class="field-error">{move || error_of(format!("initiatives.{}", index()))}</span>
                            </li>
                        }
                    }
                </For>
            </ul>
            <button type="button" class="add" on:click=add_initiative>{w.add_initiative.clone()}</button>
            <div class="editor-actions">
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || words.with_value(|w| if busy.get() { w.saving.clone() } else { w.save.clone() })}
                </button>
                {match (objective, undo_carry.clone()) {
                    (Some((id, _)), Some((_, from))) => view! {
                        <details class="undo-carry" id="undo-carry">
                            <summary>{w.cancel.clone()}</summary>
                            <p>{w.undo_carry_question.replace("%period%", &from)}</p>
                            <button type="submit" form="undo-carry-form" class="danger">{w.undo_carry.clone()}</button>
                            " " <a href=format!("/objectives/{id}")>{w.keep_copy.clone()}</a>
                        </details>
                    }.into_any(),
                    _ => view! {
                        <a href=match objective { Some((id, _)) => format!("/objectives/{id}"), None => "/my".to_string() }>{w.cancel.clone()}</a>
                    }.into_any(),
                }}
            </div>
        </form>
    }
}

fn kr_row(
    row: KrRow,
    krs: RwSignal<Vec<KrRow>>,
    counter: StoredValue<u64>,
    words: StoredValue<EditorWords>,
    people: StoredValue<Vec<(i64, String)>>,
    error_of: impl Fn(String) -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let w = words.get_value();
    let key = row.key;
    let index = move || krs.with(|l| l.iter().position(|r| r.key == key).unwrap_or(0));
    let at = move |name: &str| format!("key_results.{}.{name}", index());
    let id = move |name: &str| format!("ed-kr-{key}-{name}");
    let locked = row.id.is_some();
    let kind_select = view! {
        <div class="field">
            <label for=id("kind")>{w.kind.clone()}</label>
            <select id=id("kind") prop:value=row.kind disabled=locked title=locked.then(|| w.kind_locked.clone())
                on:change=move |ev| row.kind.set(event_target_value(&ev))>
                <option value="metric">{w.kind_metric.clone()}</option>
                <option value="binary">{w.kind_binary.clone()}</option>
                <option value="milestones">{w.kind_milestones.clone()}</option>
                <option value="duration">{w.kind_duration.clone()}</option>
            </select>
        </div>
    };
    let measure = move || {
        let w = words.get_value();
        match row.kind.get().as_str() {
            kind @ ("metric" | "duration") => {
                let shape = (kind == "duration").then(|| w.duration_shape.clone());
                view! {
                <div class="editor-row">
                    <div class="field">
                        <label for=id("direction")>{w.direction.clone()}</label>
                        <select id=id("direction") prop:value=row.direction on:change=move |ev| row.direction.set(event_target_value(&ev))>
                            <option value="increase">{w.direction_increase.clone()}</option>
                            <option value="decrease">{w.direction_decrease.clone()}</option>
                            <option value="stay_at_or_above">{w.direction_stay_at_or_above.clone()}</option>
                            <option value="stay_at_or_below">{w.direction_stay_at_or_below.clone()}</option>
                        </select>
                    </div>
                    {figure_field(id("start"), w.start.clone(), row.start, at("start"), error_of, shape.clone())}
                    {figure_field(id("target"), w.target.clone(), row.target, at("target"), error_of, shape.clone())}
                    {shape.is_none().then(|| view! {
                        <div class="field unit">
                            <label for=id("unit")>{w.unit.clone()}</label>
                            <input id=id("unit") type="text" prop:value=row.unit
                                on:input=move |ev| row.unit.set(event_target_value(&ev)) />
                            <span class="field-error">{move || error_of(at("unit"))}</span>
                        </div>
                    })}
                </div>
                }
                .into_any()
            }
            "milestones" => view! {
                <fieldset class="milestones">
                    <legend>{w.milestones.clone()}</legend>
                    <span class="field-error">{move || error_of(at("milestones"))}</span>
                    <ul class="editor-list">
                        <For each=move || row.milestones.get() key=|(k, _, _)| *k let:item>
                            {
                                let (mkey, _, text) = item;
                                let mindex = move || row.milestones.with(|l| l.iter().position(|(k, _, _)| *k == mkey).unwrap_or(0));
                                let field = move || format!("key_results.{}.milestones.{}", index(), mindex());
                                let mid = format!("ed-ms-{mkey}");
                                view! {
                                    <li>
                                        <label for=mid.clone() class="visually-hidden">{words.with_value(|w| w.milestone.clone())}</label>
                                        <input id=mid type="text" prop:value=text
                                            on:input=move |ev| text.set(event_target_value(&ev))
                                            aria-invalid=move || error_of(field()).map(|_| "true") />
                                        <button type="button" class="remove" on:click=move |_| row.milestones.update(|l| l.retain(|(k, _, _)| *k != mkey))>
                                            {words.with_value(|w| w.remove.clone())}
                                        </button>
                                        <span class="field-error">{move || error_of(field())}</span>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                    <button type="button" class="add" on:click=move |_| row.milestones.update(|l| l.push((next(counter), None, RwSignal::new(String::new()))))>
                        {w.add_milestone.clone()}
                    </button>
                </fieldset>
            }
            .into_any(),
            _ => ().into_any(),
        }
    };
    view! {
        <li class="editor-kr">
            <div class="editor-row">
                <div class="field grow">
                    <label for=id("title")>{w.kr_title.clone()}</label>
                    <input id=id("title") type="text" prop:value=row.title
                        on:input=move |ev| row.title.set(event_target_value(&ev))
                        aria-invalid=move || error_of(at("title")).map(|_| "true") />
                    <span class="field-error">{move || error_of(at("title"))}</span>
                </div>
                {kind_select}
                {number_field(id("weight"), w.weight.clone(), row.weight, at("weight"), error_of)}
            </div>
            {measure}
            <div class="editor-row">
                <div class="field">
                    <label for=id("owner")>{w.kr_owner.clone()}</label>
                    <select id=id("owner") prop:value=row.owner on:change=move |ev| row.owner.set(event_target_value(&ev))
                        aria-invalid=move || error_of(at("owner")).map(|_| "true")>
                        <option value="">{w.kr_owner_none.clone()}</option>
                        {people.get_value().into_iter().map(|(person, name)| {
                            let value = person.to_string();
                            let selected = row.owner.get_untracked() == value;
                            view! { <option value=value selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                    <span class="field-error">{move || error_of(at("owner"))}</span>
                </div>
                <div class="field">
                    <label for=id("due")>{w.kr_due.clone()}</label>
                    <input id=id("due") type="date" prop:value=row.due
                        on:input=move |ev| row.due.set(event_target_value(&ev))
                        aria-invalid=move || error_of(at("due")).map(|_| "true") />
                    <span class="field-error">{move || error_of(at("due"))}</span>
                </div>
            </div>
            <button type="button" class="remove" on:click=move |_| krs.update(|l| l.retain(|r| r.key != key))>
                {w.remove.clone()}
            </button>
        </li>
    }
}
