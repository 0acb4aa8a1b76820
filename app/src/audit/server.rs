use cairn::audit::Entity;
use cairn::ids::PersonId;

use super::model::{AuditLine, AuditTrail};
use crate::auth::server::admin;
use crate::error::AppError;
use crate::storage::audit::{AuditFilter, list};
use crate::storage::{Db, accounts, org};

/// Rows per page.
const PAGE: i64 = 50;

pub async fn trail(
    db: &Db,
    person: Option<String>,
    entity: Option<String>,
    id: Option<i64>,
    before: Option<i64>,
) -> Result<AuditTrail, AppError> {
    admin()?;
    // A person by id or by email address.
    let person = match person.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => {
            let found = match text.parse::<i64>() {
                Ok(id) => Some(PersonId(id)),
                Err(_) => accounts::person_by_email(db, text).await?,
            };
            let id = found.ok_or(AppError::NotFound)?;
            Some((id.0, org::person(db, id).await?.name.as_str().to_string()))
        }
    };
    let entity = entity.as_deref().and_then(Entity::parse);
    let rows = list(
        db,
        &AuditFilter {
            actor: person.as_ref().map(|(id, _)| PersonId(*id)),
            entity,
            entity_id: id.filter(|_| entity.is_some()),
            action: None,
            before,
            limit: PAGE + 1,
        },
    )
    .await?;
    let more = rows.len() as i64 > PAGE;
    let lines: Vec<AuditLine> = rows
        .into_iter()
        .take(PAGE as usize)
        .map(|r| AuditLine {
            href: match r.entity {
                Entity::Objective => Some(format!("/objectives/{}", r.entity_id)),
                Entity::Person => Some(format!("/people/{}", r.entity_id)),
                Entity::Unit => Some(format!("/units/{}", r.entity_id)),
                Entity::Period => Some(format!("/periods/{}/summary", r.entity_id)),
                Entity::KeyResult | Entity::Instance => None,
            },
            id: r.id,
            at_ms: r.at_ms,
            actor: r.actor,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            before: r.before,
            after: r.after,
        })
        .collect();
    Ok(AuditTrail {
        older: more.then(|| lines.last().map(|l| l.id)).flatten(),
        lines,
        person,
        entity,
        entity_id: id,
    })
}
