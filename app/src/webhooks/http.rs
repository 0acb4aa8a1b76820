//! The webhook forms: `POST /webhooks` subscribes; on `/webhooks/<id>`:
//! `test`, `enable`, `delete` and `deliveries/<d>/redeliver`.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use tower_sessions::Session;

use super::deliver::Settings;
use super::server::{WebhookForm, managed, subscribe};
use crate::error::AppError;
use crate::forms::{Done, answer};
use crate::storage::Db;
use crate::storage::accounts::SignedIn;
use crate::storage::webhooks as store;

pub async fn create(
    State(db): State<Db>,
    State(settings): State<Settings>,
    session: Session,
    me: SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let form = WebhookForm::from_pairs(pairs);
    let result = subscribe(&db, &me.actor, settings, &form).await;
    let back = match &result {
        Ok(id) => format!("/webhooks/{id}"),
        Err(_) => "/webhooks#new-webhook".to_string(),
    };
    let form_id = if result.is_ok() {
        super::PAGE_FORM
    } else {
        super::NEW_FORM
    };
    let typed = vec![
        ("url".to_string(), form.url.clone()),
        ("kinds".to_string(), form.kinds.join(" ")),
        ("unit".to_string(), form.unit.clone()),
    ];
    answer(&session, &back, form_id, result.map(|_| Done::Saved), typed).await
}

/// What a button on a webhook's page does.
async fn on_page(
    db: &Db,
    session: &Session,
    me: &SignedIn,
    id: i64,
    act: impl AsyncFnOnce(&Db) -> Result<(), crate::storage::StorageError>,
) -> Response {
    let result = match managed(db, &me.actor, id).await {
        Ok(_) => act(db).await.map(|()| Done::Saved).map_err(AppError::from),
        Err(error) => Err(error),
    };
    answer(
        session,
        &format!("/webhooks/{id}"),
        super::PAGE_FORM,
        result,
        Vec::new(),
    )
    .await
}

pub async fn test(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    on_page(&db, &session, &me, id, async |db| {
        store::test_event(db, id).await.map(drop)
    })
    .await
}

pub async fn enable(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let person = me.actor.person;
    on_page(&db, &session, &me, id, async |db| {
        store::enable(db, Some(person), id).await
    })
    .await
}

pub async fn redeliver(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Path((id, delivery)): Path<(i64, i64)>,
) -> Response {
    on_page(&db, &session, &me, id, async |db| {
        store::redeliver(db, id, delivery).await.map(drop)
    })
    .await
}

pub async fn delete(
    State(db): State<Db>,
    session: Session,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let result = match managed(&db, &me.actor, id).await {
        Ok(_) => store::delete(&db, Some(me.actor.person), id)
            .await
            .map(|()| Done::Saved)
            .map_err(AppError::from),
        Err(error) => Err(error),
    };
    answer(&session, "/webhooks", super::NEW_FORM, result, Vec::new()).await
}
