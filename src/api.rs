//! The public API's tokens: what each may do (its scopes), always within what
//! its person may do by the access rules.

use serde::{Deserialize, Serialize};

use crate::named;
use crate::values::ValueError;

named! {
    /// One thing a token may do.
    Scope {
        /// Read everything a signed-in person reads.
        Read = "read",
        /// Check in on key results.
        CheckIn = "check-in",
        /// Create and change objectives, key results, comments and grades;
        /// check in too.
        Write = "write",
        /// What admins alone do through the API (the audit trail).
        Admin = "admin",
    }
}

/// A token's scopes: one or more, each once, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scopes(Vec<Scope>);

impl Scopes {
    /// Reads scopes as written: `read check-in`, `read,write`.
    pub fn parse(raw: &str) -> Result<Scopes, ScopeError> {
        let mut found = Vec::new();
        for word in raw.split([' ', ',']).filter(|w| !w.is_empty()) {
            let scope = Scope::parse(word).ok_or_else(|| ScopeError::Unknown(word.to_string()))?;
            if !found.contains(&scope) {
                found.push(scope);
            }
        }
        Scopes::of(found)
    }

    /// These scopes; at least one.
    pub fn of(mut scopes: Vec<Scope>) -> Result<Scopes, ScopeError> {
        scopes.sort_by_key(|s| Scope::ALL.iter().position(|a| a == s));
        scopes.dedup();
        if scopes.is_empty() {
            return Err(ScopeError::None);
        }
        Ok(Scopes(scopes))
    }

    /// Whether these scopes allow `scope`: `write` includes checking in.
    pub fn allows(&self, scope: Scope) -> bool {
        self.0.contains(&scope) || (scope == Scope::CheckIn && self.0.contains(&Scope::Write))
    }

    pub fn all(&self) -> &[Scope] {
        &self.0
    }

    /// `read check-in`: as stored and shown.
    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Why scopes were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ScopeError {
    #[error("a token needs at least one scope")]
    None,
    #[error("{0:?} is not a scope (read, check-in, write, admin)")]
    Unknown(String),
}

/// How long a token works: some days from its making, or until revoked.
pub const MAX_DAYS: i64 = 366;

/// Reads a token's lifetime in days; None (empty) for no expiry.
pub fn lifetime_days(raw: &str) -> Result<Option<i64>, ValueError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let days: i64 = raw.parse().map_err(|_| ValueError::NotFinite)?;
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(ValueError::OutOfRange {
            min: 1.0,
            max: MAX_DAYS as f64,
        });
    }
    Ok(Some(days))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_as_written_each_once_in_order() {
        let scopes = Scopes::parse("write, read read").unwrap();
        assert_eq!(scopes.text(), "read write");
        assert!(scopes.allows(Scope::Write) && scopes.allows(Scope::CheckIn));
        assert!(!scopes.allows(Scope::Admin));
        let reading = Scopes::parse("read").unwrap();
        assert!(!reading.allows(Scope::CheckIn) && !reading.allows(Scope::Write));
        assert_eq!(Scopes::parse(" ,"), Err(ScopeError::None));
        assert_eq!(
            Scopes::parse("read delete"),
            Err(ScopeError::Unknown("delete".into()))
        );
        assert_eq!(
            Scopes::parse(&Scopes::parse("admin check-in").unwrap().text())
                .unwrap()
                .text(),
            "check-in admin"
        );
    }

    #[test]
    fn a_lifetime_is_whole_days_within_a_year_or_none() {
        assert_eq!(lifetime_days(""), Ok(None));
        assert_eq!(lifetime_days(" 30 "), Ok(Some(30)));
        assert!(lifetime_days("0").is_err() && lifetime_days("367").is_err());
        assert!(lifetime_days("1.5").is_err() && lifetime_days("-3").is_err());
    }
}
