//! Writing the document: every record type in order, each table read in one
//! consistent snapshot while the installation keeps running, a row at a time.

use std::io::Write;

use futures::TryStreamExt;
use serde_json::{Map, Value as Json};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::slice::{Slice, cut};
use super::tables::{Kind, RECORDS, Record};
use super::{ExchangeError, FORMAT, Progress, Summary, VERSION};
use crate::storage::{Backend, Db, StorageError};

/// Writes the whole installation to `out`. Reads in one transaction (a snapshot
/// on both databases), so writes going on meanwhile are either wholly in the
/// document or wholly not.
pub async fn export(
    db: &Db,
    out: &mut impl Write,
    progress: &dyn Progress,
) -> Result<Summary, ExchangeError> {
    write(db, None, out, progress).await
}

/// Writes one unit and period (see [`super::slice`]), in the same snapshot way,
/// with the slice named in the header.
pub async fn export_slice(
    db: &Db,
    slice: Slice,
    out: &mut impl Write,
    progress: &dyn Progress,
) -> Result<Summary, ExchangeError> {
    write(db, Some(slice), out, progress).await
}

async fn write(
    db: &Db,
    slice: Option<Slice>,
    out: &mut impl Write,
    progress: &dyn Progress,
) -> Result<Summary, ExchangeError> {
    let mut tx = db.reader().begin().await?;
    if db.backend() == Backend::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
    }
    let instance = sqlx::query("SELECT name, created_at FROM instance WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let cut = match slice {
        Some(slice) => Some(cut(&mut tx, slice).await?),
        None => None,
    };
    let condition = |record: &Record| {
        cut.as_ref()
            .map_or_else(|| "1 = 1".to_string(), |cut| cut.condition(record))
    };
    let mut counts = Vec::with_capacity(RECORDS.len());
    for record in RECORDS {
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM {} WHERE {}",
            record.table,
            condition(record)
        ))
        .fetch_one(&mut *tx)
        .await?;
        counts.push(n as u64);
    }
    progress.start(Some(counts.iter().sum()));

    let mut header = Map::new();
    header.insert("format".into(), FORMAT.into());
    header.insert("version".into(), VERSION.into());
    header.insert("name".into(), instance.try_get::<String, _>(0)?.into());
    header.insert("created_at".into(), instance.try_get::<i64, _>(1)?.into());
    if let Some(slice) = slice {
        header.insert(
            "slice".into(),
            serde_json::json!({ "unit_id": slice.unit, "period_id": slice.period }),
        );
    }
    line(out, &Json::Object(header))?;

    let mut summary = Summary::default();
    let mut done = 0u64;
    for record in RECORDS {
        let sql = select(record, &condition(record), db.backend());
        let mut rows = sqlx::query(&sql).fetch(&mut *tx);
        let mut written = 0u64;
        while let Some(row) = rows.try_next().await? {
            line(out, &Json::Object(fields(record, &row)?))?;
            written += 1;
            done += 1;
            if done.is_multiple_of(4096) {
                progress.at(done);
            }
        }
        summary.records.push((record.name, written));
    }
    let mut end = Map::new();
    end.insert("type".into(), "end".into());
    end.insert("records".into(), summary.total().into());
    line(out, &Json::Object(end))?;
    out.flush()?;
    progress.at(done);
    tx.commit().await?;
    Ok(summary)
}

fn line(out: &mut impl Write, value: &Json) -> Result<(), ExchangeError> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The SELECT of one record type's rows that meet `condition`, ordered by its
/// key. Text keys are compared byte by byte on both databases, so both write
/// the same order.
fn select(record: &Record, condition: &str, backend: Backend) -> String {
    let columns: Vec<&str> = record.fields.iter().map(|f| f.name).collect();
    let order: Vec<String> = record
        .key
        .iter()
        .map(|key| {
            let text = record
                .fields
                .iter()
                .any(|f| f.name == *key && f.kind != Kind::Int);
            match (text, backend) {
                (true, Backend::Postgres) => format!("{key} COLLATE \"C\""),
                _ => key.to_string(),
            }
        })
        .collect();
    format!(
        "SELECT {} FROM {} WHERE {} ORDER BY {}",
        columns.join(", "),
        record.table,
        condition,
        order.join(", ")
    )
}

/// One row as a record: `type` and every declared field, nulls included.
fn fields(record: &Record, row: &AnyRow) -> Result<Map<String, Json>, ExchangeError> {
    let mut map = Map::new();
    map.insert("type".into(), record.name.into());
    for (i, field) in record.fields.iter().enumerate() {
        let value = match field.kind {
            Kind::Int | Kind::Time => row.try_get::<Option<i64>, _>(i)?.map(Json::from),
            Kind::Flag => row
                .try_get::<Option<i64>, _>(i)?
                .map(|v| Json::Bool(v != 0)),
            Kind::Real => match row.try_get::<Option<f64>, _>(i)? {
                Some(v) if !v.is_finite() => {
                    return Err(StorageError::corrupt(format!(
                        "{} {} is not a finite number",
                        record.name, field.name
                    ))
                    .into());
                }
                v => v.map(Json::from),
            },
            Kind::Text | Kind::Day | Kind::Choice(_) => {
                row.try_get::<Option<String>, _>(i)?.map(Json::from)
            }
        };
        map.insert(field.name.into(), value.unwrap_or(Json::Null));
    }
    Ok(map)
}
