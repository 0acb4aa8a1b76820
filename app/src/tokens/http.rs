//! The token forms: `POST /account/tokens` (my own), `POST /admin/tokens`
//! (service tokens, admins only), and `…/<id>/revoke` for each.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use tower_sessions::Session;

use super::server::{TokenForm, make, revoke};
use crate::error::AppError;
use crate::forms::answer;
use crate::storage::Db;
use crate::storage::accounts::SignedIn;
use crate::storage::tokens::Holder;

const MINE: &str = "/account#tokens";
const SERVICE: &str = "/admin/tokens#tokens";

fn typed(form: &TokenForm) -> Vec<(String, String)> {
    vec![
        ("name".to_string(), form.name.clone()),
        ("scopes".to_string(), form.scopes.join(" ")),
        ("days".to_string(), form.days.clone()),
    ]
}

pub async fn create_mine(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let form = TokenForm::from_pairs(pairs);
    let person = me.actor.person;
    let result = make(&db, person, Holder::Person(person), &form).await;
    answer(&session, MINE, super::FORM, result, typed(&form)).await
}

pub async fn revoke_mine(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let person = me.actor.person;
    let result = revoke(&db, person, Holder::Person(person), id).await;
    answer(&session, MINE, super::FORM, result, Vec::new()).await
}

pub async fn create_service(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let form = TokenForm::from_pairs(pairs);
    let result = if me.actor.admin {
        make(&db, me.actor.person, Holder::Service, &form).await
    } else {
        Err(AppError::Forbidden)
    };
    answer(&session, SERVICE, super::FORM, result, typed(&form)).await
}

pub async fn revoke_service(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let result = if me.actor.admin {
        revoke(&db, me.actor.person, Holder::Service, id).await
    } else {
        Err(AppError::Forbidden)
    };
    answer(&session, SERVICE, super::FORM, result, Vec::new()).await
}
