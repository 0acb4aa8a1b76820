//! Reading a document into an empty installation: all of it in one transaction,
//! or nothing. Records are checked as they come (types, order, duplicates,
//! references, cycles) and inserted many rows per statement; memory grows with
//! the number of ids, never with the document.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use sqlx::{Any, Transaction};

use super::graph::find_cycle;
use super::read::{Line, Lines};
use super::tables::{RECORDS, Record};
use super::{ExchangeError, Progress, Summary};
use crate::storage::bulk::{self, Cell};
use crate::storage::{Backend, Db};

/// Why the installation is not empty, or None when a document may be imported.
pub async fn is_empty(db: &Db) -> Result<Option<String>, ExchangeError> {
    let mut held = Vec::new();
    for (table, what) in [
        ("org_units", "units"),
        ("people", "people"),
        ("periods", "periods"),
        ("objectives", "objectives"),
    ] {
        let n = db.count_rows(table).await?;
        if n > 0 {
            held.push(format!("{n} {what}"));
        }
    }
    Ok((!held.is_empty()).then(|| held.join(", ")))
}

/// Reads the document from `source` into `db`, which must be empty.
pub async fn import(
    db: &Db,
    source: impl BufRead,
    progress: &dyn Progress,
) -> Result<Summary, ExchangeError> {
    if let Some(what) = is_empty(db).await? {
        return Err(ExchangeError::NotEmpty { what });
    }
    let mut lines = Lines::new(source);
    let header = lines.header()?;
    let mut tx = db.writer().begin().await?;
    let mut state = State::new(db.backend());
    loop {
        let Some(line) = lines.next_line()? else {
            return Err(ExchangeError::Truncated { line: lines.line });
        };
        match line {
            Line::Record(record, cells) => {
                state.take(&mut tx, lines.line, record, cells).await?;
                if state.found.is_multiple_of(4096) {
                    progress.at(lines.bytes);
                }
            }
            Line::End { records } => {
                if records != state.found {
                    return Err(ExchangeError::Count {
                        said: records,
                        found: state.found,
                    });
                }
                break;
            }
        }
    }
    if lines.next_json()?.is_some() {
        return Err(ExchangeError::AfterEnd { line: lines.line });
    }
    state.finish_section(&mut tx).await?;
    if let Some(ids) = find_cycle(&state.aligned) {
        return Err(ExchangeError::Cycle {
            what: "objectives' alignments",
            ids,
        });
    }
    sqlx::query("UPDATE instance SET name = $1, created_at = $2 WHERE id = 1")
        .bind(&header.name)
        .bind(header.created_at)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    after_import(db).await?;
    progress.at(lines.bytes);
    Ok(state.summary)
}

/// What the import knows between records.
struct State {
    backend: Backend,
    /// The section being read: an index into RECORDS.
    section: Option<usize>,
    /// Rows of the section not yet inserted, and the line of the first.
    pending: Vec<Vec<Cell>>,
    pending_from: u64,
    /// Ids of every record with one, by type: ascending, as the document lists them.
    ids: HashMap<&'static str, Vec<i64>>,
    /// Keys of records without an id, in this section.
    keys: HashSet<String>,
    /// References to the section's own records (a unit's parent): set once the
    /// section is in. (field, id, value, line)
    deferred: Vec<(&'static str, i64, i64, u64)>,
    /// Each key result's objective, to follow an alignment to a key result.
    objective_of: HashMap<i64, i64>,
    /// Current alignments, child objective → parent objective.
    aligned: Vec<(i64, i64)>,
    found: u64,
    summary: Summary,
}

impl State {
    fn new(backend: Backend) -> Self {
        State {
            backend,
            section: None,
            pending: Vec::new(),
            pending_from: 0,
            ids: HashMap::new(),
            keys: HashSet::new(),
            deferred: Vec::new(),
            objective_of: HashMap::new(),
            aligned: Vec::new(),
            found: 0,
            summary: Summary::default(),
        }
    }

    async fn take(
        &mut self,
        tx: &mut Transaction<'static, Any>,
        line: u64,
        record: &'static Record,
        mut cells: Vec<Cell>,
    ) -> Result<(), ExchangeError> {
        let at = RECORDS
            .iter()
            .position(|r| r.name == record.name)
            .unwrap_or_default();
        match self.section {
            Some(current) if at < current => {
                return Err(ExchangeError::OutOfOrder {
                    line,
                    record: record.name,
                    after: RECORDS[current].name,
                });
            }
            Some(current) if at == current => {}
            _ => {
                self.finish_section(tx).await?;
                self.section = Some(at);
                self.summary.records.push((record.name, 0));
            }
        }
        self.check_key(line, record, &cells)?;
        for (i, field) in record.fields.iter().enumerate() {
            let (Some(target), Cell::Int(value)) = (field.refers, &cells[i]) else {
                continue;
            };
            let value = *value;
            if record.is_deferred(field) {
                let id = int(&cells[0]);
                self.deferred.push((field.name, id, value, line));
                cells[i] = Cell::NullInt;
            } else if !self.holds(target, value) {
                return Err(ExchangeError::UnknownReference {
                    line,
                    record: record.name,
                    field: field.name,
                    target,
                    id: value,
                });
            }
        }
        self.follow(record, &cells);
        if record.has_id() {
            self.ids
                .entry(record.name)
                .or_default()
                .push(int(&cells[0]));
        }
        if self.pending.is_empty() {
            self.pending_from = line;
        }
        self.pending.push(cells);
        self.found += 1;
        if let Some((_, n)) = self.summary.records.last_mut() {
            *n += 1;
        }
        if self.pending.len() >= rows_per_statement(record) {
            self.flush(tx).await?;
        }
        Ok(())
    }

    /// Ids ascend within a type; other keys appear once.
    fn check_key(
        &mut self,
        line: u64,
        record: &'static Record,
        cells: &[Cell],
    ) -> Result<(), ExchangeError> {
        if record.has_id() {
            let id = int(&cells[0]);
            match self.ids.get(record.name).and_then(|ids| ids.last()) {
                Some(last) if *last == id => Err(ExchangeError::Duplicate {
                    line,
                    record: record.name,
                    key: id.to_string(),
                }),
                Some(last) if *last > id => Err(ExchangeError::OutOfOrder {
                    line,
                    record: record.name,
                    after: record.name,
                }),
                _ => Ok(()),
            }
        } else {
            let key: Vec<String> = record
                .key
                .iter()
                .filter_map(|k| record.fields.iter().position(|f| f.name == *k))
                .map(|i| format!("{:?}", cells[i]))
                .collect();
            if self.keys.insert(key.join("/")) {
                Ok(())
            } else {
                Err(ExchangeError::Duplicate {
                    line,
                    record: record.name,
                    key: key.join(", "),
                })
            }
        }
    }

    fn holds(&self, record: &str, id: i64) -> bool {
        self.ids
            .get(record)
            .is_some_and(|ids| ids.binary_search(&id).is_ok())
    }

    /// Remembers what the alignment check needs.
    fn follow(&mut self, record: &Record, cells: &[Cell]) {
        let value = |name: &str| {
            record
                .fields
                .iter()
                .position(|f| f.name == name)
                .and_then(|i| match cells[i] {
                    Cell::Int(v) => Some(v),
                    _ => None,
                })
        };
        match record.name {
            "key_result" => {
                if let (Some(id), Some(objective)) = (value("id"), value("objective_id")) {
                    self.objective_of.insert(id, objective);
                }
            }
            "alignment" if value("valid_to").is_none() => {
                let parent = value("parent_objective_id").or_else(|| {
                    value("parent_key_result_id").and_then(|kr| self.objective_of.get(&kr).copied())
                });
                if let (Some(child), Some(parent)) = (value("child_id"), parent) {
                    self.aligned.push((child, parent));
                }
            }
            _ => {}
        }
    }

    async fn flush(&mut self, tx: &mut Transaction<'static, Any>) -> Result<(), ExchangeError> {
        let Some(record) = self.section.map(|at| &RECORDS[at]) else {
            return Ok(());
        };
        if self.pending.is_empty() {
            return Ok(());
        }
        let columns: Vec<&str> = record.fields.iter().map(|f| f.name).collect();
        let sql = bulk::statement(self.backend, record.table, &columns, self.pending.len());
        let query = bulk::bind_all(sqlx::query(&sql), self.pending.iter().flatten());
        query
            .execute(&mut **tx)
            .await
            .map_err(|source| ExchangeError::Refused {
                record: record.name,
                first: self.pending_from,
                source,
            })?;
        self.pending.clear();
        Ok(())
    }

    /// Inserts what is left of the section, then its references to itself.
    async fn finish_section(
        &mut self,
        tx: &mut Transaction<'static, Any>,
    ) -> Result<(), ExchangeError> {
        self.flush(tx).await?;
        let Some(record) = self.section.map(|at| &RECORDS[at]) else {
            return Ok(());
        };
        let deferred = std::mem::take(&mut self.deferred);
        for &(field, _, value, line) in &deferred {
            if !self.holds(record.name, value) {
                return Err(ExchangeError::UnknownReference {
                    line,
                    record: record.name,
                    field,
                    target: record.name,
                    id: value,
                });
            }
        }
        for name in record
            .fields
            .iter()
            .filter(|f| record.is_deferred(f))
            .map(|f| f.name)
        {
            let links: Vec<(i64, i64)> = deferred
                .iter()
                .filter(|d| d.0 == name)
                .map(|d| (d.1, d.2))
                .collect();
            if let Some(ids) = find_cycle(&links) {
                return Err(ExchangeError::Cycle {
                    what: cycle_words(record.name),
                    ids,
                });
            }
            let sql = format!("UPDATE {} SET {name} = $1 WHERE id = $2", record.table);
            for (id, value) in links {
                sqlx::query(&sql)
                    .bind(value)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        self.keys.clear();
        Ok(())
    }
}

fn cycle_words(record: &str) -> &'static str {
    match record {
        "unit" => "units' parents",
        "period" => "periods' parents",
        "objective" => "objectives carried forward",
        _ => "records",
    }
}

fn int(cell: &Cell) -> i64 {
    match cell {
        Cell::Int(v) => *v,
        _ => 0,
    }
}

fn rows_per_statement(record: &Record) -> usize {
    (bulk::MAX_PARAMS / record.fields.len().max(1)).clamp(1, 2000)
}

/// After ids were given by the document: PostgreSQL's id generators continue
/// after them, and both databases' planners learn the tables' new sizes.
async fn after_import(db: &Db) -> Result<(), ExchangeError> {
    if db.backend() == Backend::Postgres {
        for record in RECORDS.iter().filter(|r| r.has_id()) {
            let table = record.table;
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            );
            sqlx::query(&sql).execute(db.writer()).await?;
        }
    }
    sqlx::query("ANALYZE").execute(db.writer()).await?;
    Ok(())
}
