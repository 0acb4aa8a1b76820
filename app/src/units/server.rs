use cairn::ids::UnitId;
use cairn::model::{OrgUnit, Owner};

use super::model::{Member, UnitLink, UnitPage};
use crate::error::AppError;
use crate::okr::server::{overall, owner_objectives, today};
use crate::storage::{Db, org};

fn link(unit: &OrgUnit) -> UnitLink {
    UnitLink {
        id: unit.id.0,
        name: unit.name.as_str().to_string(),
        kind: unit.kind,
    }
}

/// The unit page's data, kept between changes (see `storage::kept`).
/// The live mark and the rhythm form's outcome are the reader's, added per request.
pub async fn unit_page(db: &Db, id: i64, period: Option<i64>) -> Result<UnitPage, AppError> {
    let live_mark = crate::storage::events::latest(db).await?;
    let page = db
        .kept(
            format!("unit:{id}:{period:?}:{}", today()),
            read_unit_page(db, id, period),
        )
        .await?;
    let mut page = (*page).clone();
    page.live_mark = live_mark;
    let form = crate::notices::rhythm_form_id(id);
    page.rhythm_outcome = crate::forms::take_outcome(|f| f == form).await;
    Ok(page)
}

async fn read_unit_page(db: &Db, id: i64, period: Option<i64>) -> Result<UnitPage, AppError> {
    // The unit first, then the units above it up to the organisation.
    let mut line = org::unit_and_ancestors(db, UnitId(id)).await?.into_iter();
    let unit = line.next().ok_or(AppError::NotFound)?;
    let breadcrumbs: Vec<UnitLink> = line.rev().map(|u| link(&u)).collect();
    let sub_units: Vec<UnitLink> = org::sub_units(db, unit.id)
        .await?
        .iter()
        .map(link)
        .collect();
    let members = org::members(db, UnitId(id))
        .await?
        .into_iter()
        .map(|(person, name, role)| Member {
            id: person.0,
            name,
            role,
        })
        .collect();
    let (period, objectives, expected) = owner_objectives(db, Owner::Unit(unit.id), period).await?;
    let summary = overall(&objectives, expected);
    Ok(UnitPage {
        unit: link(&unit),
        breadcrumbs,
        sub_units,
        members,
        period,
        objectives,
        summary,
        rhythm_outcome: None,
        live_mark: 0,
    })
}
