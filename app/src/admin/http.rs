//! The admin forms: plain posts, answered (see `forms`) with a redirect back to
//! the page, which shows what happened beside the form and, after a refusal, what
//! was typed. Admins only. Every change to an existing person or unit names the
//! version it was made on, so of two admins only the first change counts.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cairn::draft::FieldProblem;
use cairn::ids::{PersonId, UnitId};
use cairn::model::{Membership, Role, UnitKind};
use cairn::rules::Rule;
use cairn::values::{Email, Name};
use serde::Deserialize;
use tower_sessions::Session;

use crate::error::AppError;
use crate::forms::{Done, answer, refuse_control_characters};
use crate::notices::{LinkMail, Postman};
use crate::storage::accounts::{self, SignedIn};
use crate::storage::org::{NewPerson, NewUnit, create_unit, set_membership};
use crate::storage::{Db, org::admin as store};

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
    /// The language a new person's mail is written in.
    language: String,
    /// The version of the person or unit the form was made on.
    version: String,
    /// The people page's search, to come back to.
    q: String,
}

impl AdminForm {
    /// What the form held, to fill it in again after a refusal.
    fn typed(&self) -> Vec<(String, String)> {
        [
            ("name", &self.name),
            ("email", &self.email),
            ("kind", &self.kind),
            ("unit", &self.unit),
            ("parent", &self.parent),
            ("role", &self.role),
            ("language", &self.language),
        ]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| (name.to_string(), value.clone()))
        .collect()
    }

    fn version(&self) -> Result<i64, AppError> {
        self.version
            .trim()
            .parse()
            .map_err(|_| AppError::Malformed("version: a whole number".into()))
    }

    fn name(&self) -> Result<Name, AppError> {
        Name::parse(&self.name).map_err(|e| AppError::invalid("name", &e))
    }

    fn email(&self) -> Result<Email, AppError> {
        Email::parse(&self.email).map_err(|e| AppError::invalid("email", &e))
    }

    fn role(&self) -> Result<Role, AppError> {
        Role::parse(&self.role).ok_or_else(|| unknown_choice("role"))
    }

    fn unit(&self) -> Option<UnitId> {
        self.unit.trim().parse::<i64>().ok().map(UnitId)
    }

    fn parent(&self) -> Option<UnitId> {
        self.parent.trim().parse::<i64>().ok().map(UnitId)
    }

    /// The people page, with the search it was on.
    fn people_page(&self, anchor: &str) -> String {
        let query = self.q.trim();
        if query.is_empty() {
            format!("/admin/people#{anchor}")
        } else {
            let query =
                percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC);
            format!("/admin/people?q={query}#{anchor}")
        }
    }
}

fn unknown_choice(field: &str) -> AppError {
    AppError::Invalid {
        field: field.to_string(),
        problem: FieldProblem::UnknownChoice,
    }
}

/// The admin; None for everyone else (who get 403).
pub(crate) fn admin_of(signed_in: Option<axum::Extension<SignedIn>>) -> Option<PersonId> {
    match signed_in {
        Some(axum::Extension(me)) if me.actor.admin => Some(me.actor.person),
        _ => None,
    }
}

/// What no admin form sends: someone who is not an admin, or a return address
/// with control characters in it.
enum Door {
    NotAdmin,
    ControlCharacters,
}

impl IntoResponse for Door {
    fn into_response(self) -> Response {
        match self {
            Door::NotAdmin => StatusCode::FORBIDDEN.into_response(),
            Door::ControlCharacters => refuse_control_characters(),
        }
    }
}

/// The admin sending a form, unless it is refused at the door.
fn refused_at_the_door(
    signed_in: Option<axum::Extension<SignedIn>>,
    form: &AdminForm,
) -> Result<PersonId, Door> {
    let me = admin_of(signed_in).ok_or(Door::NotAdmin)?;
    if form.q.chars().any(char::is_control) {
        return Err(Door::ControlCharacters);
    }
    Ok(me)
}

/// `POST /admin/people`: a new person with an account (no password yet) and,
/// optionally, a unit, all at once; the page then shows a one-time sign-in link.
pub async fn create_person_form(
    State(db): State<Db>,
    State(postman): State<Postman>,
    session: Session,
    signed_in: Option<axum::Extension<SignedIn>>,
    Form(form): Form<AdminForm>,
) -> Response {
    let me = match refused_at_the_door(signed_in, &form) {
        Ok(me) => me,
        Err(door) => return door.into_response(),
    };
    let result = add_person(&db, &postman, me, &form).await;
    let back = form.people_page("add-person");
    answer(&session, &back, "add-person", result, form.typed()).await
}

async fn add_person(
    db: &Db,
    postman: &Postman,
    me: PersonId,
    form: &AdminForm,
) -> Result<Done, AppError> {
    let name = form.name()?;
    let email = form.email()?;
    let language = match form.language.trim() {
        "" => None,
        code @ ("en" | "nl") => Some(code),
        _ => return Err(unknown_choice("language")),
    };
    let unit = match form.unit() {
        Some(unit) => Some((unit, form.role()?)),
        None => None,
    };
    let new = NewPerson {
        name,
        email: email.clone(),
    };
    let person = store::add_person(db, Some(me), new, unit).await?;
    if let Some(code) = language {
        crate::storage::notices::set_language(db, person, code).await?;
    }
    new_link(
        db,
        postman,
        me,
        person,
        LinkMail::Invitation,
        email.as_str(),
    )
    .await
}

/// A new one-time sign-in link for `person`, also mailed to them when mail is on.
async fn new_link(
    db: &Db,
    postman: &Postman,
    me: PersonId,
    person: PersonId,
    which: LinkMail,
    who: &str,
) -> Result<Done, AppError> {
    let (token, mailed) =
        crate::auth::forgot::mail_sign_in_link(db, postman, Some(me), person, which).await?;
    Ok(Done::NewLink {
        who: who.to_string(),
        token,
        mailed,
    })
}

/// `POST /admin/people/<id>`: edit, deactivate or reactivate, admin on or off,
/// a new sign-in link, join or leave a unit.
pub async fn person_form(
    State(db): State<Db>,
    State(postman): State<Postman>,
    session: Session,
    Path(id): Path<i64>,
    signed_in: Option<axum::Extension<SignedIn>>,
    Form(form): Form<AdminForm>,
) -> Response {
    let me = match refused_at_the_door(signed_in, &form) {
        Ok(me) => me,
        Err(door) => return door.into_response(),
    };
    let anchor = format!("person-{id}");
    let result = change_person(&db, &postman, me, PersonId(id), &form).await;
    let back = form.people_page(&anchor);
    answer(&session, &back, &anchor, result, form.typed()).await
}

async fn change_person(
    db: &Db,
    postman: &Postman,
    me: PersonId,
    person: PersonId,
    form: &AdminForm,
) -> Result<Done, AppError> {
    let version = form.version()?;
    let yourself = person == me;
    match form.action.as_str() {
        "edit" => {
            let (name, email) = (form.name()?, form.email()?);
            store::update_person(db, Some(me), person, version, &name, &email).await?;
        }
        "deactivate" | "admin_off" if yourself => return Err(AppError::Rule(Rule::NotYourself)),
        "deactivate" => store::set_person_active(db, Some(me), person, version, false).await?,
        "reactivate" => store::set_person_active(db, Some(me), person, version, true).await?,
        "admin_on" => accounts::grant_account(db, Some(me), person, true, Some(version)).await?,
        "admin_off" => accounts::grant_account(db, Some(me), person, false, Some(version)).await?,
        "link" => {
            // People added before accounts existed get one; admin rights stay as they are.
            let admin = accounts::is_admin(db, person).await?;
            accounts::grant_account(db, Some(me), person, admin, Some(version)).await?;
            let who = crate::storage::org::person(db, person)
                .await?
                .email
                .as_str()
                .to_string();
            return new_link(db, postman, me, person, LinkMail::NewLink, &who).await;
        }
        "add_unit" => {
            let unit = form.unit().ok_or_else(|| unknown_choice("unit"))?;
            let membership = Membership {
                unit,
                person,
                role: form.role()?,
            };
            set_membership(db, Some(me), membership, Some(version)).await?;
        }
        "remove_unit" => {
            let unit = form.unit().ok_or_else(|| unknown_choice("unit"))?;
            store::remove_membership(db, Some(me), unit, person, Some(version)).await?;
        }
        _ => return Err(unknown_choice("action")),
    }
    Ok(Done::Saved)
}

/// `POST /admin/units`: a new unit under a parent.
pub async fn create_unit_form(
    State(db): State<Db>,
    session: Session,
    signed_in: Option<axum::Extension<SignedIn>>,
    Form(form): Form<AdminForm>,
) -> Response {
    let me = match refused_at_the_door(signed_in, &form) {
        Ok(me) => me,
        Err(door) => return door.into_response(),
    };
    let result = add_unit(&db, me, &form).await;
    let back = "/admin/units#add-unit";
    answer(&session, back, "add-unit", result, form.typed()).await
}

async fn add_unit(db: &Db, me: PersonId, form: &AdminForm) -> Result<Done, AppError> {
    let name = form.name()?;
    let kind = UnitKind::parse(&form.kind).ok_or_else(|| unknown_choice("kind"))?;
    let parent = form.parent().ok_or(AppError::Rule(Rule::ParentNeeded))?;
    let new = NewUnit {
        parent: Some(parent),
        name,
        kind,
    };
    create_unit(db, Some(me), new).await?;
    Ok(Done::Saved)
}

/// `POST /admin/units/<id>`: rename and move (a team to another department),
/// deactivate or reactivate.
pub async fn unit_form(
    State(db): State<Db>,
    session: Session,
    Path(id): Path<i64>,
    signed_in: Option<axum::Extension<SignedIn>>,
    Form(form): Form<AdminForm>,
) -> Response {
    let me = match refused_at_the_door(signed_in, &form) {
        Ok(me) => me,
        Err(door) => return door.into_response(),
    };
    let anchor = format!("unit-{id}");
    let result = change_unit(&db, me, UnitId(id), &form).await;
    let back = format!("/admin/units#{anchor}");
    answer(&session, &back, &anchor, result, form.typed()).await
}

async fn change_unit(
    db: &Db,
    me: PersonId,
    unit: UnitId,
    form: &AdminForm,
) -> Result<Done, AppError> {
    let version = form.version()?;
    match form.action.as_str() {
        "edit" => {
            let name = form.name()?;
            store::update_unit(db, Some(me), unit, version, &name, form.parent()).await?
        }
        "deactivate" => store::set_unit_active(db, Some(me), unit, version, false).await?,
        "reactivate" => store::set_unit_active(db, Some(me), unit, version, true).await?,
        _ => return Err(unknown_choice("action")),
    }
    Ok(Done::Saved)
}
