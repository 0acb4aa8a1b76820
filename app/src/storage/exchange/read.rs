//! Reading the document line by line and checking each record against its
//! declaration, before anything reaches the database.

use std::io::{BufRead, Read};

use chrono::NaiveDate;
use serde_json::{Map, Value as Json};

use super::tables::{Field, Kind, RECORDS, Record, Rule};
use super::{ExchangeError, FORMAT, MAX_LINE, Problem, RuleBroken, VERSION};
use crate::storage::bulk::Cell;

/// One line of the document, read.
#[derive(Debug)]
pub enum Line {
    Record(&'static Record, Vec<Cell>),
    End { records: u64 },
}

/// The header's installation fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub name: String,
    pub created_at: i64,
}

/// Lines of a document, with where they are.
pub struct Lines<R> {
    source: R,
    buf: Vec<u8>,
    /// The line last read, from 1.
    pub line: u64,
    /// Bytes read so far.
    pub bytes: u64,
}

impl<R: BufRead> Lines<R> {
    pub fn new(source: R) -> Self {
        Lines {
            source,
            buf: Vec::new(),
            line: 0,
            bytes: 0,
        }
    }

    /// The next line that is not blank, as JSON, or None at the end of the file.
    pub fn next_json(&mut self) -> Result<Option<Map<String, Json>>, ExchangeError> {
        loop {
            self.buf.clear();
            let n = <&mut R as Read>::take(&mut self.source, MAX_LINE as u64 + 1)
                .read_until(b'\n', &mut self.buf)?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            self.bytes += n as u64;
            if self.buf.len() > MAX_LINE {
                return Err(self.malformed(Problem::TooLong(MAX_LINE)));
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return match serde_json::from_slice::<Json>(&self.buf) {
                Ok(Json::Object(map)) => Ok(Some(map)),
                Ok(_) => Err(self.malformed(Problem::NotAnObject)),
                // A last line cut off mid-record is a truncated file.
                Err(e) if e.is_eof() && !self.buf.ends_with(b"\n") => {
                    Err(ExchangeError::Truncated {
                        line: self.line - 1,
                    })
                }
                Err(e) => Err(self.malformed(Problem::NotJson(e.to_string()))),
            };
        }
    }

    pub fn malformed(&self, problem: Problem) -> ExchangeError {
        ExchangeError::Malformed {
            line: self.line,
            problem,
        }
    }

    /// The header: the first line.
    pub fn header(&mut self) -> Result<Header, ExchangeError> {
        let Some(map) = self.next_json().map_err(|e| match e {
            ExchangeError::Malformed { .. } => ExchangeError::NotExchange,
            other => other,
        })?
        else {
            return Err(ExchangeError::NotExchange);
        };
        if map.get("format").and_then(Json::as_str) != Some(FORMAT) {
            return Err(ExchangeError::NotExchange);
        }
        let version = map
            .get("version")
            .and_then(Json::as_u64)
            .ok_or_else(|| self.malformed(Problem::Header("a \"version\"")))?;
        if version != VERSION {
            return Err(ExchangeError::Version {
                found: version,
                known: VERSION,
            });
        }
        let name = map
            .get("name")
            .and_then(Json::as_str)
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| self.malformed(Problem::Header("the installation's \"name\"")))?;
        let created_at = map
            .get("created_at")
            .and_then(Json::as_i64)
            .ok_or_else(|| self.malformed(Problem::Header("\"created_at\" in milliseconds")))?;
        Ok(Header {
            name: name.to_string(),
            created_at,
        })
    }

    /// The next record or the closing line; None at the end of the file.
    pub fn next_line(&mut self) -> Result<Option<Line>, ExchangeError> {
        let Some(map) = self.next_json()? else {
            return Ok(None);
        };
        let kind = map
            .get("type")
            .and_then(Json::as_str)
            .ok_or_else(|| self.malformed(Problem::NoType))?;
        if kind == "end" {
            let records = map.get("records").and_then(Json::as_u64).ok_or_else(|| {
                self.malformed(Problem::Missing {
                    record: "end",
                    field: "records",
                })
            })?;
            return Ok(Some(Line::End { records }));
        }
        let record = RECORDS
            .iter()
            .find(|r| r.name == kind)
            .ok_or_else(|| self.malformed(Problem::UnknownType(kind.to_string())))?;
        let cells = cells(record, &map).map_err(|p| self.malformed(p))?;
        Ok(Some(Line::Record(record, cells)))
    }
}

/// A record's fields as row values, in declaration order.
pub fn cells(record: &'static Record, map: &Map<String, Json>) -> Result<Vec<Cell>, Problem> {
    if let Some(unknown) = map
        .keys()
        .find(|k| *k != "type" && !record.fields.iter().any(|f| f.name == k.as_str()))
    {
        return Err(Problem::UnknownField {
            record: record.name,
            field: unknown.clone(),
        });
    }
    record
        .fields
        .iter()
        .map(|field| {
            let cell = cell(record, field, map.get(field.name))?;
            keeps(field.rule, &cell).map_err(|reason| Problem::Rule {
                record: record.name,
                field: field.name,
                reason,
            })?;
            Ok(cell)
        })
        .collect()
}

/// Whether a value keeps the domain's rule for its field, exactly as written: a
/// title with spaces around it is refused, not trimmed, so what is stored is what
/// the document says.
fn keeps(rule: Rule, cell: &Cell) -> Result<(), RuleBroken> {
    use cairn::values::{Confidence, Email, LongText, Name, Title, UnitLabel, Value, Weight};
    let same = |parsed: &str, raw: &str| {
        if parsed == raw {
            Ok(())
        } else {
            Err(RuleBroken::NotAsWritten(parsed.to_string()))
        }
    };
    match (rule, cell) {
        (Rule::Any, _) | (_, Cell::NullInt | Cell::NullReal | Cell::NullText) => Ok(()),
        (Rule::Title, Cell::Text(t)) => same(Title::parse(t)?.as_str(), t),
        (Rule::Name, Cell::Text(t)) => same(Name::parse(t)?.as_str(), t),
        (Rule::LongText, Cell::Text(t)) => same(LongText::parse(t)?.as_str(), t),
        (Rule::UnitLabel, Cell::Text(t)) => same(UnitLabel::parse(t)?.as_str(), t),
        (Rule::Email, Cell::Text(t)) => same(Email::parse(t)?.as_str(), t),
        (Rule::Value, Cell::Real(v)) => Value::parse(*v).map(drop).map_err(Into::into),
        (Rule::Weight, Cell::Real(v)) => Weight::parse(*v).map(drop).map_err(Into::into),
        (Rule::Fraction, Cell::Real(v)) if (0.0..=1.0).contains(v) => Ok(()),
        (Rule::Fraction, _) => Err(RuleBroken::NotAFraction),
        (Rule::Confidence, Cell::Int(v)) => Confidence::parse(*v).map(drop).map_err(Into::into),
        // The declaration pairs rules with fitting types; the test below holds it to that.
        _ => Err(RuleBroken::NotAFraction),
    }
}

fn cell(
    record: &'static Record,
    field: &'static Field,
    value: Option<&Json>,
) -> Result<Cell, Problem> {
    let wrong = || Problem::WrongType {
        record: record.name,
        field: field.name,
        kind: field.kind,
    };
    let value = match value {
        None if !field.nullable => {
            return Err(Problem::Missing {
                record: record.name,
                field: field.name,
            });
        }
        None | Some(Json::Null) if field.nullable => return Ok(null(field.kind)),
        None | Some(Json::Null) => return Err(wrong()),
        Some(v) => v,
    };
    Ok(match field.kind {
        Kind::Int | Kind::Time => Cell::Int(value.as_i64().ok_or_else(wrong)?),
        Kind::Flag => Cell::Int(i64::from(value.as_bool().ok_or_else(wrong)?)),
        Kind::Real => Cell::Real(value.as_f64().filter(|v| v.is_finite()).ok_or_else(wrong)?),
        Kind::Text => {
            let text = value.as_str().ok_or_else(wrong)?;
            if text.contains('\0') {
                return Err(Problem::Nul {
                    record: record.name,
                    field: field.name,
                });
            }
            Cell::Text(text.to_string())
        }
        Kind::Day => {
            let text = value.as_str().ok_or_else(wrong)?;
            let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| wrong())?;
            if day.format("%Y-%m-%d").to_string() != text {
                return Err(wrong());
            }
            Cell::Text(text.to_string())
        }
        Kind::Choice(words) => {
            let text = value.as_str().ok_or_else(wrong)?;
            if !words.contains(&text) {
                return Err(wrong());
            }
            Cell::Text(text.to_string())
        }
    })
}

fn null(kind: Kind) -> Cell {
    match kind {
        Kind::Int | Kind::Time | Kind::Flag => Cell::NullInt,
        Kind::Real => Cell::NullReal,
        Kind::Text | Kind::Day | Kind::Choice(_) => Cell::NullText,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read_all(bytes: &[u8]) -> Result<u64, ExchangeError> {
        let mut lines = Lines::new(bytes);
        lines.header()?;
        let mut n = 0;
        while let Some(line) = lines.next_line()? {
            if let Line::End { .. } = line {
                break;
            }
            n += 1;
        }
        Ok(n)
    }

    const HEADER: &str = r#"{"format":"cairn-exchange","version":1,"name":"Acme","created_at":0}"#;

    #[test]
    fn a_record_is_checked_field_by_field() {
        let ok = format!(
            "{HEADER}\n{}\n{{\"type\":\"end\",\"records\":1}}\n",
            r#"{"type":"unit","id":1,"parent_id":null,"name":"Acme","kind":"organisation","active":true,"version":1,"created_at":5}"#
        );
        assert_eq!(read_all(ok.as_bytes()).unwrap(), 1);
        let bad = |record: &str| {
            read_all(format!("{HEADER}\n{record}\n").as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            bad(
                r#"{"type":"unit","id":1,"name":"Acme","kind":"guild","active":true,"version":1,"created_at":5}"#
            ),
            "line 2: unit kind must be one of organisation, department, team"
        );
        assert_eq!(
            bad(r#"{"type":"unit","id":1,"name":"Acme","kind":"team","active":true,"version":1}"#),
            "line 2: unit needs \"created_at\""
        );
        assert_eq!(
            bad(
                r#"{"type":"unit","id":"1","name":"Acme","kind":"team","active":true,"version":1,"created_at":5}"#
            ),
            "line 2: unit id must be a whole number"
        );
        assert_eq!(
            bad(r#"{"type":"unit","id":1,"nmae":"Acme"}"#),
            "line 2: unit has no field \"nmae\""
        );
        assert_eq!(
            bad(
                r#"{"type":"period","id":1,"kind":"year","name":"2027","starts_on":"2027-1-1","ends_on":"2027-12-31","state":"active","version":1}"#
            ),
            "line 2: period starts_on must be a day written YYYY-MM-DD"
        );
        assert_eq!(
            bad(r#"{"type":"squad"}"#),
            "line 2: there is no record type \"squad\""
        );
        assert_eq!(bad("[1]"), "line 2: it is not a JSON object");
    }

    #[test]
    fn another_version_or_no_header_is_named() {
        let other = r#"{"format":"cairn-exchange","version":2,"name":"Acme","created_at":0}"#;
        assert_eq!(
            read_all(other.as_bytes()).unwrap_err().to_string(),
            "this document is version 2 of the exchange format; this release of Cairn reads version 1"
        );
        assert!(matches!(
            read_all(b"id,name\n1,Acme\n"),
            Err(ExchangeError::NotExchange)
        ));
        assert!(matches!(read_all(b""), Err(ExchangeError::NotExchange)));
    }

    #[test]
    fn a_line_cut_off_is_a_truncated_file() {
        let cut = format!("{HEADER}\n{{\"type\":\"unit\",\"id\":1,\"na");
        assert!(matches!(
            read_all(cut.as_bytes()),
            Err(ExchangeError::Truncated { line: 1 })
        ));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read_all(&bytes);
            let mut with_header = HEADER.as_bytes().to_vec();
            with_header.push(b'\n');
            with_header.extend_from_slice(&bytes);
            let _ = read_all(&with_header);
        }

        #[test]
        fn arbitrary_json_records_never_panic(
            kind in prop::sample::select(vec!["unit", "person", "objective", "key_result", "check_in", "alignment"]),
            fields in proptest::collection::btree_map("[a-z_]{1,12}", prop_oneof![
                Just(Json::Null),
                any::<bool>().prop_map(Json::from),
                any::<i64>().prop_map(Json::from),
                any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)),
                ".{0,20}".prop_map(Json::from),
            ], 0..12),
        ) {
            let mut map: Map<String, Json> = fields.into_iter().collect();
            map.insert("type".into(), kind.into());
            let line = format!("{HEADER}\n{}\n", Json::Object(map));
            let _ = read_all(line.as_bytes());
        }
    }
}
