//! Text search across objectives, key results and people, as people type: every
//! word must match, the last one as a prefix.
//! SQLite uses FTS5; PostgreSQL uses tsvector columns with GIN indexes.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::storage::db::Backend;
use crate::storage::{Db, StorageError};

pub use crate::search::HitKind;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub kind: HitKind,
    pub id: i64,
    pub title: String,
}

/// At most this many words count; more only slow the query down.
const MAX_TERMS: usize = 8;
/// A longer "word" is not something anyone types to find a goal.
const MAX_TERM_CHARS: usize = 40;

/// The words of a query: letters and digits only, lowercased, so no search syntax
/// (quotes, operators, parentheses) ever reaches the database.
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.chars()
                .take(MAX_TERM_CHARS)
                .collect::<String>()
                .to_lowercase()
        })
        .take(MAX_TERMS)
        .collect()
}

pub async fn search(db: &Db, text: &str, limit: u32) -> Result<Vec<SearchHit>, StorageError> {
    let terms = terms(text);
    if terms.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let limit = i64::from(limit.min(100));
    match db.backend() {
        Backend::Sqlite => {
            // "word"* per term: quoted, so FTS5 reads it as text, then a prefix match.
            let query = terms
                .iter()
                .map(|t| format!("\"{t}\"*"))
                .collect::<Vec<_>>()
                .join(" ");
            let rows = sqlx::query("SELECT rowid, title FROM search_index WHERE search_index MATCH $1 ORDER BY rank LIMIT $2")
                .bind(query)
                .bind(limit)
                .fetch_all(db.reader())
                .await?;
            rows.iter()
                .map(|row| {
                    let rowid: i64 = row.try_get("rowid")?;
                    let kind = match rowid % 4 {
                        1 => HitKind::Objective,
                        2 => HitKind::KeyResult,
                        3 => HitKind::Person,
                        _ => return Err(StorageError::corrupt(format!("search entry {rowid}"))),
                    };
                    Ok(SearchHit {
                        kind,
                        id: rowid / 4,
                        title: row.try_get("title")?,
                    })
                })
                .collect()
        }
        Backend::Postgres => {
            let query = terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" & ");
            let rows = sqlx::query(
                "SELECT kind, id, title FROM ( \
                   SELECT 1 AS kind, id, title, ts_rank(search, q) AS rank FROM objectives, to_tsquery('simple', $1) q WHERE search @@ q \
                   UNION ALL SELECT 2, id, title, ts_rank(search, q) FROM key_results, to_tsquery('simple', $1) q WHERE search @@ q \
                   UNION ALL SELECT 3, id, name, ts_rank(search, q) FROM people, to_tsquery('simple', $1) q WHERE search @@ q \
                 ) hits ORDER BY rank DESC, kind, id LIMIT $2",
            )
            .bind(query)
            .bind(limit)
            .fetch_all(db.reader())
            .await?;
            rows.iter()
                .map(|row| {
                    let kind = match row.try_get::<i32, _>("kind")? {
                        1 => HitKind::Objective,
                        2 => HitKind::KeyResult,
                        _ => HitKind::Person,
                    };
                    Ok(SearchHit {
                        kind,
                        id: row.try_get("id")?,
                        title: row.try_get("title")?,
                    })
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::terms;

    #[test]
    fn query_syntax_never_survives() {
        assert_eq!(
            terms("grow \"revenue\" OR (churn*)"),
            vec!["grow", "revenue", "or", "churn"]
        );
        assert_eq!(terms("  "), Vec::<String>::new());
        assert_eq!(
            terms("Klanttevredenheid één"),
            vec!["klanttevredenheid", "één"]
        );
        assert_eq!(terms(&"a ".repeat(50)).len(), 8);
        assert_eq!(terms(&"x".repeat(500))[0].len(), 40);
    }
}
