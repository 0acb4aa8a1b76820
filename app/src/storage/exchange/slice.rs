//! One unit and period as a document of its own: the unit with the units below
//! it and their members, their objectives of the period (the unit's and its
//! members' own) with everything that hangs from them, and whatever those refer
//! to, so the document imports into an empty installation and stands on its own.
//!
//! What is in it, from the chosen unit and period outwards:
//! - the unit, every unit below it, and their memberships;
//! - the objectives of the period owned by one of those units or by one of their
//!   members, and the objectives these align to (now or before), were carried
//!   from or hold a check-in one of their comments is about, up the cascade;
//! - of every objective in the document: its key results, milestones,
//!   alignments, initiatives, check-ins, comments and follows;
//! - the people, units and periods these refer to (an owner, an author, the
//!   organisation above the unit, a quarter's year), each with its account,
//!   identities, notice preferences and rhythm;
//! - the audit trail of every objective, key result, person, unit and period in
//!   the document, and the people who made those changes.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use sqlx::AnyConnection;

use super::ExchangeError;
use super::tables::Record;
use crate::storage::StorageError;

/// Which unit and period a document is cut to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    pub unit: i64,
    pub period: i64,
}

/// Why a slice cannot be cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SliceError {
    #[error("there is no unit {0}")]
    NoSuchUnit(i64),
    #[error("there is no period {0}")]
    NoSuchPeriod(i64),
}

type Ids = BTreeSet<i64>;

/// The rows a slice holds, by id: every record type's rows are chosen by these.
#[derive(Debug, Default)]
pub(super) struct Cut {
    units: Ids,
    people: Ids,
    periods: Ids,
    objectives: Ids,
    key_results: Ids,
}

impl Cut {
    /// The rows of `record` in the slice, as an SQL condition.
    pub(super) fn condition(&self, record: &Record) -> String {
        let units = list(&self.units);
        let people = list(&self.people);
        let objectives = list(&self.objectives);
        let key_results = list(&self.key_results);
        match record.table {
            "org_units" => format!("id IN ({units})"),
            "people" => format!("id IN ({people})"),
            "accounts" | "identities" | "notice_preferences" => {
                format!("person_id IN ({people})")
            }
            "memberships" => format!("unit_id IN ({units}) AND person_id IN ({people})"),
            "unit_cadences" => format!("unit_id IN ({units})"),
            "periods" => format!("id IN ({})", list(&self.periods)),
            "objectives" => format!("id IN ({objectives})"),
            "key_results" | "initiatives" | "comments" | "follows" => {
                format!("objective_id IN ({objectives})")
            }
            "alignments" => format!("child_id IN ({objectives})"),
            "milestones" | "check_ins" => format!("key_result_id IN ({key_results})"),
            "audit_events" => self.audited(),
            // A record type added to the document and not to the slice yields
            // nothing rather than rows the slice cannot vouch for.
            _ => "1 = 0".into(),
        }
    }

    /// The audit trail of what the slice holds.
    fn audited(&self) -> String {
        use cairn::audit::Entity;
        [
            (Entity::Objective, &self.objectives),
            (Entity::KeyResult, &self.key_results),
            (Entity::Person, &self.people),
            (Entity::Unit, &self.units),
            (Entity::Period, &self.periods),
        ]
        .iter()
        .map(|(entity, ids)| {
            format!(
                "(entity = '{}' AND entity_id IN ({}))",
                entity.as_str(),
                list(ids)
            )
        })
        .collect::<Vec<_>>()
        .join(" OR ")
    }
}

/// Ids as an SQL list; `NULL` for none (`x IN (NULL)` holds for no row).
fn list(ids: &Ids) -> String {
    if ids.is_empty() {
        return "NULL".into();
    }
    let mut text = String::with_capacity(ids.len() * 7);
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        let _ = write!(text, "{id}");
    }
    text
}

/// The ids one query finds (nulls left out).
async fn ids(conn: &mut AnyConnection, sql: String) -> Result<Ids, StorageError> {
    let found: Vec<Option<i64>> = sqlx::query_scalar(&sql).fetch_all(&mut *conn).await?;
    Ok(found.into_iter().flatten().collect())
}

/// Adds to `set` what `step` finds from the ids added last, until it finds
/// nothing new: the units below, the parents above, the cascade upwards.
async fn widen(
    conn: &mut AnyConnection,
    set: &mut Ids,
    step: impl Fn(&str) -> String,
) -> Result<(), StorageError> {
    let mut frontier = set.clone();
    while !frontier.is_empty() {
        let found = ids(conn, step(&list(&frontier))).await?;
        frontier = found.difference(set).copied().collect();
        set.extend(frontier.iter().copied());
    }
    Ok(())
}

/// `set`, what `more` finds, and every row above them in `table` (by `parent_id`):
/// the units a slice names with the organisation above them, the periods with
/// their years.
async fn with_parents(
    conn: &mut AnyConnection,
    mut set: Ids,
    more: String,
    table: &str,
) -> Result<Ids, StorageError> {
    set.extend(ids(conn, more).await?);
    widen(conn, &mut set, |ids| {
        format!("SELECT parent_id FROM {table} WHERE id IN ({ids})")
    })
    .await?;
    Ok(set)
}

/// Chooses the rows of `slice`, reading inside the export's snapshot.
pub(super) async fn cut(conn: &mut AnyConnection, slice: Slice) -> Result<Cut, ExchangeError> {
    let unit = ids(
        conn,
        format!("SELECT id FROM org_units WHERE id = {}", slice.unit),
    )
    .await?;
    if unit.is_empty() {
        return Err(SliceError::NoSuchUnit(slice.unit).into());
    }
    let period = ids(
        conn,
        format!("SELECT id FROM periods WHERE id = {}", slice.period),
    )
    .await?;
    if period.is_empty() {
        return Err(SliceError::NoSuchPeriod(slice.period).into());
    }
    let mut cut = Cut::default();

    // The unit and those below it, and their members.
    let mut below = unit;
    widen(conn, &mut below, |ids| {
        format!("SELECT id FROM org_units WHERE parent_id IN ({ids})")
    })
    .await?;
    let members = ids(
        conn,
        format!(
            "SELECT person_id FROM memberships WHERE unit_id IN ({})",
            list(&below)
        ),
    )
    .await?;

    // Their objectives of the period, and up the cascade from there.
    cut.objectives = ids(
        conn,
        format!(
            "SELECT id FROM objectives WHERE period_id = {} \
             AND (owner_unit_id IN ({}) OR owner_person_id IN ({}))",
            slice.period,
            list(&below),
            list(&members)
        ),
    )
    .await?;
    widen(conn, &mut cut.objectives, |ids| {
        format!(
            "SELECT a.parent_objective_id FROM alignments a WHERE a.child_id IN ({ids}) \
             UNION SELECT k.objective_id FROM alignments a \
             JOIN key_results k ON k.id = a.parent_key_result_id WHERE a.child_id IN ({ids}) \
             UNION SELECT carried_from FROM objectives WHERE id IN ({ids}) \
             UNION SELECT k.objective_id FROM comments c \
             JOIN check_ins ci ON ci.id = c.check_in_id \
             JOIN key_results k ON k.id = ci.key_result_id WHERE c.objective_id IN ({ids})"
        )
    })
    .await?;
    let objectives = list(&cut.objectives);
    cut.key_results = ids(
        conn,
        format!("SELECT id FROM key_results WHERE objective_id IN ({objectives})"),
    )
    .await?;
    let key_results = list(&cut.key_results);

    // Whom they name, where they belong, when they are.
    cut.people = members;
    cut.people.extend(
        ids(
            conn,
            format!(
                "SELECT owner_person_id FROM objectives WHERE id IN ({objectives}) \
                 UNION SELECT owner_person_id FROM key_results WHERE objective_id IN ({objectives}) \
                 UNION SELECT author_id FROM comments WHERE objective_id IN ({objectives}) \
                 UNION SELECT person_id FROM follows WHERE objective_id IN ({objectives}) \
                 UNION SELECT author_id FROM check_ins WHERE key_result_id IN ({key_results})"
            ),
        )
        .await?,
    );
    cut.units = with_parents(
        conn,
        below,
        format!("SELECT owner_unit_id FROM objectives WHERE id IN ({objectives})"),
        "org_units",
    )
    .await?;
    cut.periods = with_parents(
        conn,
        period,
        format!("SELECT period_id FROM objectives WHERE id IN ({objectives})"),
        "periods",
    )
    .await?;

    // Who changed what the slice holds (their own trail comes too, and so on).
    loop {
        let actors = ids(
            conn,
            format!(
                "SELECT DISTINCT actor_id FROM audit_events WHERE {}",
                cut.audited()
            ),
        )
        .await?;
        let before = cut.people.len();
        cut.people.extend(actors);
        if cut.people.len() == before {
            break;
        }
    }
    Ok(cut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::exchange::tables::RECORDS;

    #[test]
    fn every_record_type_is_cut_by_what_it_belongs_to() {
        let cut = Cut::default();
        for record in RECORDS {
            let condition = cut.condition(record);
            assert_ne!(condition, "1 = 0", "{} is not in a slice", record.name);
        }
    }

    #[test]
    fn an_empty_list_holds_for_no_row() {
        assert_eq!(list(&Ids::new()), "NULL");
        assert_eq!(list(&[3, 1, 2].into_iter().collect()), "1,2,3");
    }
}
