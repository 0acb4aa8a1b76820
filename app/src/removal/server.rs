//! What the delete page offers, and the deletion itself: for those who may edit
//! the objective.

use cairn::ids::{ObjectiveId, PersonId};
use cairn::model::Owner;

use super::model::{ChildrenGo, DeletionReach, FORM};
use crate::auth::server::{check_edit, signed_in};
use crate::error::AppError;
use crate::storage::Db;
use crate::storage::objectives::objective;
use crate::storage::objectives::removal::{Orphans, delete_objective, reach};

pub async fn offer(db: &Db, id: i64) -> Result<DeletionReach, AppError> {
    let me = signed_in()?.actor;
    check_edit(db, &me, ObjectiveId(id)).await?;
    let title = objective(db, ObjectiveId(id))
        .await?
        .title
        .as_str()
        .to_string();
    let reach = reach(db, ObjectiveId(id)).await?;
    Ok(DeletionReach {
        objective: id,
        title,
        version: reach.version,
        parent: reach.parent.map(|(_, above, title)| (above.0, title)),
        children: reach
            .children
            .into_iter()
            .map(|(child, title)| (child.0, title))
            .collect(),
        key_results: reach.key_results,
        check_ins: reach.check_ins,
        comments: reach.comments,
        outcome: crate::forms::take_outcome(|form| form == FORM).await,
    })
}

/// Deletes the objective; returns the page of its owner, where the reader goes next.
pub async fn delete(
    db: &Db,
    actor: &cairn::access::Actor,
    id: i64,
    version: i64,
    children: ChildrenGo,
) -> Result<String, AppError> {
    check_edit(db, actor, ObjectiveId(id)).await?;
    let owner = objective(db, ObjectiveId(id)).await?.owner;
    let orphans = match children {
        ChildrenGo::ToParent => Orphans::ToParent,
        ChildrenGo::Unaligned => Orphans::Unaligned,
    };
    delete_objective(db, Some(actor.person), ObjectiveId(id), version, orphans).await?;
    Ok(match owner {
        Owner::Unit(unit) => format!("/units/{}", unit.0),
        Owner::Person(PersonId(person)) => format!("/people/{person}"),
    })
}
