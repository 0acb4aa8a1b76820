//! Password attempts, counted for the rate limits: per account from one address,
//! and per address over all accounts.
//!
//! An attempt is counted before the password is checked, in the same transaction
//! that checks the limits, so twenty-five attempts sent at once cannot all slip in
//! under a limit of five. A good password then takes its own attempt back.

use sqlx::Row;

use crate::storage::{Backend, Db, StorageError};

/// How many attempts are allowed within a window, and how long the window is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub window_ms: i64,
    /// Attempts on one account from one address.
    pub per_account: i64,
    /// Attempts from one address, whatever the account.
    pub per_address: i64,
}

/// One counted attempt, to be taken back if the password was right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt(i64);

/// Why an attempt may not be made now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    /// When the oldest counted failure leaves the window (ms since the epoch).
    pub until_ms: i64,
}

/// Counts an attempt on `account` from `address` if both are within their limits;
/// otherwise says how long to wait. Failures older than the window are forgotten
/// on the way.
pub async fn begin(
    db: &Db,
    account: &str,
    address: &str,
    limits: Limits,
) -> Result<Result<Attempt, Wait>, StorageError> {
    let account = account.trim().to_lowercase();
    let now = db.now_ms();
    let since = now - limits.window_ms;
    let mut tx = db.writer().begin().await?;
    if db.backend() == Backend::Postgres {
        // SQLite has one writer; on PostgreSQL concurrent sign-ins on the same keys
        // take turns, always locking in the same order.
        let mut keys = [
            format!("account:{account}|{address}"),
            format!("address:{address}"),
        ];
        keys.sort();
        for key in keys {
            sqlx::query(
                "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended($1, 7))) AS locked",
            )
            .bind(key)
            .fetch_one(&mut *tx)
            .await?;
        }
    }
    sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
        .bind(since)
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query(
        "SELECT \
           (SELECT count(*) FROM sign_in_failures WHERE account = $1 AND address = $2) AS pair, \
           (SELECT min(at) FROM sign_in_failures WHERE account = $1 AND address = $2) AS pair_oldest, \
           (SELECT count(*) FROM sign_in_failures WHERE address = $2) AS by_address, \
           (SELECT min(at) FROM sign_in_failures WHERE address = $2) AS address_oldest",
    )
    .bind(&account)
    .bind(address)
    .fetch_one(&mut *tx)
    .await?;
    let pair: i64 = row.try_get("pair")?;
    let by_address: i64 = row.try_get("by_address")?;
    let mut until: Option<i64> = None;
    if pair >= limits.per_account {
        until = row.try_get::<Option<i64>, _>("pair_oldest")?;
    }
    if by_address >= limits.per_address {
        let oldest = row.try_get::<Option<i64>, _>("address_oldest")?;
        until = until.max(oldest);
    }
    if pair >= limits.per_account || by_address >= limits.per_address {
        tx.commit().await?;
        return Ok(Err(Wait {
            until_ms: until.unwrap_or(now) + limits.window_ms,
        }));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sign_in_failures (account, address, at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(&account)
    .bind(address)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(Attempt(id)))
}

/// The password was right: the attempt is taken back, and the account's earlier
/// failures from this address are forgotten.
pub async fn succeeded(
    db: &Db,
    attempt: Attempt,
    account: &str,
    address: &str,
) -> Result<(), StorageError> {
    sqlx::query("DELETE FROM sign_in_failures WHERE id = $1 OR (account = $2 AND address = $3)")
        .bind(attempt.0)
        .bind(account.trim().to_lowercase())
        .bind(address)
        .execute(db.writer())
        .await?;
    Ok(())
}

/// Failures counted now for the account from the address, and for the address.
pub async fn counted(db: &Db, account: &str, address: &str) -> Result<(i64, i64), StorageError> {
    let pair: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sign_in_failures WHERE account = $1 AND address = $2",
    )
    .bind(account.trim().to_lowercase())
    .bind(address)
    .fetch_one(db.reader())
    .await?;
    let by_address: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sign_in_failures WHERE address = $1")
            .bind(address)
            .fetch_one(db.reader())
            .await?;
    Ok((pair, by_address))
}
