//! The notices' server functions, behind their thin wrappers in `api`.

use cairn::ids::{PersonId, UnitId};
use cairn::model::Owner;
use cairn::notify::{Delivery, NoticeKind};

use super::letters::Postman;
use super::model::{InboxPage, Preferences, Rhythm, Unsubscribing};
use crate::auth::server::signed_in;
use crate::error::AppError;
use crate::storage::notices::{self as store, cadence};
use crate::storage::{Db, accounts, events};

/// Notices per inbox page.
const PAGE: i64 = 30;

pub async fn inbox(db: &Db, before: Option<i64>, lang: &str) -> Result<InboxPage, AppError> {
    let me = signed_in()?.actor.person;
    let live_mark = events::latest(db).await?;
    let mut items = store::inbox(db, me, before, PAGE + 1).await?;
    let older = (items.len() as i64 > PAGE).then(|| {
        items.truncate(PAGE as usize);
        items.last().map(|i| i.id).unwrap_or_default()
    });
    Ok(InboxPage {
        items: items
            .iter()
            .map(|item| Postman::entry(Some(lang), item))
            .collect(),
        unread: store::unread(db, me).await?,
        older,
        live_mark,
        mail_on: crate::state::postman().mail_on(),
    })
}

pub async fn preferences(db: &Db) -> Result<Preferences, AppError> {
    let me = signed_in()?.actor.person;
    Ok(Preferences {
        choices: store::preferences(db, me).await?,
        language: store::language(db, me)
            .await?
            .unwrap_or_else(|| "en".to_string()),
        mail_on: crate::state::postman().mail_on(),
    })
}

/// The kind and person an unsubscribe link names, if its signature is good.
pub fn unsubscribe_link(
    postman: &Postman,
    person: i64,
    kind: &str,
    signature: &str,
) -> Result<(PersonId, NoticeKind), AppError> {
    let kind = NoticeKind::parse(kind).ok_or(AppError::NotFound)?;
    if !postman.verify(person, kind, signature) {
        return Err(AppError::NotFound);
    }
    Ok((PersonId(person), kind))
}

pub async fn unsubscribing(
    db: &Db,
    person: i64,
    kind: &str,
    signature: &str,
) -> Result<Unsubscribing, AppError> {
    let postman = crate::state::postman();
    let (person, kind) = unsubscribe_link(&postman, person, kind, signature)?;
    let email = crate::storage::org::person(db, person).await?.email;
    let now = store::preferences(db, person)
        .await?
        .into_iter()
        .find(|(k, _)| *k == kind)
        .map_or(Delivery::DEFAULT, |(_, d)| d);
    let action = format!("/unsubscribe/{}/{}/{signature}", person.0, kind.as_str());
    let form = action.clone();
    Ok(Unsubscribing {
        kind,
        email: hide(email.as_str()),
        now,
        outcome: crate::forms::take_outcome(|f| f == form).await,
        action,
    })
}

/// An address partly hidden: the link may have been forwarded.
fn hide(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}…@{domain}")
        }
        None => "…".to_string(),
    }
}

/// What a unit's rhythm section shows whoever reads it, kept between changes
/// (reading it walks every unit: see `schedule::World`).
struct RhythmFacts {
    follows: Option<(cairn::notify::Cadence, i64, String)>,
    own_version: Option<i64>,
    ownership: cairn::access::Ownership,
}

async fn rhythm_facts(db: &Db, unit: UnitId) -> Result<RhythmFacts, AppError> {
    let world = super::schedule::World::read(db).await?;
    if !world.units.contains_key(&unit) {
        return Err(AppError::NotFound);
    }
    let follows = world.source(unit).map(|(from, cadence)| {
        let name = world
            .units
            .get(&from)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        (cadence.clone(), from.0, name)
    });
    Ok(RhythmFacts {
        follows,
        own_version: cadence::own(db, unit).await?.map(|own| own.version),
        ownership: accounts::owner_ownership(db, Owner::Unit(unit)).await?,
    })
}

pub async fn rhythm(db: &Db, unit: i64) -> Result<Rhythm, AppError> {
    let facts = db
        .kept(format!("rhythm:{unit}"), rhythm_facts(db, UnitId(unit)))
        .await?;
    // Whoever may edit the unit's objectives (its leads, leads above it, admins).
    let may_change = signed_in()?.actor.may_edit(&facts.ownership);
    Ok(Rhythm {
        unit,
        follows: facts.follows.clone(),
        own_version: facts.own_version,
        may_change,
        zone_options: if may_change {
            zone_options().to_string()
        } else {
            String::new()
        },
    })
}

/// Every time zone as `<option>`s for the rhythm form's list, written once.
fn zone_options() -> &'static str {
    static OPTIONS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    OPTIONS.get_or_init(|| {
        super::schedule::slots::zone_names()
            .map(|zone| format!("<option value=\"{}\"></option>", crate::html::escape(zone)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_address_is_shown_only_in_part() {
        assert_eq!(
            super::hide("anna@waterland.example"),
            "a…@waterland.example"
        );
        assert_eq!(super::hide("nobody"), "…");
    }
}
