//! Bulk import: many rows with ids chosen by the caller, in multi-row INSERTs.
//! For demo data and importers; ordinary changes go through the functions that
//! also write audit and live events.

use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

use crate::storage::db::Backend;
use crate::storage::nullable::NullableF64;
use crate::storage::{Db, StorageError};

/// One value of a row. NULLs carry their type: PostgreSQL refuses a NULL of the
/// wrong type.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Int(i64),
    Real(f64),
    Text(String),
    NullInt,
    NullReal,
    NullText,
}

impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}
impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Real(v)
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_string())
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}
impl From<Option<i64>> for Cell {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Cell::NullInt, Cell::Int)
    }
}
impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Cell::NullReal, Cell::Real)
    }
}
impl From<Option<&str>> for Cell {
    fn from(v: Option<&str>) -> Self {
        v.map_or(Cell::NullText, Cell::from)
    }
}
impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Self {
        v.map_or(Cell::NullText, Cell::Text)
    }
}

/// Tables that may be bulk-loaded: the organisation and its OKRs. Not the logs,
/// which only ever grow through the changes they record, nor accounts and what
/// reaches people (outbox, notices, rhythms), which have writers of their own.
fn loadable(table: &str) -> bool {
    crate::storage::TABLES.contains(&table)
        && !matches!(
            table,
            "audit_events"
                | "events"
                | "accounts"
                | "sessions"
                | "sign_in_links"
                | "sign_in_failures"
                | "outbox"
                | "outbox_attempts"
                | "notices"
                | "notice_preferences"
                | "unit_cadences"
                | "schedule_runs"
                | "follows"
                | "link_requests"
                | "api_tokens"
                | "webhooks"
                | "webhook_deliveries"
        )
}

/// Parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535.
pub(crate) const MAX_PARAMS: usize = 30_000;

/// Inserts `rows` into `table` (one of Cairn's tables) in one transaction.
pub async fn insert(
    db: &Db,
    table: &'static str,
    columns: &[&'static str],
    rows: &[Vec<Cell>],
) -> Result<(), StorageError> {
    if !loadable(table) {
        return Err(StorageError::corrupt(format!(
            "{table} cannot be bulk-loaded"
        )));
    }
    if rows.iter().any(|r| r.len() != columns.len()) {
        return Err(StorageError::corrupt(
            "every row needs one value per column",
        ));
    }
    let per_statement = (MAX_PARAMS / columns.len().max(1)).max(1);
    let mut tx = db.writer().begin().await?;
    let backend = db.backend();
    for chunk in rows.chunks(per_statement) {
        let sql = statement(backend, table, columns, chunk.len());
        bind_all(sqlx::query(&sql), chunk.iter().flatten())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Binds each cell in turn, NULLs with their column's type.
pub(crate) fn bind_all<'q>(
    mut query: Query<'q, Any, AnyArguments<'q>>,
    cells: impl Iterator<Item = &'q Cell>,
) -> Query<'q, Any, AnyArguments<'q>> {
    for cell in cells {
        query = match cell {
            Cell::Int(v) => query.bind(*v),
            Cell::Real(v) => query.bind(*v),
            Cell::Text(v) => query.bind(v.as_str()),
            Cell::NullInt => query.bind(None::<i64>),
            Cell::NullReal => query.bind(NullableF64(None)),
            Cell::NullText => query.bind(None::<String>),
        };
    }
    query
}

/// The INSERT text. SQLite gets anonymous `?` placeholders: it looks numbered ones
/// up by name, one scan per parameter, which is quadratic in a statement with
/// thousands of them. PostgreSQL needs `$1`, `$2`, ...
pub(crate) fn statement(backend: Backend, table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&n.to_string());
                }
            }
        }
        sql.push(')');
    }
    sql
}

/// After ids were chosen by the caller, moves PostgreSQL's id generators past them
/// (SQLite always continues after the highest id), and refreshes the planner's
/// statistics: right after a large import they describe empty tables.
pub async fn finish(db: &Db) -> Result<(), StorageError> {
    sqlx::query("ANALYZE").execute(db.writer()).await?;
    if db.backend() == Backend::Postgres {
        for table in crate::storage::TABLES
            .iter()
            .filter(|t| loadable(t) && **t != "memberships")
        {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            );
            sqlx::query(&sql).execute(db.writer()).await?;
        }
    }
    Ok(())
}

/// Gives every person without an account one, all with the same password hash
/// (the demo organisation's shared password). Returns how many were created.
pub async fn grant_accounts(db: &Db, password_hash: &str) -> Result<u64, StorageError> {
    let at = db.now_ms();
    Ok(sqlx::query(
        "INSERT INTO accounts (person_id, password_hash, is_admin, created_at, password_changed_at) \
         SELECT id, $1, 0, $2, $2 FROM people WHERE id NOT IN (SELECT person_id FROM accounts)",
    )
    .bind(password_hash)
    .bind(at)
    .execute(db.writer())
    .await?
    .rows_affected())
}

/// Whether the database holds no organisation yet (a fresh installation).
pub async fn is_empty(db: &Db) -> Result<bool, StorageError> {
    Ok(db.count_rows("org_units").await? == 0)
}

#[cfg(test)]
mod tests {
    use super::{Backend, statement};

    #[test]
    fn placeholders_suit_each_database() {
        assert_eq!(
            statement(Backend::Postgres, "people", &["id", "name"], 2),
            "INSERT INTO people (id, name) VALUES ($1, $2), ($3, $4)"
        );
        assert_eq!(
            statement(Backend::Sqlite, "people", &["id", "name"], 2),
            "INSERT INTO people (id, name) VALUES (?, ?), (?, ?)"
        );
    }
}
