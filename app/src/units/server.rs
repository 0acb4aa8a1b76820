use cairn::ids::UnitId;
use cairn::model::OrgUnit;

use super::api::{Member, UnitLink, UnitPage};
use crate::error::AppError;
use crate::okr::server::{Names, expected, objective_views, overall, period_context};
use crate::storage::{Db, org, queries};

fn link(unit: &OrgUnit) -> UnitLink {
    UnitLink {
        id: unit.id.0,
        name: unit.name.as_str().to_string(),
        kind: unit.kind.as_str().to_string(),
    }
}

pub async fn unit_page(db: &Db, id: i64, period: Option<i64>) -> Result<UnitPage, AppError> {
    let units = org::units(db).await?;
    let unit = units
        .iter()
        .find(|u| u.id.0 == id)
        .ok_or(AppError::NotFound)?;
    // Walk up to the organisation; the walk is bounded in case the data has a loop.
    let mut breadcrumbs = Vec::new();
    let mut up = unit.parent;
    while let Some(parent) = up.and_then(|p| units.iter().find(|u| u.id == p)) {
        if breadcrumbs.len() > units.len() {
            break;
        }
        breadcrumbs.push(link(parent));
        up = parent.parent;
    }
    breadcrumbs.reverse();
    let mut sub_units: Vec<UnitLink> = units
        .iter()
        .filter(|u| u.parent == Some(unit.id))
        .map(link)
        .collect();
    sub_units.sort_by(|a, b| a.name.cmp(&b.name));
    let members = org::members(db, UnitId(id))
        .await?
        .into_iter()
        .map(|(person, name, role)| Member {
            id: person.0,
            name,
            role: role.as_str().to_string(),
        })
        .collect();
    let context = period_context(db, period).await?;
    let expected = context.as_ref().map(|(p, _)| expected(p)).unwrap_or(0.0);
    let okrs = match &context {
        Some((period, _)) => queries::unit_objectives(db, unit.id, period.id).await?,
        None => Vec::new(),
    };
    let names = Names::load(db, &okrs).await?;
    let objectives = objective_views(&okrs, &names, expected);
    let summary = overall(&objectives, expected);
    Ok(UnitPage {
        unit: link(unit),
        breadcrumbs,
        sub_units,
        members,
        period: context.map(|c| c.1),
        objectives,
        summary,
    })
}
