//! `cairn check`: whether a database is sound. The engine's own integrity and
//! foreign keys, and every cached figure (a key result's latest reading and
//! progress, an objective's roll-up) equal to what the domain computes from the
//! check-ins and milestones.

use std::collections::HashMap;

use cairn::ids::{KeyResultId, MilestoneId};
use cairn::key_result::{MilestoneState, Reading, key_result_progress};
use cairn::rollup::{Contribution, Origin, Rollup, Source};
use cairn::values::Weight;
use futures::TryStreamExt;
use sqlx::Row;

use crate::storage::{Backend, Db, StorageError, rows};

/// How far two figures may differ and still be the same (rounding in the last
/// digits of a sum).
const SAME: f64 = 1e-9;

/// Something wrong with the data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Finding {
    #[error("the database's integrity check says: {0}")]
    Integrity(String),
    #[error("{table} row {row} refers to a {parent} that does not exist")]
    ForeignKey {
        table: String,
        row: i64,
        parent: String,
    },
    #[error("key result {id} cannot be read: {reason}")]
    Unreadable { id: i64, reason: String },
    #[error(
        "key result {id} shows the reading {stored:?}, but its latest check-in says {latest:?}"
    )]
    Reading {
        id: i64,
        stored: Option<f64>,
        latest: Option<f64>,
    },
    #[error("key result {id} shows progress {stored}, but its reading gives {computed}")]
    KeyResultProgress { id: i64, stored: f64, computed: f64 },
    #[error("objective {id} shows progress {stored}, but its key results give {computed}")]
    ObjectiveProgress { id: i64, stored: f64, computed: f64 },
}

/// What a check found, and how much it looked at.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub key_results: u64,
    pub objectives: u64,
    pub check_ins: u64,
    pub findings: Vec<Finding>,
}

/// Checks the whole database; reads only.
pub async fn verify(db: &Db) -> Result<Report, StorageError> {
    let mut report = Report::default();
    engine(db, &mut report).await?;
    let milestones = milestones(db).await?;
    let latest = latest_readings(db).await?;
    report.check_ins = db.count_rows("check_ins").await? as u64;

    // Each key result's own figures, and what each objective's roll-up is made of.
    let mut inputs: HashMap<i64, Vec<Contribution>> = HashMap::new();
    let mut rows = sqlx::query(
        "SELECT id, objective_id, kind, notation, direction, start_value, target_value, unit_label, weight, \
         current_value, progress FROM key_results ORDER BY id",
    )
    .fetch(db.reader());
    while let Some(row) = rows.try_next().await? {
        report.key_results += 1;
        let id: i64 = row.try_get("id")?;
        let stored: f64 = row.try_get("progress")?;
        let current: Option<f64> = row.try_get("current_value")?;
        let measure = match rows::measure(&row) {
            Ok(measure) => measure,
            Err(error) => {
                report.findings.push(Finding::Unreadable {
                    id,
                    reason: error.to_string(),
                });
                continue;
            }
        };
        let kind: String = row.try_get("kind")?;
        let reading = if kind == "milestones" {
            milestones
                .get(&id)
                .map(|states| Reading::Milestones(states.clone()))
        } else {
            if let Some(latest) = latest.get(&id)
                && !same_reading(current, *latest)
            {
                report.findings.push(Finding::Reading {
                    id,
                    stored: current,
                    latest: *latest,
                });
            }
            rows::cached_reading(&measure, current)?
        };
        let computed = key_result_progress(&measure, reading.as_ref()).ratio();
        if (computed - stored).abs() > SAME {
            report.findings.push(Finding::KeyResultProgress {
                id,
                stored,
                computed,
            });
        }
        inputs
            .entry(row.try_get("objective_id")?)
            .or_default()
            .push(Contribution {
                source: Source::KeyResult(KeyResultId(id)),
                weight: row.try_get("weight")?,
                progress: rows::progress(stored)?,
                origin: Origin::Entered,
            });
    }
    drop(rows);

    let mut objectives =
        sqlx::query("SELECT id, progress FROM objectives ORDER BY id").fetch(db.reader());
    while let Some(row) = objectives.try_next().await? {
        report.objectives += 1;
        let id: i64 = row.try_get("id")?;
        let stored: f64 = row.try_get("progress")?;
        let computed = Rollup::of(inputs.remove(&id).unwrap_or_default())
            .progress
            .ratio();
        if (computed - stored).abs() > SAME {
            report.findings.push(Finding::ObjectiveProgress {
                id,
                stored,
                computed,
            });
        }
    }
    Ok(report)
}

fn same_reading(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= SAME * a.abs().max(1.0),
        (None, None) => true,
        _ => false,
    }
}

/// SQLite's own checks; PostgreSQL enforces foreign keys on every write and has
/// no whole-database check of its own short of an extension.
async fn engine(db: &Db, report: &mut Report) -> Result<(), StorageError> {
    if db.backend() != Backend::Sqlite {
        return Ok(());
    }
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(db.reader())
        .await?;
    for line in integrity.into_iter().filter(|l| l != "ok") {
        report.findings.push(Finding::Integrity(line));
    }
    let keys = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(db.reader())
        .await?;
    for row in keys {
        report.findings.push(Finding::ForeignKey {
            table: row.try_get(0)?,
            row: row.try_get::<Option<i64>, _>(1)?.unwrap_or_default(),
            parent: row.try_get(2)?,
        });
    }
    Ok(())
}

/// Every milestone's state, by key result.
async fn milestones(db: &Db) -> Result<HashMap<i64, Vec<MilestoneState>>, StorageError> {
    let rows = sqlx::query("SELECT id, key_result_id, weight, done_at FROM milestones ORDER BY key_result_id, position, id")
        .fetch_all(db.reader())
        .await?;
    let mut by_key_result: HashMap<i64, Vec<MilestoneState>> = HashMap::new();
    for row in rows {
        by_key_result
            .entry(row.try_get("key_result_id")?)
            .or_default()
            .push(MilestoneState {
                id: MilestoneId(row.try_get("id")?),
                weight: Weight::parse(row.try_get("weight")?).map_err(StorageError::corrupt)?,
                done: row.try_get::<Option<i64>, _>("done_at")?.is_some(),
            });
    }
    Ok(by_key_result)
}

/// The value of each key result's latest check-in (by time, then by id).
async fn latest_readings(db: &Db) -> Result<HashMap<i64, Option<f64>>, StorageError> {
    let mut latest: HashMap<i64, (i64, i64, Option<f64>)> = HashMap::new();
    let mut rows =
        sqlx::query("SELECT key_result_id, at, id, value FROM check_ins").fetch(db.reader());
    while let Some(row) = rows.try_next().await? {
        let key: (i64, i64) = (row.try_get("at")?, row.try_get("id")?);
        let entry =
            latest
                .entry(row.try_get("key_result_id")?)
                .or_insert((i64::MIN, i64::MIN, None));
        if key > (entry.0, entry.1) {
            *entry = (key.0, key.1, row.try_get("value")?);
        }
    }
    Ok(latest.into_iter().map(|(k, (_, _, v))| (k, v)).collect())
}
