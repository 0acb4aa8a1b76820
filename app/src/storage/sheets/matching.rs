//! Matching what a sheet names (owners, units, periods) to what the installation
//! holds: owners by email address or by a name only one person has, units and
//! periods by name, in any case.

use std::collections::HashMap;

use cairn::ids::{PeriodId, PersonId, UnitId};
use cairn::sheet::Plan;
use sqlx::Row;

use crate::storage::{Db, StorageError};

/// Texts of the sheet matched to what the installation holds; None: no match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matches {
    pub owners: Vec<(String, Option<PersonId>)>,
    pub units: Vec<(String, Option<UnitId>)>,
    pub periods: Vec<(String, Option<PeriodId>)>,
}

impl Matches {
    pub(super) fn person(&self, text: &str) -> Option<PersonId> {
        found(&self.owners, text)
    }
    pub(super) fn unit(&self, text: &str) -> Option<UnitId> {
        found(&self.units, text)
    }
    pub(super) fn period(&self, text: &str) -> Option<PeriodId> {
        found(&self.periods, text)
    }

    /// What is still unmatched, by kind.
    pub fn unmatched(&self) -> Unmatched {
        fn open<T>(list: &[(String, Option<T>)]) -> Vec<String> {
            list.iter()
                .filter(|(_, m)| m.is_none())
                .map(|(t, _)| t.clone())
                .collect()
        }
        Unmatched {
            owners: open(&self.owners),
            units: open(&self.units),
            periods: open(&self.periods),
            parents: Vec::new(),
        }
    }
}

fn found<T: Copy>(list: &[(String, Option<T>)], text: &str) -> Option<T> {
    list.iter().find(|(t, _)| t == text).and_then(|(_, m)| *m)
}

/// What the sheet names that the installation does not hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unmatched {
    pub owners: Vec<String>,
    pub units: Vec<String>,
    pub periods: Vec<String>,
    pub parents: Vec<String>,
}

impl Unmatched {
    pub fn is_empty(&self) -> bool {
        self.owners.is_empty()
            && self.units.is_empty()
            && self.periods.is_empty()
            && self.parents.is_empty()
    }
}

/// Matches every owner (by email address, or by a name only one person has),
/// unit and period (by name, in any case) the plan names.
pub async fn matches(db: &Db, plan: &Plan) -> Result<Matches, StorageError> {
    let mut owners: Vec<&str> = Vec::new();
    let mut units: Vec<&str> = Vec::new();
    let mut periods: Vec<&str> = Vec::new();
    for objective in &plan.objectives {
        owners.extend(objective.owner.as_deref());
        owners.extend(
            objective
                .key_results
                .iter()
                .filter_map(|k| k.owner.as_deref()),
        );
        units.extend(objective.unit.as_deref());
        periods.extend(objective.period.as_deref());
    }
    for list in [&mut owners, &mut units, &mut periods] {
        list.sort_unstable();
        list.dedup();
    }
    let people = sqlx::query(
        "SELECT id, lower(name) AS name, lower(email) AS email FROM people WHERE active = 1",
    )
    .fetch_all(db.reader())
    .await?;
    let mut by_email: HashMap<String, i64> = HashMap::new();
    let mut by_name: HashMap<String, Vec<i64>> = HashMap::new();
    for row in &people {
        let id: i64 = row.try_get("id")?;
        by_email.insert(row.try_get("email")?, id);
        by_name.entry(row.try_get("name")?).or_default().push(id);
    }
    let unique = |map: &HashMap<String, Vec<i64>>, text: &str| match map.get(&text.to_lowercase()) {
        Some(ids) if ids.len() == 1 => Some(ids[0]),
        _ => None,
    };
    let named = |sql: &'static str| async move {
        let rows = sqlx::query(sql).fetch_all(db.reader()).await?;
        let mut map: HashMap<String, Vec<i64>> = HashMap::new();
        for row in rows {
            map.entry(row.try_get("name")?)
                .or_default()
                .push(row.try_get("id")?);
        }
        Ok::<_, StorageError>(map)
    };
    let unit_names =
        named("SELECT id, lower(name) AS name FROM org_units WHERE active = 1").await?;
    let period_names = named("SELECT id, lower(name) AS name FROM periods").await?;
    Ok(Matches {
        owners: owners
            .into_iter()
            .map(|o| {
                let id = by_email
                    .get(&o.to_lowercase())
                    .copied()
                    .or_else(|| unique(&by_name, o));
                (o.to_string(), id.map(PersonId))
            })
            .collect(),
        units: units
            .into_iter()
            .map(|u| (u.to_string(), unique(&unit_names, u).map(UnitId)))
            .collect(),
        periods: periods
            .into_iter()
            .map(|p| (p.to_string(), unique(&period_names, p).map(PeriodId)))
            .collect(),
    })
}
