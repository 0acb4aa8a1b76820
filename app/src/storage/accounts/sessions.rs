//! Signed-in browsers, kept in the database so every node behind a load balancer
//! knows them and signing out ends a session everywhere at once. The cookie holds
//! a random session id; the table holds only its SHA-256, so reading the table
//! does not let anyone in.

use std::collections::HashMap;

use async_trait::async_trait;
use sha2::{Digest, Sha256};
use sqlx::Row;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::storage::Db;
use crate::storage::db::now_ms;

/// The session data key holding the signed-in person's id.
pub const PERSON: &str = "person";

/// tower-sessions' store over Cairn's database.
#[derive(Debug, Clone)]
pub struct DbSessions(pub Db);

/// The stored key of a session id: its SHA-256 in hex.
pub fn session_key(id: &Id) -> String {
    hex_sha256(id.to_string().as_bytes())
}

/// SHA-256 in lower-case hex, for tokens kept only as hashes.
pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn expires_ms(record: &Record) -> i64 {
    i64::try_from(record.expiry_date.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn person_of(record: &Record) -> Option<i64> {
    record.data.get(PERSON).and_then(serde_json::Value::as_i64)
}

#[async_trait]
impl SessionStore for DbSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let mut tx = self.0.writer().begin().await.map_err(backend)?;
        // Expired sessions go when new ones come.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now_ms())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        loop {
            let inserted = sqlx::query(
                "INSERT INTO sessions (id, person_id, data, expires_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(session_key(&record.id))
            .bind(person_of(record))
            .bind(&data)
            .bind(expires_ms(record))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                break;
            }
            // 128 random bits collided: draw again.
            record.id = Id::default();
        }
        tx.commit().await.map_err(backend)?;
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        sqlx::query(
            "INSERT INTO sessions (id, person_id, data, expires_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET person_id = excluded.person_id, data = excluded.data, \
             expires_at = excluded.expires_at",
        )
        .bind(session_key(&record.id))
        .bind(person_of(record))
        .bind(data)
        .bind(expires_ms(record))
        .execute(self.0.writer())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(row) =
            sqlx::query("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(session_key(id))
                .bind(now_ms())
                .fetch_optional(self.0.reader())
                .await
                .map_err(backend)?
        else {
            return Ok(None);
        };
        let data: String = row.try_get("data").map_err(backend)?;
        let expires: i64 = row.try_get("expires_at").map_err(backend)?;
        let data: HashMap<String, serde_json::Value> =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date =
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(expires) * 1_000_000)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(session_key(id))
            .execute(self.0.writer())
            .await
            .map_err(backend)?;
        Ok(())
    }
}
