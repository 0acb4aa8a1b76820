//! The editor's server side: who may write what, then storage.

use cairn::alignment::Parent;
use cairn::draft::ObjectiveDraft;
use cairn::ids::{KeyResultId, ObjectiveId, PeriodId, PersonId, UnitId};
use cairn::model::Owner;
use cairn::period::{PeriodKind, PeriodState};

use super::{EditorStart, SetupChoices};
use crate::auth::server::{may_edit, may_edit_for, signed_in};
use crate::error::AppError;
use crate::storage::objectives::editing::{Placement, save_objective};
use crate::storage::{Db, objectives::carry, objectives::choices, org, periods};

/// "unit:3" or "person:7".
pub fn parse_owner(text: &str) -> Result<Owner, AppError> {
    let invalid = || AppError::Invalid {
        field: "owner".into(),
        problem: cairn::draft::FieldProblem::UnknownChoice,
    };
    let (kind, id) = text.split_once(':').ok_or_else(invalid)?;
    let id: i64 = id.parse().map_err(|_| invalid())?;
    match kind {
        "unit" => Ok(Owner::Unit(UnitId(id))),
        "person" => Ok(Owner::Person(PersonId(id))),
        _ => Err(invalid()),
    }
}

fn owner_text(owner: Owner) -> String {
    match owner {
        Owner::Unit(unit) => format!("unit:{}", unit.0),
        Owner::Person(person) => format!("person:{}", person.0),
    }
}

/// "objective:12" or "key_result:40".
fn parse_parent(text: &str) -> Result<Parent, AppError> {
    let invalid = || AppError::Invalid {
        field: "parent".into(),
        problem: cairn::draft::FieldProblem::UnknownChoice,
    };
    let (kind, id) = text.split_once(':').ok_or_else(invalid)?;
    let id: i64 = id.parse().map_err(|_| invalid())?;
    match kind {
        "objective" => Ok(Parent::Objective(ObjectiveId(id))),
        "key_result" => Ok(Parent::KeyResult(KeyResultId(id))),
        _ => Err(invalid()),
    }
}

/// Periods a new objective may go into: planning and active ones, and the backlog.
async fn open_periods(db: &Db) -> Result<Vec<cairn::period::Period>, AppError> {
    let mut open: Vec<_> = periods::periods(db)
        .await?
        .into_iter()
        .filter(|p| matches!(p.state, PeriodState::Planning | PeriodState::Active))
        .collect();
    // Quarters first, by start; years after; the backlog last.
    open.sort_by_key(|p| {
        (
            p.kind == PeriodKind::Backlog,
            p.kind == PeriodKind::Year,
            p.span.map(|s| s.start()),
        )
    });
    Ok(open)
}

async fn owner_name(db: &Db, owner: Owner) -> Result<String, AppError> {
    Ok(match owner {
        Owner::Unit(unit) => org::unit(db, unit).await?.name.as_str().to_string(),
        Owner::Person(person) => org::person(db, person).await?.name.as_str().to_string(),
    })
}

pub async fn setup(
    db: &Db,
    owner: Option<String>,
    period: Option<i64>,
) -> Result<SetupChoices, AppError> {
    let me = signed_in()?;
    let mut owners = vec![(owner_text(Owner::Person(me.actor.person)), me.name.clone())];
    owners.extend(
        choices::writable_units(db, &me.actor)
            .await?
            .into_iter()
            .map(|(unit, name)| (owner_text(Owner::Unit(unit)), name)),
    );
    let open = open_periods(db).await?;
    let today = db.clock().today();
    let current = open
        .iter()
        .find(|p| p.kind == PeriodKind::Quarter && p.span.is_some_and(|s| s.contains(today)))
        .or(open.first())
        .map(|p| p.id.0)
        .ok_or(AppError::NotFound)?;
    Ok(SetupChoices {
        owner: owner
            .filter(|o| owners.iter().any(|(value, _)| value == o))
            .unwrap_or_else(|| owners[0].0.clone()),
        period: period
            .filter(|id| open.iter().any(|p| p.id.0 == *id))
            .unwrap_or(current),
        owners,
        periods: open
            .into_iter()
            .map(|p| (p.id.0, p.name, p.state))
            .collect(),
    })
}

pub async fn data(
    db: &Db,
    objective: Option<i64>,
    owner: Option<String>,
    period: Option<i64>,
) -> Result<EditorStart, AppError> {
    if let Some(id) = objective {
        may_edit(db, ObjectiveId(id)).await?;
        let (stored, draft) = choices::draft_of(db, ObjectiveId(id)).await?;
        let period = periods::period(db, stored.period).await?;
        if !period.state.is_open() {
            return Err(AppError::ClosedPeriod);
        }
        // A copy carried forward and not touched since can be taken back.
        let untouched = stored.version == 1 && stored.state == cairn::model::ObjectiveState::Draft;
        let undo_carry = if untouched {
            carry::links(db, ObjectiveId(id)).await?.from
        } else {
            None
        };
        let current: Vec<cairn::ids::PersonId> = draft
            .key_results
            .iter()
            .filter_map(|kr| kr.owner.parse().ok().map(cairn::ids::PersonId))
            .collect();
        let people = choices::key_result_owners(db, stored.owner, &current).await?;
        return Ok(EditorStart {
            people,
            objective: Some((id, stored.version)),
            owner: owner_text(stored.owner),
            owner_name: owner_name(db, stored.owner).await?,
            period: period.id.0,
            period_name: period.name,
            parents: Vec::new(),
            draft: draft.written_in(crate::ui::request_numbers()),
            undo_carry,
            undo_outcome: crate::forms::take_outcome(|form| form == "undo-carry").await,
        });
    }
    let setup = setup(db, owner, period).await?;
    let owner = parse_owner(&setup.owner)?;
    may_edit_for(db, owner).await?;
    let period = periods::period(db, PeriodId(setup.period)).await?;
    let mut parents = Vec::new();
    for choice in choices::parent_choices(db, owner, period.id).await? {
        parents.push((
            format!("objective:{}", choice.objective.0),
            format!("{} · {}", choice.title, choice.owner),
        ));
        for (kr, title) in choice.key_results {
            parents.push((format!("key_result:{kr}"), format!("    ↳ {title}")));
        }
    }
    Ok(EditorStart {
        objective: None,
        people: choices::key_result_owners(db, owner, &[]).await?,
        owner_name: owner_name(db, owner).await?,
        owner: setup.owner,
        period: period.id.0,
        period_name: period.name,
        parents,
        undo_carry: None,
        undo_outcome: None,
        draft: ObjectiveDraft {
            commitment: "committed".into(),
            state: "draft".into(),
            weight: "1".into(),
            numbers: crate::ui::request_numbers(),
            ..ObjectiveDraft::default()
        },
    })
}

pub async fn save(
    db: &Db,
    objective: Option<(i64, i64)>,
    owner: Option<String>,
    period: Option<i64>,
    parent: Option<String>,
    draft: ObjectiveDraft,
) -> Result<i64, AppError> {
    let placement = match objective {
        Some((id, version)) => {
            may_edit(db, ObjectiveId(id)).await?;
            Placement::Existing {
                id: ObjectiveId(id),
                version,
            }
        }
        None => {
            let owner = parse_owner(owner.as_deref().unwrap_or_default())?;
            may_edit_for(db, owner).await?;
            let period = period.ok_or_else(|| AppError::Invalid {
                field: "period".into(),
                problem: cairn::values::ValueError::Empty.into(),
            })?;
            let parent = match parent.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(text) => Some(parse_parent(text)?),
            };
            Placement::New {
                period: PeriodId(period),
                owner,
                parent,
            }
        }
    };
    let valid = draft.validate().map_err(AppError::Form)?;
    let actor = signed_in()?.actor.person;
    let saved = save_objective(db, Some(actor), placement, &valid).await?;
    Ok(saved.objective.0)
}
