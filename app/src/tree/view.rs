//! The tree page: its heading, the period and date pickers, and the island.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::data::TreePage;
use super::get_tree;
use super::island::CascadeTree;
use super::model::{Forest, ViewState};
use super::words::TreeWords;
use crate::i18n::*;
use crate::okr::{PeriodSwitcher, StatusLegend};

#[component]
pub fn TreePageView() -> impl IntoView {
    let query = use_query_map();
    let asked = move || {
        (
            crate::layout::number_in(query, "period"),
            query
                .with(|q| q.get("as_of"))
                .filter(|d| !d.trim().is_empty()),
        )
    };
    let data = Resource::new(asked, |(period, as_of)| get_tree(period, as_of));
    crate::layout::loaded(data, |page| view! { <Tree page /> })
}

#[component]
fn Tree(page: TreePage) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let TreePage {
        context,
        data,
        as_of,
    } = page;
    let view = query.with_untracked(|q| {
        let ids = |key: &str| -> Option<HashSet<i64>> {
            q.get(key).map(|list| {
                list.split(',')
                    .filter_map(|s| s.trim().parse().ok())
                    .collect()
            })
        };
        ViewState {
            // By default the top two levels show; deeper ones open on demand.
            expanded: ids("open")
                .unwrap_or_else(|| Forest::new(data.clone()).roots().into_iter().collect()),
            focus: q.get("focus").and_then(|f| f.parse().ok()),
            owner: q.get("owner").filter(|o| !o.is_empty()),
            query: q.get("q").unwrap_or_default().chars().take(200).collect(),
        }
    });
    let plan_target = view
        .focus
        .or_else(|| Forest::new(data.clone()).roots().first().copied());
    let words = tree_words(i18n);
    let period_id = context.current.id;
    let as_of_value = as_of.clone().unwrap_or_default();
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{context.current.name.clone()}</p>
                <h1>{t!(i18n, tree_title)}</h1>
                <p class="lead">{t!(i18n, tree_lead)}</p>
                <StatusLegend />
            </div>
            <div class="tree-pickers">
                <PeriodSwitcher context action="/tree".to_string() />
                <form class="as-of" method="get" action="/tree">
                    <input type="hidden" name="period" value=period_id.to_string() />
                    <label for="as_of">{t!(i18n, tree_as_of)}</label>
                    <input id="as_of" name="as_of" type="date" value=as_of_value />
                    <button type="submit">{t!(i18n, show)}</button>
                    {as_of.is_some().then(|| view! { <a href=format!("/tree?period={period_id}")>{t!(i18n, tree_today)}</a> })}
                </form>
                {plan_target.map(|id| view! { <a class="plan-link" href=format!("/plan/{id}")>{t!(i18n, plan_link)}</a> })}
            </div>
        </section>
        <CascadeTree data view words as_of />
        <crate::error::PageProblemWords />
    }
}

fn tree_words(i18n: leptos_i18n::I18nContext<Locale>) -> TreeWords {
    let s = |text: &str| text.to_string();
    TreeWords {
        tree_label: s(t_string!(i18n, tree_title)),
        expand: s(t_string!(i18n, tree_expand)),
        collapse: s(t_string!(i18n, tree_collapse)),
        expand_all: s(t_string!(i18n, tree_expand_all)),
        collapse_all: s(t_string!(i18n, tree_collapse_all)),
        focus: s(t_string!(i18n, tree_focus)),
        show_all: s(t_string!(i18n, tree_show_all)),
        focused_on: s(t_string!(i18n, tree_focused_on)),
        search: s(t_string!(i18n, tree_search)),
        owner_filter: s(t_string!(i18n, tree_owner_filter)),
        clear: s(t_string!(i18n, tree_clear)),
        hits: s(t_string!(i18n, tree_hits)),
        key_result: s(t_string!(i18n, key_result)),
        with_aligned: s(t_string!(i18n, tree_with_aligned)),
        move_to: s(t_string!(i18n, tree_move_to)),
        move_title: s(t_string!(i18n, tree_move_title)),
        find_parent: s(t_string!(i18n, tree_find_parent)),
        top_level: s(t_string!(i18n, tree_top_level)),
        move_up: s(t_string!(i18n, tree_move_up)),
        move_down: s(t_string!(i18n, tree_move_down)),
        cancel: s(t_string!(i18n, cancel)),
        drop_top: s(t_string!(i18n, tree_drop_top)),
        moved: s(t_string!(i18n, tree_moved)),
        live: s(t_string!(i18n, live)),
        reconnecting: s(t_string!(i18n, reconnecting)),
        read_only: s(t_string!(i18n, tree_read_only)),
        empty: s(t_string!(i18n, no_objectives)),
        not_moved: s(t_string!(i18n, not_moved)),
        undo: s(t_string!(i18n, tree_undo)),
        undone: s(t_string!(i18n, tree_undone)),
        on_track: s(t_string!(i18n, status_on_track)),
        at_risk: s(t_string!(i18n, status_at_risk)),
        off_track: s(t_string!(i18n, status_off_track)),
        reason_confidence: t_string!(i18n, status_reason_confidence, confidence = "{c}")
            .to_string(),
        reason_behind: t_string!(
            i18n,
            status_reason_behind,
            progress = "{p}",
            expected = "{e}"
        )
        .to_string(),
    }
}
