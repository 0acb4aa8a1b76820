//! Why a document was refused. Each says where (the line) and what, so a person
//! can mend the file; nothing of a refused document is stored.

use thiserror::Error;

use super::tables::Kind;
use crate::storage::StorageError;

#[derive(Debug, Error)]
pub enum ExchangeError {
    #[error("this is not a Cairn exchange document: its first line is not the header")]
    NotExchange,
    #[error(
        "this document is version {found} of the exchange format; this release of Cairn reads version {known}"
    )]
    Version { found: u64, known: u64 },
    #[error(
        "the document ends after line {line} without its closing record: the file is truncated"
    )]
    Truncated { line: u64 },
    #[error("line {line}: {problem}")]
    Malformed { line: u64, problem: Problem },
    #[error("line {line}: {record} {key} is in the document twice")]
    Duplicate {
        line: u64,
        record: &'static str,
        key: String,
    },
    #[error("line {line}: {record} {field} is {id}, but the document holds no {target} {id}")]
    UnknownReference {
        line: u64,
        record: &'static str,
        field: &'static str,
        target: &'static str,
        id: i64,
    },
    #[error(
        "line {line}: a {record} record comes after the {after} records; the document lists record types in the order of its schema and ids in ascending order"
    )]
    OutOfOrder {
        line: u64,
        record: &'static str,
        after: &'static str,
    },
    #[error("the {what} form a cycle: {}", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(" → "))]
    Cycle { what: &'static str, ids: Vec<i64> },
    #[error("the closing record counts {said} records, but the document holds {found}")]
    Count { said: u64, found: u64 },
    #[error("line {line}: there is more after the closing record")]
    AfterEnd { line: u64 },
    #[error(
        "this installation already holds data ({what}); a document is imported into a new, empty one"
    )]
    NotEmpty { what: String },
    #[error("the {record} records from line {first} on were refused by the database: {source}")]
    Refused {
        record: &'static str,
        first: u64,
        source: sqlx::Error,
    },
    #[error(transparent)]
    Slice(#[from] super::slice::SliceError),
    #[error("cannot read or write the document: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for ExchangeError {
    fn from(error: sqlx::Error) -> Self {
        ExchangeError::Storage(StorageError::Query(error))
    }
}

/// What is wrong with one line.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Problem {
    #[error("it is not JSON ({0})")]
    NotJson(String),
    #[error("it is longer than {0} bytes")]
    TooLong(usize),
    #[error("it is not a JSON object")]
    NotAnObject,
    #[error("it has no \"type\"")]
    NoType,
    #[error("there is no record type \"{0}\"")]
    UnknownType(String),
    #[error("{record} has no field \"{field}\"")]
    UnknownField { record: &'static str, field: String },
    #[error("{record} needs \"{field}\"")]
    Missing {
        record: &'static str,
        field: &'static str,
    },
    #[error("{record} {field} must be {}", kind_words(*.kind))]
    WrongType {
        record: &'static str,
        field: &'static str,
        kind: Kind,
    },
    #[error("{record} {field} may not hold the character NUL")]
    Nul {
        record: &'static str,
        field: &'static str,
    },
    #[error("{record} {field}: {reason}")]
    Rule {
        record: &'static str,
        field: &'static str,
        reason: RuleBroken,
    },
    #[error("the header needs {0}")]
    Header(&'static str),
}

/// A field's type in words, for messages.
pub fn kind_words(kind: Kind) -> String {
    match kind {
        Kind::Int => "a whole number".into(),
        Kind::Real => "a number".into(),
        Kind::Text => "text".into(),
        Kind::Flag => "true or false".into(),
        Kind::Time => "a time in milliseconds since 1970".into(),
        Kind::Day => "a day written YYYY-MM-DD".into(),
        Kind::Choice(words) => format!("one of {}", words.join(", ")),
    }
}

/// How a value breaks the domain's rule for its field.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RuleBroken {
    #[error("{0}")]
    Value(#[from] cairn::values::ValueError),
    #[error("it would be stored as «{0}»; write it so")]
    NotAsWritten(String),
    #[error("it must lie between 0 and 1")]
    NotAFraction,
}
