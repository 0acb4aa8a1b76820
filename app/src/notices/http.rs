//! The notices' forms: plain posts answered with a redirect back (see `forms`),
//! and the one-click unsubscribe that mail programs post to (RFC 8058).

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cairn::draft::FieldProblem;
use cairn::ids::{PersonId, UnitId};
use cairn::notify::{Cadence, Delivery, Grace, NoticeKind, Weekly};
use tower_sessions::Session;

use super::letters::Postman;
use crate::error::AppError;
use crate::forms::{Done, answer};
use crate::storage::accounts::SignedIn;
use crate::storage::notices::{self as store, Which, cadence};
use crate::storage::{Db, accounts};

use super::{SETTINGS_FORM_ID as SETTINGS_FORM, rhythm_form_id as rhythm_form};

type Fields = Form<HashMap<String, String>>;

/// A refusal as a plain answer with its status (4xx for the client's mistakes).
fn refused(error: AppError) -> Response {
    (error.status(), error.to_string()).into_response()
}

fn unknown_choice(field: &str) -> AppError {
    AppError::Invalid {
        field: field.to_string(),
        problem: FieldProblem::UnknownChoice,
    }
}

/// `POST /inbox/read`: `id=<notice>` marks one read, `id=all` all of them.
pub async fn read(State(db): State<Db>, me: SignedIn, Form(form): Fields) -> Response {
    let which = match form.get("id").map(|s| s.trim()) {
        Some("all") => Which::All,
        Some(id) => match id.parse::<i64>() {
            Ok(id) => Which::One(id),
            Err(_) => return (StatusCode::BAD_REQUEST, "id: a notice or all").into_response(),
        },
        None => return (StatusCode::BAD_REQUEST, "id: a notice or all").into_response(),
    };
    match store::mark_read(&db, me.actor.person, which).await {
        Ok(_) => Redirect::to("/inbox").into_response(),
        Err(error) => refused(AppError::from(error)),
    }
}

/// `POST /account/notices`: how each kind of notice reaches me, and the
/// language of my mail.
pub async fn settings(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Form(form): Fields,
) -> Response {
    let result = save_settings(&db, me.actor.person, &form).await;
    let typed = form.into_iter().collect();
    answer(&session, "/account#notices", SETTINGS_FORM, result, typed).await
}

async fn save_settings(
    db: &Db,
    me: PersonId,
    form: &HashMap<String, String>,
) -> Result<Done, AppError> {
    // Everything is read before anything is stored: one bad choice stores nothing.
    let mut chosen = Vec::new();
    for kind in NoticeKind::ALL {
        if let Some(text) = form.get(kind.as_str()) {
            let delivery = Delivery::parse(text).ok_or_else(|| unknown_choice(kind.as_str()))?;
            chosen.push((*kind, delivery));
        }
    }
    let language = match form.get("language").map(String::as_str) {
        Some(code @ ("en" | "nl")) => Some(code),
        Some(_) => return Err(unknown_choice("language")),
        None => None,
    };
    for (kind, delivery) in chosen {
        store::set_preference(db, Some(me), me, kind, delivery).await?;
    }
    if let Some(code) = language {
        store::set_language(db, me, code).await?;
    }
    Ok(Done::Saved)
}

/// `POST /objectives/<id>/follow`: `follow=1` follows it, `follow=0` stops.
pub async fn follow(
    State(db): State<Db>,
    Path(objective): Path<i64>,
    me: SignedIn,
    Form(form): Fields,
) -> Response {
    let on = match form.get("follow").map(String::as_str) {
        Some("1") => true,
        Some("0") => false,
        _ => return (StatusCode::BAD_REQUEST, "follow: 1 or 0").into_response(),
    };
    match store::set_follow(&db, me.actor.person, objective, on).await {
        Ok(()) => Redirect::to(&format!("/objectives/{objective}#follow")).into_response(),
        Err(error) => refused(AppError::from(error)),
    }
}

/// `POST /unsubscribe/<person>/<kind>/<signature>`: stops that kind of mail for
/// that person, without signing in; it still reaches their inbox. A mail
/// program's one-click post (`List-Unsubscribe=One-Click`) gets a plain answer,
/// the page's own button comes back to the page.
pub async fn unsubscribe(
    State(db): State<Db>,
    State(postman): State<Postman>,
    session: Session,
    Path((person, kind, signature)): Path<(i64, String, String)>,
    Form(form): Fields,
) -> Response {
    let link = match super::server::unsubscribe_link(&postman, person, &kind, &signature) {
        Ok(link) => link,
        Err(error) => return refused(error),
    };
    let result = stop_mail(&db, link).await;
    if form.get("List-Unsubscribe").map(String::as_str) == Some("One-Click") {
        return match result {
            Ok(_) => (StatusCode::OK, "unsubscribed").into_response(),
            Err(error) => refused(error),
        };
    }
    let back = format!("/unsubscribe/{person}/{kind}/{signature}");
    answer(&session, &back, &back, result, Vec::new()).await
}

async fn stop_mail(db: &Db, (person, kind): (PersonId, NoticeKind)) -> Result<Done, AppError> {
    let now = store::preferences(db, person)
        .await?
        .into_iter()
        .find(|(k, _)| *k == kind)
        .map_or(Delivery::DEFAULT, |(_, d)| d);
    if now == Delivery::Email {
        store::set_preference(db, Some(person), person, kind, Delivery::InApp).await?;
    }
    Ok(Done::Saved)
}

/// `POST /units/<id>/rhythm`: `action=save` gives the unit a rhythm of its own,
/// `action=inherit` makes it follow the units above again. Leads and admins.
pub async fn rhythm(
    State(db): State<Db>,
    session: Session,
    Path(unit): Path<i64>,
    me: SignedIn,
    Form(form): Fields,
) -> Response {
    let result = save_rhythm(&db, &me, UnitId(unit), &form).await;
    if matches!(result, Err(AppError::Forbidden)) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let id = rhythm_form(unit);
    let back = format!("/units/{unit}#{id}");
    let typed = form.into_iter().collect();
    answer(&session, &back, &id, result, typed).await
}

async fn save_rhythm(
    db: &Db,
    me: &SignedIn,
    unit: UnitId,
    form: &HashMap<String, String>,
) -> Result<Done, AppError> {
    let ownership = accounts::owner_ownership(db, cairn::model::Owner::Unit(unit)).await?;
    if !me.actor.may_edit(&ownership) {
        return Err(AppError::Forbidden);
    }
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let version = match field("version").trim() {
        "" => None,
        text => Some(
            text.parse::<i64>()
                .map_err(|_| AppError::Malformed("version: a whole number".into()))?,
        ),
    };
    let cadence = match field("action") {
        "inherit" => None,
        "save" => Some(read_cadence(&field)?),
        _ => return Err(unknown_choice("action")),
    };
    cadence::set(db, Some(me.actor.person), unit, cadence.as_ref(), version).await?;
    Ok(Done::Saved)
}

fn read_cadence<'a>(field: &impl Fn(&str) -> &'a str) -> Result<Cadence, AppError> {
    let day = |name: &str| -> Result<u8, AppError> {
        field(name)
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|d| *d <= 6)
            .ok_or_else(|| unknown_choice(name))
    };
    let time = |name: &str| -> Result<u16, AppError> {
        Weekly::parse_time(field(name)).map_err(|e| AppError::invalid(name, &e))
    };
    let time_zone = field("time_zone").trim().to_string();
    if super::schedule::slots::zone(&time_zone).is_none() {
        return Err(unknown_choice("time_zone"));
    }
    let grace = field("grace")
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::invalid("grace", &cairn::values::ValueError::NotFinite))
        .and_then(|g| Grace::parse(g).map_err(|e| AppError::invalid("grace", &e)))?;
    Ok(Cadence {
        enabled: field("enabled") == "1",
        time_zone,
        reminder: Weekly {
            day: day("reminder_day")?,
            minute: time("reminder_time")?,
        },
        digest: Weekly {
            day: day("digest_day")?,
            minute: time("digest_time")?,
        },
        grace,
    })
}
