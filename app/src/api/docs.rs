//! The API's description as JSON, and a reference page made from it: plain
//! HTML with its style inline, so it reads the same offline.

use std::fmt::Write;
use std::sync::Arc;

use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;

use super::problem::{KINDS, Problem, TYPES};
use crate::html::escape as esc;

pub async fn json(description: Arc<utoipa::openapi::OpenApi>) -> Response {
    let mut response = axum::Json(&*description).into_response();
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// The reference page, with the one policy that lets its own style apply
/// (by the style's hash) and nothing else.
pub async fn html(page: Arc<String>) -> Response {
    use base64::Engine;
    use sha2::Digest;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(STYLE.as_bytes()));
    let policy = format!(
        "default-src 'none'; style-src 'sha256-{hash}'; frame-ancestors 'none'; base-uri 'none'"
    );
    let mut response = Html(page.as_str().to_string()).into_response();
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// A path under `/api/v1` that is not a route.
pub async fn nothing_here() -> Problem {
    Problem::new(
        "not-found",
        "no such route: see /api/v1/docs for every route",
    )
}

/// A route asked with a method it does not answer.
pub async fn not_allowed() -> Problem {
    Problem::new(
        "method-not-allowed",
        "this route does not answer that method: see /api/v1/docs",
    )
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2433}\
h1,h2,h3{line-height:1.2}code,pre{font:14px/1.4 ui-monospace,monospace;background:#f2f4f7;border-radius:4px}\
code{padding:0 .25em}pre{padding:.75rem;overflow-x:auto}table{border-collapse:collapse;width:100%;margin:.5rem 0}\
td,th{border-bottom:1px solid #dde1e8;padding:.25rem .5rem;text-align:left;vertical-align:top}\
.op{border:1px solid #dde1e8;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}\
.m{display:inline-block;min-width:4.5em;font-weight:700;text-transform:uppercase}\
.get{color:#1a6b3c}.post{color:#1d4ed8}.put,.patch{color:#9a5b00}.delete{color:#b42318}\
nav ul{columns:2}small{color:#5b6474}";

/// The reference page: every route with its parameters, body and answers,
/// every type, and every kind of problem.
pub fn page(description: &utoipa::openapi::OpenApi) -> String {
    let doc = serde_json::to_value(description).unwrap_or(Value::Null);
    let mut out = String::new();
    let title = text(&doc["info"]["title"]);
    let _ = write!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} reference</title><style>{STYLE}</style></head><body><h1>{} reference</h1><p>{}</p>",
        esc(&title),
        esc(&title),
        code_spans(&text(&doc["info"]["description"])),
    );
    out.push_str(INTRO);
    let mut operations: Vec<(String, String, String, &Value)> = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    let tag = op["tags"][0].as_str().unwrap_or("other").to_string();
                    operations.push((tag, path.clone(), method.to_string(), op));
                }
            }
        }
    }
    let mut tags: Vec<String> = doc["tags"]
        .as_array()
        .map(|t| t.iter().map(|t| text(&t["name"])).collect())
        .unwrap_or_default();
    for (tag, ..) in &operations {
        if !tags.contains(tag) {
            tags.push(tag.clone());
        }
    }
    out.push_str("<nav><h2>Routes</h2><ul>");
    for (_, path, method, _) in &operations {
        let _ = write!(
            out,
            "<li><a href=\"#{}\"><span class=\"m {method}\">{method}</span> <code>{}</code></a></li>",
            anchor(method, path),
            esc(path)
        );
    }
    out.push_str("</ul></nav>");
    for tag in &tags {
        let _ = write!(out, "<h2>{}</h2>", esc(&capitalised(tag)));
        for (_, path, method, op) in operations.iter().filter(|(t, ..)| t == tag) {
            operation(&mut out, path, method, op);
        }
    }
    schemas(&mut out, &doc);
    problems(&mut out);
    out.push_str("</body></html>");
    out
}

const INTRO: &str = "<h2 id=\"using\">Using the API</h2>\
<p><b>Tokens.</b> Make a personal token on your account page (admins make service tokens under \
Admin → Service tokens) and send it with every request: <code>Authorization: Bearer cairn_…</code>. \
A token's scopes say what it may do: <code>read</code>, <code>check-in</code> (checking in on key results; \
<code>write</code> includes it), <code>write</code> (objectives, alignment, comments, grades) and \
<code>admin</code> (the audit trail). It never does more than its person may in Cairn itself.</p>\
<p><b>Versions.</b> Objectives, key results and grading sheets carry their version as an \
<code>ETag</code>. A change sends the version it was made on in <code>If-Match</code>; a stale one is \
answered <code>412</code>, a missing one <code>428</code>.</p>\
<p><b>Retries.</b> A check-in sent with an <code>Idempotency-Key</code> header is made once: a retry \
with the same key answers with the check-in already made.</p>\
<p><b>Lists</b> come a page at a time, oldest first: pass the <code>next</code> of a page as \
<code>cursor</code> for the following one; a page without <code>next</code> is the last. Rows added \
while you page come at the end, so none is skipped or repeated.</p>\
<p><b>Limits.</b> Each token may make a number of requests a minute; beyond it the answer is \
<code>429</code> with <code>Retry-After</code> in seconds. Bodies are at most 1 MiB.</p>\
<p><b>Errors</b> are <code>application/problem+json</code> (RFC 9457): see <a href=\"#problems\">the kinds of problem</a>.</p>\
<h3>From a script</h3><pre>curl -sS -X POST https://okr.example.org/api/v1/key-results/42/check-ins \\\n  \
-H \"Authorization: Bearer $CAIRN_TOKEN\" -H \"Content-Type: application/json\" \\\n  \
-H \"Idempotency-Key: nightly-$(date +%F)\" \\\n  \
-d '{\"value\": 1250, \"confidence\": 7, \"note\": \"from the nightly export\"}'</pre>\
<p>The description itself: <a href=\"/api/v1/openapi.json\"><code>/api/v1/openapi.json</code></a> (OpenAPI 3.1).</p>";

fn operation(out: &mut String, path: &str, method: &str, op: &Value) {
    let _ = write!(
        out,
        "<section class=\"op\" id=\"{}\"><h3><span class=\"m {method}\">{method}</span> <code>{}</code></h3>",
        anchor(method, path),
        esc(path)
    );
    for line in [text(&op["summary"]), text(&op["description"])] {
        if !line.is_empty() {
            let _ = write!(out, "<p>{}</p>", code_spans(&line));
        }
    }
    if let Some(security) = op["security"].as_array() {
        let scopes: Vec<String> = security
            .iter()
            .filter_map(|s| s["token"].as_array())
            .flatten()
            .map(text)
            .collect();
        if !scopes.is_empty() {
            let _ = write!(
                out,
                "<p><small>Scope: <code>{}</code></small></p>",
                esc(&scopes.join(" "))
            );
        }
    }
    if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
        out.push_str("<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>Meaning</th></tr>");
        for p in params {
            let _ = write!(
                out,
                "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&text(&p["name"])),
                if p["required"].as_bool() == Some(true) {
                    " *"
                } else {
                    ""
                },
                esc(&text(&p["in"])),
                type_of(&p["schema"]),
                code_spans(&text(&p["description"]))
            );
        }
        out.push_str("</table>");
    }
    if let Some(body) = op["requestBody"]["content"]["application/json"]["schema"].as_object() {
        let _ = write!(
            out,
            "<p>Body: {}</p>",
            type_of(&Value::Object(body.clone()))
        );
    }
    if let Some(responses) = op["responses"].as_object() {
        out.push_str("<table><tr><th>Answer</th><th>Body</th><th>Meaning</th></tr>");
        for (status, response) in responses {
            let body = response["content"]
                .as_object()
                .and_then(|c| c.values().next())
                .map(|c| type_of(&c["schema"]))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td>{body}</td><td>{}</td></tr>",
                esc(status),
                esc(&text(&response["description"]))
            );
        }
        out.push_str("</table>");
    }
    out.push_str("</section>");
}

fn schemas(out: &mut String, doc: &Value) {
    let Some(schemas) = doc["components"]["schemas"].as_object() else {
        return;
    };
    out.push_str("<h2 id=\"types\">Types</h2>");
    for (name, schema) in schemas {
        let _ = write!(
            out,
            "<section class=\"op\" id=\"type-{}\"><h3>{}</h3>",
            esc(name),
            esc(name)
        );
        let description = text(&schema["description"]);
        if !description.is_empty() {
            let _ = write!(out, "<p>{}</p>", code_spans(&description));
        }
        if let Some(values) = schema["enum"].as_array() {
            let values: Vec<String> = values.iter().map(text).collect();
            let _ = write!(
                out,
                "<p>One of <code>{}</code></p>",
                esc(&values.join(", "))
            );
        }
        if let Some(properties) = schema["properties"].as_object() {
            let required: Vec<String> = schema["required"]
                .as_array()
                .map(|r| r.iter().map(text).collect())
                .unwrap_or_default();
            out.push_str("<table><tr><th>Field</th><th>Type</th><th>Meaning</th></tr>");
            for (field, property) in properties {
                let _ = write!(
                    out,
                    "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(field),
                    if required.contains(field) { " *" } else { "" },
                    type_of(property),
                    code_spans(&text(&property["description"]))
                );
            }
            out.push_str("</table>");
        }
        out.push_str("</section>");
    }
    out.push_str("<p><small>* always present (in a body: required).</small></p>");
}

fn problems(out: &mut String) {
    out.push_str(
        "<h2 id=\"problems\">Kinds of problem</h2><p>Every refusal is a JSON object: <code>type</code> \
         (one of the links below, stable across releases), <code>title</code>, <code>status</code>, \
         <code>detail</code>, and for a refused field <code>field</code> with a <code>code</code> saying \
         what is wrong with it (<code>empty</code>, <code>too_long</code>, <code>out_of_range</code>, …) or, \
         for a broken rule, which rule.</p><table><tr><th>type</th><th>Status</th><th>Meaning</th></tr>",
    );
    for (code, status, title) in KINDS {
        let _ = write!(
            out,
            "<tr id=\"problem-{code}\"><td><code>{TYPES}{code}</code></td><td>{status}</td><td>{}</td></tr>",
            esc(title)
        );
    }
    out.push_str("</table>");
}

/// A schema's type in a few words, linking to named types.
fn type_of(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return format!("<a href=\"#type-{0}\">{0}</a>", esc(name));
    }
    if let Some(options) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        return options
            .iter()
            .map(type_of)
            .filter(|t| t != "null")
            .collect::<Vec<_>>()
            .join(" or ");
    }
    let kinds: Vec<String> = match &schema["type"] {
        Value::Array(kinds) => kinds.iter().map(text).filter(|k| k != "null").collect(),
        Value::String(kind) => vec![kind.clone()],
        _ => Vec::new(),
    };
    match kinds.first().map(String::as_str) {
        Some("array") => format!("array of {}", type_of(&schema["items"])),
        Some(kind) => esc(kind),
        None => String::new(),
    }
}

/// Text with its `code spans` set as code.
fn code_spans(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", esc(part))
            } else {
                esc(part)
            }
        })
        .collect()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn anchor(method: &str, path: &str) -> String {
    let slug: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{method}{slug}")
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
