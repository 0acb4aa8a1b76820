//! Reading a period's cascade for the tree view, and moving objectives in it.

use std::collections::HashMap;

use cairn::alignment::Parent;
use cairn::ids::{ObjectiveId, PersonId, UnitId};
use chrono::NaiveDate;

use super::data::TreePage;
use super::model::{KrData, NodeData, OwnerData, TreeData};
use crate::error::AppError;
use crate::live::MoveChange;
use crate::okr::server::{day_start_ms, period_context};
use crate::storage::{Db, objectives::alignment, reads};

/// The tree of a period (default: the current one), as it is or as it was at the
/// end of `as_of`. `mark` is the live mark read before the data.
pub async fn tree_page(
    db: &Db,
    period: Option<i64>,
    as_of: Option<NaiveDate>,
    mark: i64,
) -> Result<TreePage, AppError> {
    let Some((chosen, context)) = period_context(db, period).await? else {
        return Err(AppError::NotFound);
    };
    let as_of_ms = as_of
        .and_then(|day| day.succ_opt())
        .map(|next| day_start_ms(next) - 1);
    let key = format!("tree:{}:{as_of_ms:?}", chosen.id.0);
    let mut data = TreeData::clone(&*db.kept(key, read_tree(db, chosen.id.0, as_of_ms)).await?);
    data.elapsed = context.elapsed;
    (data.paces, data.period_names) = periods_of(db, &data).await?;
    data.read_only = as_of.is_some() || !chosen.state.is_open();
    data.mark = mark;
    data.editable = editable_owners(db, &data.owners).await?;
    Ok(TreePage {
        context,
        data,
        as_of: as_of.map(|d| d.to_string()),
    })
}

/// The expected pace and the name of every period the tree's objectives belong to.
type PeriodFacts = (Vec<(i64, f64)>, Vec<(i64, String)>);

async fn periods_of(db: &Db, data: &TreeData) -> Result<PeriodFacts, AppError> {
    let mut ids: Vec<i64> = data.objectives.iter().map(|o| o.period).collect();
    ids.sort_unstable();
    ids.dedup();
    let all = crate::storage::periods::periods(db).await?;
    Ok(ids
        .into_iter()
        .filter_map(|id| {
            all.iter().find(|p| p.id.0 == id).map(|p| {
                (
                    (id, crate::okr::server::expected(p)),
                    (id, p.name.as_str().to_string()),
                )
            })
        })
        .unzip())
}

/// Which of the tree's owners the reader may move objectives of, in owner order.
async fn editable_owners(db: &Db, owners: &[OwnerData]) -> Result<Vec<bool>, AppError> {
    let me = crate::auth::server::signed_in()?.actor;
    if me.admin {
        return Ok(vec![true; owners.len()]);
    }
    let units: std::collections::HashSet<String> =
        crate::storage::objectives::choices::writable_units(db, &me)
            .await?
            .into_iter()
            .map(|(unit, _)| format!("unit:{}", unit.0))
            .collect();
    let mine = format!("person:{}", me.person.0);
    Ok(owners
        .iter()
        .map(|o| o.key == mine || units.contains(&o.key))
        .collect())
}

async fn read_tree(db: &Db, period: i64, as_of_ms: Option<i64>) -> Result<TreeData, AppError> {
    let tree = reads::period_tree(db, cairn::ids::PeriodId(period), as_of_ms).await?;
    let units: Vec<UnitId> = tree
        .objectives
        .iter()
        .filter_map(|o| o.owner_unit)
        .collect();
    let people: Vec<PersonId> = tree
        .objectives
        .iter()
        .filter_map(|o| o.owner_person)
        .collect();
    let unit_names = reads::unit_names(db, &dedup(units)).await?;
    let person_names = reads::person_names(db, &dedup(people)).await?;
    let mut owners: Vec<OwnerData> = Vec::new();
    let mut owner_at: HashMap<String, u32> = HashMap::new();
    let mut owner_index = |key: String, name: &str| -> u32 {
        *owner_at.entry(key.clone()).or_insert_with(|| {
            owners.push(OwnerData {
                key,
                name: name.to_string(),
            });
            u32::try_from(owners.len() - 1).unwrap_or(u32::MAX)
        })
    };
    let objectives = tree
        .objectives
        .iter()
        .map(|o| {
            let owner = match (o.owner_unit, o.owner_person) {
                (Some(unit), _) => owner_index(
                    format!("unit:{}", unit.0),
                    unit_names.get(&unit).map_or("", String::as_str),
                ),
                (None, Some(person)) => owner_index(
                    format!("person:{}", person.0),
                    person_names.get(&person).map_or("", String::as_str),
                ),
                (None, None) => owner_index(String::new(), ""),
            };
            NodeData {
                id: o.id.0,
                period: o.period.0,
                title: o.title.clone(),
                owner,
                progress: rounded(o.progress),
                weight: o.weight,
                parent: None,
                position: o.position,
                version: o.version,
            }
        })
        .collect::<Vec<_>>();
    let mut data = TreeData {
        period,
        elapsed: 0.0,
        objectives,
        key_results: tree
            .key_results
            .iter()
            .map(|k| KrData {
                id: k.id.0,
                objective: k.objective.0,
                title: k.title.clone(),
                progress: rounded(k.progress),
                confidence: k.confidence.and_then(|c| u8::try_from(c).ok()),
            })
            .collect(),
        owners,
        read_only: false,
        editable: Vec::new(),
        paces: Vec::new(),
        period_names: Vec::new(),
        beyond: Vec::new(),
        mark: 0,
    };
    // The parent of each objective, as the tree drew it.
    let mut parent_of: HashMap<i64, Parent> = HashMap::new();
    for o in &tree.objectives {
        for child in tree.tree.children(o.id) {
            parent_of.insert(child.0, Parent::Objective(o.id));
        }
    }
    for k in &tree.key_results {
        for child in tree.tree.children_of_key_result(k.id) {
            parent_of.insert(child.0, Parent::KeyResult(k.id));
        }
    }
    for node in &mut data.objectives {
        node.parent = parent_of.get(&node.id).copied();
    }
    if as_of_ms.is_none() {
        data.beyond = beyond(db, &data).await?;
    }
    Ok(data)
}

/// For a year's tree, each year objective's figure with everything aligned below
/// it in every period (the quarters' objectives are not in this tree): its Σ.
async fn beyond(db: &Db, data: &TreeData) -> Result<Vec<(i64, f64)>, AppError> {
    let period = crate::storage::periods::period(db, cairn::ids::PeriodId(data.period)).await?;
    if period.kind != cairn::period::PeriodKind::Year {
        return Ok(Vec::new());
    }
    let mut figures = Vec::new();
    for node in data.objectives.iter().filter(|o| o.period == data.period) {
        let below = reads::below(db, ObjectiveId(node.id)).await?;
        if below.is_empty() {
            continue;
        }
        let own = cairn::Progress::from_ratio(node.progress).unwrap_or(cairn::Progress::ZERO);
        let rolled = cairn::rollup::with_aligned(ObjectiveId(node.id), own, &below);
        figures.push((node.id, rounded(rolled.progress.ratio())));
    }
    Ok(figures)
}

/// Progress to a hundredth of a percent: plenty for bars, short on the wire.
fn rounded(progress: f64) -> f64 {
    (progress * 10_000.0).round() / 10_000.0
}

fn dedup<T: Ord>(mut ids: Vec<T>) -> Vec<T> {
    ids.sort();
    ids.dedup();
    ids
}

/// Moves an objective; the answer is what every open tree is told.
pub async fn move_objective(
    db: &Db,
    objective: i64,
    version: i64,
    parent: Option<Parent>,
    index: u32,
) -> Result<MoveChange, AppError> {
    let actor = crate::auth::server::may_edit(db, ObjectiveId(objective)).await?;
    let moved = alignment::place(
        db,
        Some(actor.person),
        ObjectiveId(objective),
        version,
        parent,
        Some(index as usize),
    )
    .await?;
    Ok(MoveChange {
        objective,
        parent: moved.parent,
        siblings: moved.siblings.iter().map(|id| id.0).collect(),
        version: moved.objective.version,
    })
}
