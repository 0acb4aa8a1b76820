//! The admin forms: plain posts answered with a redirect back to the page, with
//! what happened (or why not) in the address. Admins only.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cairn::ids::{PersonId, UnitId};
use cairn::model::{Membership, Role, UnitKind};
use cairn::values::{Email, Name};
use serde::Deserialize;

use tower_sessions::Session;

use crate::auth::return_to;
use crate::storage::accounts::{self, SignedIn};
use crate::storage::org::{NewPerson, NewUnit, create_person, create_unit, set_membership};
use crate::storage::{Db, StorageError, admin as store};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AdminForm {
    action: String,
    name: String,
    email: String,
    kind: String,
    unit: String,
    parent: String,
    role: String,
    back: String,
}

/// The admin; None for everyone else (who get 403).
fn admin_of(signed_in: Option<axum::Extension<SignedIn>>) -> Option<PersonId> {
    match signed_in {
        Some(axum::Extension(me)) if me.actor.admin => Some(me.actor.person),
        _ => None,
    }
}

/// The session key of a new sign-in link, shown once on the page the form
/// returns to: a token kept out of addresses, and so out of browser history.
pub const NEW_LINK: &str = "admin_new_link";

fn back(page: &str, form: &AdminForm, outcome: &str) -> Response {
    let query = if form.back.starts_with("q=") {
        format!("&{}", form.back)
    } else {
        String::new()
    };
    match return_to::local(Some(&format!("{page}?{outcome}{query}"))) {
        Ok(target) => Redirect::to(&target).into_response(),
        Err(_) => (
            StatusCode::BAD_REQUEST,
            "the return address holds control characters",
        )
            .into_response(),
    }
}

/// A way back that could forge a header: refused before anything is changed.
fn bad_return_address() -> Response {
    (
        StatusCode::BAD_REQUEST,
        "the return address holds control characters",
    )
        .into_response()
}

fn refused(page: &str, form: &AdminForm, error: StorageError) -> Response {
    let code = match &error {
        StorageError::Rule(code) if !code.contains(' ') => code.clone(),
        StorageError::Rule(_) => "rule".to_string(),
        StorageError::NotFound { .. } => "not_found".to_string(),
        other => {
            tracing::error!(error = %other, "admin change failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    back(page, form, &format!("error={code}"))
}

fn unit_of(text: &str) -> Option<UnitId> {
    text.trim().parse::<i64>().ok().map(UnitId)
}

/// `POST /admin/people`: a new person with an account (no password yet) and,
/// optionally, a unit; the page then shows a one-time sign-in link for them.
pub async fn create_person_form(
    State(db): State<Db>,
    session: Session,
    signed_in: Option<axum::Extension<SignedIn>>,
    Form(form): Form<AdminForm>,
) -> Response {
    let Some(me) = admin_of(signed_in) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let page = "/admin/people";
    if form.back.chars().any(char::is_control) {
        return bad_return_address();
    }
    let name = match Name::parse(&form.name) {
        Ok(name) => name,
        Err(e) => return back(page, &form, &format!("error=name:{}", e.code())),
    };
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(e) => return back(page, &form, &format!("error=email:{}", e.code())),
    };
    if let Ok(Some(_)) = accounts::person_by_email(&db, email.as_str()).await {
        return back(page, &form, "error=email_taken");
    }
    let role = Role::parse(&form.role).unwrap_or(Role::Member);
    let unit = unit_of(&form.unit);
    let person = match create_person(
        &db,
        Some(me),
        NewPerson {
            name,
            email: email.clone(),
        },
    )
    .await
    {
        Ok(person) => person.id,
        Err(error) => return refused(page, &form, error),
    };
    if let Err(error) = accounts::grant_account(&db, Some(me), person, false).await {
        return refused(page, &form, error);
    }
    if let Some(unit) = unit
        && let Err(error) = set_membership(&db, Some(me), Membership { unit, person, role }).await
    {
        return refused(page, &form, error);
    }
    link_for(&db, &session, me, person, page, &form, email.as_str()).await
}

async fn link_for(
    db: &Db,
    session: &Session,
    me: PersonId,
    person: PersonId,
    page: &str,
    form: &AdminForm,
    who: &str,
) -> Response {
    let token = match crate::auth::server::new_sign_in_link(db, Some(me), person).await {
        Ok(token) => token,
        Err(error) => return refused(page, form, error),
    };
    if let Err(error) = session.insert(NEW_LINK, (who.to_string(), token)).await {
        tracing::error!(%error, "cannot keep the new sign-in link for the page");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    back(page, form, "done=link")
}

/// `POST /admin/people/<id>`: edit, deactivate or reactivate, admin on or off,
/// a new sign-in link, join or leave a unit.
pub async fn person_form(
    State(db): State<Db>,
    session: Session,
    Path(id): Path<i64>,
    signed_in: Option<axum::Extension<SignedIn>>,
    Form(form): Form<AdminForm>,
) -> Response {
    let Some(me) = admin_of(signed_in) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let page = "/admin/people";
    if form.back.chars().any(char::is_control) {
        return bad_return_address();
    }
    let person = PersonId(id);
    let outcome = match form.action.as_str() {
        "edit" => {
            let name = match Name::parse(&form.name) {
                Ok(name) => name,
                Err(e) => return back(page, &form, &format!("error=name:{}", e.code())),
            };
            let email = match Email::parse(&form.email) {
                Ok(email) => email,
                Err(e) => return back(page, &form, &format!("error=email:{}", e.code())),
            };
            store::update_person(&db, Some(me), person, &name, &email).await
        }
        "deactivate" if person == me => return back(page, &form, "error=not_yourself"),
        "deactivate" => store::set_person_active(&db, Some(me), person, false).await,
        "reactivate" => store::set_person_active(&db, Some(me), person, true).await,
        "admin_on" => accounts::grant_account(&db, Some(me), person, true).await,
        "admin_off" if person == me => return back(page, &form, "error=not_yourself"),
        "admin_off" => accounts::grant_account(&db, Some(me), person, false).await,
        "link" => {
            // People added before accounts existed get one; admin rights stay as they are.
            let admin = match accounts::is_admin(&db, person).await {
                Ok(admin) => admin,
                Err(error) => return refused(page, &form, error),
            };
            if let Err(error) = accounts::grant_account(&db, Some(me), person, admin).await {
                return refused(page, &form, error);
            }
            let who = crate::storage::org::person(&db, person)
                .await
                .map(|p| p.email.as_str().to_string())
                .unwrap_or_default();
            return link_for(&db, &session, me, person, page, &form, &who).await;
        }
        "add_unit" => match (unit_of(&form.unit), Role::parse(&form.role)) {
            (Some(unit), Some(role)) => {
                set_membership(&db, Some(me), Membership { unit, person, role }).await
            }
            _ => return back(page, &form, "error=unknown_choice"),
        },
        "remove_unit" => match unit_of(&form.unit) {
            Some(unit) => store::remove_membership(&db, Some(me), unit, person).await,
            None => return back(page, &form, "error=unknown_choice"),
        },
        _ => return back(page, &form, "error=unknown_choice"),
    };
    match outcome {
        Ok(()) => back(page, &form, "done=saved"),
        Err(error) => refused(page, &form, error),
    }
}

/// `POST /admin/units`: a new unit under a parent.
pub async fn create_unit_form(
    State(db): State<Db>,
    signed_in: Option<axum::Extension<SignedIn>>,
    Form(form): Form<AdminForm>,
) -> Response {
    let Some(me) = admin_of(signed_in) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let page = "/admin/units";
    if form.back.chars().any(char::is_control) {
        return bad_return_address();
    }
    let name = match Name::parse(&form.name) {
        Ok(name) => name,
        Err(e) => return back(page, &form, &format!("error=name:{}", e.code())),
    };
    let Some(kind) = UnitKind::parse(&form.kind) else {
        return back(page, &form, "error=unknown_choice");
    };
    let Some(parent) = unit_of(&form.parent) else {
        return back(page, &form, "error=parent_needed");
    };
    match create_unit(
        &db,
        Some(me),
        NewUnit {
            parent: Some(parent),
            name,
            kind,
        },
    )
    .await
    {
        Ok(_) => back(page, &form, "done=saved"),
        Err(error) => refused(page, &form, error),
    }
}

/// `POST /admin/units/<id>`: rename and move (a team to another department),
/// deactivate or reactivate.
pub async fn unit_form(
    State(db): State<Db>,
    Path(id): Path<i64>,
    signed_in: Option<axum::Extension<SignedIn>>,
    Form(form): Form<AdminForm>,
) -> Response {
    let Some(me) = admin_of(signed_in) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let page = "/admin/units";
    if form.back.chars().any(char::is_control) {
        return bad_return_address();
    }
    let unit = UnitId(id);
    let outcome = match form.action.as_str() {
        "edit" => {
            let name = match Name::parse(&form.name) {
                Ok(name) => name,
                Err(e) => return back(page, &form, &format!("error=name:{}", e.code())),
            };
            store::update_unit(&db, Some(me), unit, &name, unit_of(&form.parent)).await
        }
        "deactivate" => store::set_unit_active(&db, Some(me), unit, false).await,
        "reactivate" => store::set_unit_active(&db, Some(me), unit, true).await,
        _ => return back(page, &form, "error=unknown_choice"),
    };
    match outcome {
        Ok(()) => back(page, &form, "done=saved"),
        Err(error) => refused(page, &form, error),
    }
}
