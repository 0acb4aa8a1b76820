//! The organisation, read: the calling token, units, people and periods.

use axum::Json;
use axum::extract::State;
use cairn::api::Scope;
use cairn::ids::{PeriodId, PersonId, UnitId};
use cairn::model::Role;
use serde::Deserialize;
use utoipa::IntoParams;

use super::caller::Caller;
use super::paging::{Id, PageQuery, Params, next};
use super::problem::{Answer, Problem};
use super::wire::{Me, Membership, Page, Period, Person, TokenInfo, Unit};
use crate::storage::reads::listing;
use crate::storage::{Db, periods};

fn person(person: cairn::model::Person, units: Vec<(UnitId, Role)>) -> Person {
    Person {
        id: person.id.0,
        name: person.name.as_str().to_string(),
        email: person.email.as_str().to_string(),
        active: person.active,
        units: units
            .into_iter()
            .map(|(unit, role)| Membership {
                unit_id: unit.0,
                role: role.as_str().to_string(),
            })
            .collect(),
    }
}

/// The calling token: its name, scopes and expiry, and whom it acts as.
#[utoipa::path(get, path = "/api/v1/me", tag = "organisation",
    responses((status = 200, body = Me), (status = 401, body = Problem)),
    security(("token" = [])))]
pub async fn me(State(db): State<Db>, caller: Caller) -> Answer<Json<Me>> {
    let person = match caller.person {
        Some(id) => {
            let mut found = listing::people(&db, None, id.0 - 1, 1).await?;
            found.pop().map(|(p, units)| person(p, units))
        }
        None => None,
    };
    Ok(Json(Me {
        token: TokenInfo {
            name: caller.token.name.clone(),
            scopes: caller
                .token
                .scopes
                .all()
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
            expires_at: caller.token.expires_at,
            service: caller.person.is_none(),
        },
        person,
    }))
}

/// Units, by id.
#[utoipa::path(get, path = "/api/v1/units", tag = "organisation", params(PageQuery),
    responses((status = 200, body = Page<Unit>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("token" = ["read"])))]
pub async fn units(
    State(db): State<Db>,
    caller: Caller,
    Params(page): Params<PageQuery>,
) -> Answer<Json<Page<Unit>>> {
    caller.require(Scope::Read)?;
    let limit = page.limit()?;
    let found = listing::units(&db, page.after()?, limit).await?;
    let next = next(found.iter().map(|(u, _)| u.id.0), found.len(), limit);
    Ok(Json(Page {
        items: found
            .into_iter()
            .map(|(u, active)| unit(u, active))
            .collect(),
        next,
    }))
}

fn unit(u: cairn::model::OrgUnit, active: bool) -> Unit {
    Unit {
        id: u.id.0,
        name: u.name.as_str().to_string(),
        kind: u.kind.as_str().to_string(),
        parent_id: u.parent.map(|p| p.0),
        active,
    }
}

/// One unit.
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "The unit's id")),
    responses((status = 200, body = Unit), (status = 404, body = Problem)),
    security(("token" = ["read"])))]
pub async fn unit_by_id(
    State(db): State<Db>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Answer<Json<Unit>> {
    caller.require(Scope::Read)?;
    let mut found = listing::units(&db, id - 1, 1).await?;
    match found.pop() {
        Some((u, active)) if u.id == UnitId(id) => Ok(Json(unit(u, active))),
        _ => Err(Problem::not_found()),
    }
}

/// Which people to list.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Only the members of this unit.
    pub unit: Option<i64>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// People, by id, each with their units and roles.
#[utoipa::path(get, path = "/api/v1/people", tag = "organisation", params(PeopleQuery),
    responses((status = 200, body = Page<Person>), (status = 400, body = Problem), (status = 403, body = Problem)),
    security(("token" = ["read"])))]
pub async fn people(
    State(db): State<Db>,
    caller: Caller,
    Params(query): Params<PeopleQuery>,
) -> Answer<Json<Page<Person>>> {
    caller.require(Scope::Read)?;
    let page = PageQuery {
        cursor: query.cursor,
        limit: query.limit,
    };
    let limit = page.limit()?;
    let found = listing::people(&db, query.unit.map(UnitId), page.after()?, limit).await?;
    let next = next(found.iter().map(|(p, _)| p.id.0), found.len(), limit);
    Ok(Json(Page {
        items: found.into_iter().map(|(p, u)| person(p, u)).collect(),
        next,
    }))
}

/// One person, with their units and roles.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "The person's id")),
    responses((status = 200, body = Person), (status = 404, body = Problem)),
    security(("token" = ["read"])))]
pub async fn person_by_id(
    State(db): State<Db>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Answer<Json<Person>> {
    caller.require(Scope::Read)?;
    let mut found = listing::people(&db, None, id - 1, 1).await?;
    match found.pop() {
        Some((p, units)) if p.id == PersonId(id) => Ok(Json(person(p, units))),
        _ => Err(Problem::not_found()),
    }
}

/// Every period: years, their quarters, custom periods and the backlog.
#[utoipa::path(get, path = "/api/v1/periods", tag = "organisation",
    responses((status = 200, body = Page<Period>), (status = 403, body = Problem)),
    security(("token" = ["read"])))]
pub async fn periods_list(State(db): State<Db>, caller: Caller) -> Answer<Json<Page<Period>>> {
    caller.require(Scope::Read)?;
    let all = periods::periods(&db).await?;
    Ok(Json(Page {
        items: all.into_iter().map(Period::from).collect(),
        next: None,
    }))
}

/// One period.
#[utoipa::path(get, path = "/api/v1/periods/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "The period's id")),
    responses((status = 200, body = Period), (status = 404, body = Problem)),
    security(("token" = ["read"])))]
pub async fn period_by_id(
    State(db): State<Db>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Answer<Json<Period>> {
    caller.require(Scope::Read)?;
    Ok(Json(periods::period(&db, PeriodId(id)).await?.into()))
}
