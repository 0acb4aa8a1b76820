//! Text search across objectives, key results, people and units, as people type:
//! every word must match, the last one as a prefix.
//! SQLite uses FTS5; PostgreSQL uses tsvector columns with GIN indexes.

use std::collections::HashMap;

use cairn::period::PeriodState;
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
                        0 => HitKind::Unit,
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
                   UNION ALL SELECT 4, id, name, ts_rank(search, q) FROM org_units, to_tsquery('simple', $1) q WHERE search @@ q \
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
                        3 => HitKind::Person,
                        _ => HitKind::Unit,
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

/// What a hit belongs to, so that equal titles can be told apart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HitContext {
    /// An objective's owner (a key result's: its objective's); a person's units;
    /// a unit's parent.
    pub owner: Option<String>,
    /// The period of an objective or key result, and its state.
    pub period: Option<(String, PeriodState)>,
    /// A key result's objective.
    pub objective: Option<i64>,
}

/// The owners, units and periods of `hits`, in one query per kind.
pub async fn contexts(
    db: &Db,
    hits: &[SearchHit],
) -> Result<HashMap<(HitKind, i64), HitContext>, StorageError> {
    // Ids are numbers from our own rows, so writing them into a query is safe.
    let ids = |kind: HitKind| {
        hits.iter()
            .filter(|h| h.kind == kind)
            .map(|h| h.id.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut found = HashMap::new();
    let owned = "COALESCE(u.name, p.name) AS owner, pe.name AS period, pe.state AS state \
         FROM objectives o JOIN periods pe ON pe.id = o.period_id \
         LEFT JOIN org_units u ON u.id = o.owner_unit_id \
         LEFT JOIN people p ON p.id = o.owner_person_id";
    for (kind, select, filter) in [
        (HitKind::Objective, "o.id AS id, o.id AS objective", "o.id"),
        (HitKind::KeyResult, "k.id AS id, o.id AS objective", "k.id"),
    ] {
        let list = ids(kind);
        if list.is_empty() {
            continue;
        }
        let join = if kind == HitKind::KeyResult {
            " JOIN key_results k ON k.objective_id = o.id"
        } else {
            ""
        };
        let rows = sqlx::query(&format!(
            "SELECT {select}, {owned}{join} WHERE {filter} IN ({list})"
        ))
        .fetch_all(db.reader())
        .await?;
        for row in rows {
            let state: String = row.try_get("state")?;
            let state = PeriodState::parse(&state)
                .ok_or_else(|| StorageError::corrupt(format!("period state {state}")))?;
            found.insert(
                (kind, row.try_get::<i64, _>("id")?),
                HitContext {
                    owner: row.try_get("owner")?,
                    period: Some((row.try_get("period")?, state)),
                    objective: Some(row.try_get("objective")?),
                },
            );
        }
    }
    for (kind, sql) in [
        (
            HitKind::Person,
            "SELECT m.person_id AS id, u.name AS name FROM memberships m \
             JOIN org_units u ON u.id = m.unit_id WHERE m.person_id IN ({list}) \
             ORDER BY m.person_id, u.id",
        ),
        (
            HitKind::Unit,
            "SELECT c.id AS id, p.name AS name FROM org_units c \
             JOIN org_units p ON p.id = c.parent_id WHERE c.id IN ({list})",
        ),
    ] {
        let list = ids(kind);
        if list.is_empty() {
            continue;
        }
        let rows = sqlx::query(&sql.replace("{list}", &list))
            .fetch_all(db.reader())
            .await?;
        for row in rows {
            let name: String = row.try_get("name")?;
            let context: &mut HitContext = found
                .entry((kind, row.try_get::<i64, _>("id")?))
                .or_default();
            context.owner = Some(match context.owner.take() {
                Some(names) => format!("{names}, {name}"),
                None => name,
            });
        }
    }
    Ok(found)
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
