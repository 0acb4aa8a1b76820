//! The importer's forms: the upload (multipart) and the one form that carries the
//! mapping and the choices, sent to look again, to import, or to start over.
//! Each answers with a redirect back to `/admin/sheets`.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cairn::sheet::Column;
use tower_sessions::Session;

use super::model::{FileProblem, SheetOutcome};
use super::read::read;
use super::server::{self, Draft};
use crate::admin::http::admin_of;
use crate::storage::Db;
use crate::storage::accounts::SignedIn;

const PAGE: &str = "/admin/sheets";

/// `POST /admin/sheets`: a CSV or Excel file (`file`) and the language its
/// numbers are written in (`language`), read into a draft, or refused with why.
pub async fn upload(
    session: Session,
    signed_in: Option<axum::Extension<SignedIn>>,
    mut multipart: Multipart,
) -> Response {
    if admin_of(signed_in).is_none() {
        return StatusCode::FORBIDDEN.into_response();
    }
    let mut language = String::from("en");
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                server::tell(&session, SheetOutcome::File(FileProblem::Empty)).await;
                return Redirect::to(PAGE).into_response();
            }
        };
        match field.name() {
            Some("language") => {
                if let Ok(text) = field.text().await
                    && matches!(text.as_str(), "en" | "nl")
                {
                    language = text;
                }
            }
            Some("file") => {
                let name = field
                    .file_name()
                    .map(|n| n.chars().filter(|c| !c.is_control()).take(200).collect())
                    .unwrap_or_default();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes.to_vec())),
                    Err(_) => {
                        let max_mb = super::read::MAX_BYTES / (1024 * 1024);
                        let problem = FileProblem::TooLarge { max_mb };
                        server::tell(&session, SheetOutcome::File(problem)).await;
                        return Redirect::to(PAGE).into_response();
                    }
                }
            }
            _ => {}
        }
    }
    let (name, bytes) = file.unwrap_or_default();
    let style = cairn::numbers::NumberStyle::of_language(&language);
    match read(&name, &bytes, style) {
        Ok(sheet) => {
            let draft = Draft::new(name, language, sheet);
            if server::keep(&session, &draft).await.is_err() {
                return crate::auth::gate::unavailable_answer(PAGE);
            }
        }
        Err(problem) => server::tell(&session, SheetOutcome::File(problem)).await,
    }
    Redirect::to(PAGE).into_response()
}

/// `POST /admin/sheets/draft`: the mapping (`column-N`, `language`), the names'
/// matches and the period and unit for rows that name none; `action` says what
/// to do next: `look` again, `import`, or `discard` the sheet.
pub async fn draft(
    State(db): State<Db>,
    session: Session,
    signed_in: Option<axum::Extension<SignedIn>>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let Some(me) = admin_of(signed_in) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let fields: HashMap<String, String> = fields.into_iter().collect();
    let action = fields.get("action").map(String::as_str).unwrap_or("look");
    if action == "discard" {
        server::forget(&session).await;
        return Redirect::to(PAGE).into_response();
    }
    let Some(mut draft) = server::load(&session).await else {
        return Redirect::to(PAGE).into_response();
    };
    for (at, column) in draft.mapping.iter_mut().enumerate() {
        if let Some(chosen) = fields.get(&format!("column-{at}")) {
            *column = Column::parse(chosen);
        }
    }
    if let Some(language @ ("en" | "nl")) = fields.get("language").map(String::as_str) {
        draft.language = language.to_string();
    }
    let id = |name: &str| fields.get(name).and_then(|v| v.trim().parse::<i64>().ok());
    draft.period = id("period");
    draft.unit = id("unit");
    // Picks for names no longer in the sheet are dropped with the fields.
    draft.picks = server::picks(&fields);
    if server::keep(&session, &draft).await.is_err() {
        return crate::auth::gate::unavailable_answer(PAGE);
    }
    if action == "import" {
        let outcome = server::import(&db, me, &draft).await;
        if matches!(outcome, SheetOutcome::Imported { .. }) {
            server::forget(&session).await;
        }
        server::tell(&session, outcome).await;
    }
    Redirect::to(PAGE).into_response()
}
