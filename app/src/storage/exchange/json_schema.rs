//! The JSON Schema of one line of the exchange document, made from the same
//! declaration export and import use. The repository keeps a copy
//! (`docs/exchange-v1.schema.json`, checked equal by a test) and the server
//! publishes it at [`PATH`].

use serde_json::{Map, Value as Json, json};

use super::tables::{Field, Kind, RECORDS, Record};
use super::{FORMAT, VERSION};

/// Where the server publishes the schema.
pub const PATH: &str = crate::exchange::model::SCHEMA;

/// The schema, as the pretty-printed text the repository keeps.
pub fn text() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema of one line: the header, one record, or the closing line.
pub fn schema() -> Json {
    let mut defs = Map::new();
    defs.insert("header".into(), header());
    for record in RECORDS {
        defs.insert(record.name.into(), record_schema(record));
    }
    defs.insert("end".into(), end());
    let mut one_of = vec![json!({ "$ref": "#/$defs/header" })];
    one_of.extend(
        RECORDS
            .iter()
            .map(|r| json!({ "$ref": format!("#/$defs/{}", r.name) })),
    );
    one_of.push(json!({ "$ref": "#/$defs/end" }));
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("cairn:{FORMAT}:v{VERSION}"),
        "title": format!("Cairn exchange document, version {VERSION}: one line"),
        "description": format!(
            "A document is JSON Lines (UTF-8, one JSON object per line). The first line is the header; then the records, grouped by type in this order: {}; within a type, ascending by id (or by key); a record refers only to records before it or of its own type. The last line is the closing record with the number of records. Times are milliseconds since 1970-01-01 UTC. Secrets (password hashes, sessions, API tokens, webhook secrets) are never in a document.",
            RECORDS.iter().map(|r| r.name).collect::<Vec<_>>().join(", ")
        ),
        "oneOf": one_of,
        "$defs": defs,
    })
}

fn header() -> Json {
    json!({
        "type": "object",
        "description": "The first line: what the document is, and the installation it came from.",
        "properties": {
            "format": { "const": FORMAT },
            "version": { "const": VERSION },
            "name": { "type": "string", "minLength": 1, "description": "The installation's name." },
            "created_at": { "type": "integer", "description": "When the installation was created (ms)." },
            "slice": {
                "type": "object",
                "description": "Present when the document holds one unit and period rather than the whole installation: the unit with those below it and their members, their objectives of the period with what those align to, and everything these refer to, so it imports on its own.",
                "properties": {
                    "unit_id": { "type": "integer", "description": "The unit chosen." },
                    "period_id": { "type": "integer", "description": "The period chosen." },
                },
                "required": ["unit_id", "period_id"],
                "additionalProperties": false,
            },
        },
        "required": ["format", "version", "name", "created_at"],
        "additionalProperties": false,
    })
}

fn end() -> Json {
    json!({
        "type": "object",
        "description": "The last line: how many records the document holds. A document without it is truncated.",
        "properties": {
            "type": { "const": "end" },
            "records": { "type": "integer", "minimum": 0 },
        },
        "required": ["type", "records"],
        "additionalProperties": false,
    })
}

fn record_schema(record: &Record) -> Json {
    let mut properties = Map::new();
    properties.insert("type".into(), json!({ "const": record.name }));
    let mut required = vec![Json::from("type")];
    for field in record.fields {
        properties.insert(field.name.into(), field_schema(field));
        if !field.nullable {
            required.push(field.name.into());
        }
    }
    json!({
        "type": "object",
        "description": record.doc,
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn field_schema(field: &Field) -> Json {
    let (kind, mut extra): (&str, Map<String, Json>) = match field.kind {
        Kind::Int | Kind::Time => ("integer", Map::new()),
        Kind::Real => ("number", Map::new()),
        Kind::Text => ("string", Map::new()),
        Kind::Flag => ("boolean", Map::new()),
        Kind::Day => {
            let mut m = Map::new();
            m.insert("format".into(), "date".into());
            m.insert("pattern".into(), "^[0-9]{4}-[0-9]{2}-[0-9]{2}$".into());
            ("string", m)
        }
        Kind::Choice(words) => {
            let mut m = Map::new();
            let mut values: Vec<Json> = words.iter().map(|w| Json::from(*w)).collect();
            if field.nullable {
                values.push(Json::Null);
            }
            m.insert("enum".into(), values.into());
            ("string", m)
        }
    };
    let mut doc = field.doc.to_string();
    if let Some(target) = field.refers {
        doc.push_str(&format!(" The id of a {target} record."));
    }
    if field.kind == Kind::Time {
        doc.push_str(" Milliseconds since 1970-01-01 UTC.");
    }
    extra.insert("description".into(), doc.into());
    extra.insert(
        "type".into(),
        if field.nullable {
            json!([kind, "null"])
        } else {
            json!(kind)
        },
    );
    Json::Object(extra)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_repository_keeps_the_schema_the_code_writes() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../docs/exchange-v1.schema.json"
        );
        let kept = std::fs::read_to_string(path).unwrap_or_default();
        if kept != super::text() {
            panic!(
                "docs/exchange-v1.schema.json differs from the declaration in storage/exchange/tables.rs; write it again with `cairn export --schema > docs/exchange-v1.schema.json`"
            );
        }
    }
}
