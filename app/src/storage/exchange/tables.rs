//! What the exchange document holds: each record type, the table it comes from,
//! and each field with its type, whether it may be null and what it refers to.
//! Export, import, the JSON Schema and its documentation are all read from this
//! one declaration, so they cannot drift apart.

/// The type of one field in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number (ids, versions, positions, counts).
    Int,
    /// A number with a fraction (weights, progress 0..1, readings, grades).
    Real,
    /// Free text.
    Text,
    /// true or false (stored as 0/1).
    Flag,
    /// A moment: milliseconds since 1970-01-01 UTC.
    Time,
    /// A calendar day, `YYYY-MM-DD`.
    Day,
    /// One of a fixed list of words.
    Choice(&'static [&'static str]),
}

/// One field of a record: a column of its table.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub nullable: bool,
    /// The record type whose `id` this field holds.
    pub refers: Option<&'static str>,
    /// The domain's rule for the value, checked on import.
    pub rule: Rule,
    pub doc: &'static str,
}

/// Which of the domain's value rules a field keeps (see `cairn::values`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Any,
    Title,
    Name,
    LongText,
    UnitLabel,
    Email,
    /// A measured value within ±10^15.
    Value,
    Weight,
    /// 0 to 1: progress and grades.
    Fraction,
    Confidence,
}

impl Field {
    pub(super) const fn keeps(mut self, rule: Rule) -> Self {
        self.rule = rule;
        self
    }
}

/// One record type: the rows of one table.
#[derive(Debug, Clone, Copy)]
pub struct Record {
    /// The record's `type` in the document.
    pub name: &'static str,
    /// The records in words, for people: "key results".
    pub plural: &'static str,
    pub table: &'static str,
    pub fields: &'static [Field],
    /// The fields that identify a row; `["id"]` for most.
    pub key: &'static [&'static str],
    pub doc: &'static str,
}

impl Record {
    /// Whether rows are identified by an `id` that others refer to.
    pub fn has_id(&self) -> bool {
        self.key == ["id"]
    }

    /// Fields referring to this record type's own rows (a unit's parent unit):
    /// imported after the section, once every row exists.
    pub fn is_deferred(&self, field: &Field) -> bool {
        field.refers == Some(self.name)
    }
}

pub use super::catalogue::{LEFT_OUT, RECORDS, TABLES_LEFT_OUT};

/// The record type called `name`.
pub fn record(name: &str) -> Option<&'static Record> {
    RECORDS.iter().find(|r| r.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_point_backwards_or_at_themselves() {
        for (at, record) in RECORDS.iter().enumerate() {
            for field in record.fields {
                if let Some(target) = field.refers {
                    let target_at = RECORDS.iter().position(|r| r.name == target).unwrap();
                    assert!(
                        target_at <= at,
                        "{}.{} refers forward",
                        record.name,
                        field.name
                    );
                    assert!(RECORDS[target_at].has_id(), "{target} has no id");
                }
            }
            for key in record.key {
                assert!(record.fields.iter().any(|f| f.name == *key));
            }
        }
    }
}
