use cairn::ids::PersonId;
use cairn::key_result::MeasureKind;
use cairn::model::Owner;

use super::model::{CheckInLine, PersonPage};
use crate::error::AppError;
use crate::okr::ReadingView;
use crate::okr::server::{owner_objectives, today};
use crate::storage::{Db, org, reads};
use crate::units::Member;

/// How many recent check-ins the page lists.
const RECENT: i64 = 12;

/// The person page's data, kept between changes (see `storage::kept`).
pub async fn person_page(db: &Db, id: i64, period: Option<i64>) -> Result<PersonPage, AppError> {
    let live_mark = crate::storage::events::latest(db).await?;
    let page = db
        .kept(
            format!("person:{id}:{period:?}:{}", today()),
            read_person_page(db, id, period),
        )
        .await?;
    let mut page = (*page).clone();
    page.live_mark = live_mark;
    Ok(page)
}

async fn read_person_page(db: &Db, id: i64, period: Option<i64>) -> Result<PersonPage, AppError> {
    let person = org::person(db, PersonId(id)).await?;
    let units = reads::memberships_of(db, person.id)
        .await?
        .into_iter()
        .map(|(unit, name, role)| Member {
            id: unit.0,
            name,
            role,
        })
        .collect();
    let (period, objectives, _) = owner_objectives(db, Owner::Person(person.id), period).await?;
    let check_ins = reads::recent_check_ins(db, person.id, RECENT)
        .await?
        .into_iter()
        .map(|c| CheckInLine {
            value: checked_in(&c),
            at_ms: c.at_ms,
            key_result: c.key_result.0,
            key_result_title: c.key_result_title,
            objective: c.objective.0,
            confidence: c.confidence,
            note: c.note,
        })
        .collect();
    Ok(PersonPage {
        id,
        name: person.name.as_str().to_string(),
        email: person.email.as_str().to_string(),
        units,
        period,
        objectives,
        check_ins,
        live_mark: 0,
    })
}

/// What a check-in said, in a few characters: "14 h", "✓"; milestones say nothing
/// here (the objective page lists them).
fn checked_in(c: &reads::RecentCheckIn) -> Option<ReadingView> {
    let value = c.value?;
    match c.kind {
        MeasureKind::Metric | MeasureKind::Duration => Some(ReadingView::Value {
            value,
            unit: c.unit.clone(),
            notation: c.kind.notation(),
        }),
        MeasureKind::Binary => Some(ReadingView::Done(value >= 1.0)),
        MeasureKind::Milestones => None,
    }
}
