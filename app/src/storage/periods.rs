//! Years, quarters, custom periods and the backlog, and their lifecycle.

use cairn::audit::{Action, Entity};
use cairn::ids::{PeriodId, PersonId};
use cairn::period::{Period, PeriodKind, PeriodState, Span};
use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::live::LiveChange;
use crate::storage::changes::{Change, claim, json, record};
use crate::storage::notices::{self, Letters, NoMail};
use crate::storage::{Db, StorageError};

const COLUMNS: &str = "id, kind, name, starts_on, ends_on, parent_id, state, version";

pub struct NewPeriod {
    pub kind: PeriodKind,
    pub name: cairn::values::Name,
    pub span: Option<Span>,
    pub parent: Option<PeriodId>,
    pub state: PeriodState,
}

/// Creates a period. A quarter's parent must be a year that encloses it; only the
/// backlog has no dates; periods of one kind under one parent do not overlap (and
/// there is one backlog).
pub async fn create_period(
    db: &Db,
    actor: Option<PersonId>,
    new: NewPeriod,
) -> Result<Period, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let period = create_in(&mut tx, at, actor, new).await?;
    tx.commit().await?;
    db.committed();
    Ok(period)
}

/// Creates a period inside a transaction, checked as `create_period` says.
pub(crate) async fn create_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    at: i64,
    actor: Option<PersonId>,
    new: NewPeriod,
) -> Result<Period, StorageError> {
    if (new.kind == PeriodKind::Backlog) != new.span.is_none() {
        return Err(cairn::rules::Rule::UndatedPeriod.into());
    }
    let name = new.name.as_str().to_string();
    if let Some(parent_id) = new.parent {
        let parent = period_in(tx, parent_id).await?;
        let nested =
            matches!((parent.span, new.span), (Some(outer), Some(inner)) if outer.encloses(inner));
        if !nested {
            return Err(cairn::rules::Rule::OutsideParentPeriod.into());
        }
    }
    let siblings = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM periods WHERE kind = $1 AND coalesce(parent_id, 0) = $2"
    ))
    .bind(new.kind.as_str())
    .bind(new.parent.map_or(0, |p| p.0))
    .fetch_all(&mut **tx)
    .await?;
    for row in &siblings {
        let sibling = from_row(row)?;
        let clash = match (sibling.span, new.span) {
            (Some(a), Some(b)) => a.overlaps(b),
            _ => true,
        };
        if clash {
            return Err(cairn::rules::Rule::Period(cairn::period::PeriodError::Overlap).into());
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO periods (kind, name, starts_on, ends_on, parent_id, state) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(new.kind.as_str())
    .bind(&name)
    .bind(new.span.map(|s| s.start().to_string()))
    .bind(new.span.map(|s| s.end().to_string()))
    .bind(new.parent.map(|p| p.0))
    .bind(new.state.as_str())
    .fetch_one(&mut **tx)
    .await?;
    let period = Period {
        id: PeriodId(id),
        kind: new.kind,
        name,
        span: new.span,
        parent: new.parent,
        state: new.state,
        version: 1,
    };
    let change = Change::created(
        actor,
        Action::PeriodCreate,
        Entity::Period,
        id,
        &period,
        None,
    )?;
    record(tx, at, change).await?;
    Ok(period)
}

/// Moves a period along its lifecycle, if nobody else did first; owners hear
/// of grading in their inbox only (see `set_state_with` for mail).
pub async fn set_state(
    db: &Db,
    actor: Option<PersonId>,
    id: PeriodId,
    expected_version: i64,
    to: PeriodState,
) -> Result<Period, StorageError> {
    set_state_with(db, &NoMail, actor, id, expected_version, to).await
}

/// Moves a period along its lifecycle, if nobody else did first. A period
/// entering grading tells its objectives' owners (a unit's leads), in their inbox
/// and, as `letters` writes it, by mail, in the same transaction.
pub async fn set_state_with(
    db: &Db,
    letters: &dyn Letters,
    actor: Option<PersonId>,
    id: PeriodId,
    expected_version: i64,
    to: PeriodState,
) -> Result<Period, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    // The version first: a second change made on the same version is a conflict,
    // whatever it asked for.
    claim(&mut tx, "periods", id.0, expected_version).await?;
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM periods WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StorageError::not_found("periods", id.0))?;
    let before = Period {
        version: expected_version,
        ..from_row(&row)?
    };
    before
        .state
        .transition(to)
        .map_err(cairn::rules::Rule::from)?;
    sqlx::query("UPDATE periods SET state = $1 WHERE id = $2")
        .bind(to.as_str())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    let after = Period {
        state: to,
        version: before.version + 1,
        ..before.clone()
    };
    record(
        &mut tx,
        at,
        Change {
            actor,
            action: Action::PeriodState,
            entity: Entity::Period,
            entity_id: id.0,
            before: Some(json(&before)?),
            after: Some(json(&after)?),
            live: Some(LiveChange::Period {
                period: id.0,
                state: to,
            }),
        },
    )
    .await?;
    if to == PeriodState::Grading {
        notices::tell_grading(&mut tx, at, letters, &after).await?;
    }
    tx.commit().await?;
    db.committed();
    Ok(after)
}

/// Every period: years, then their quarters, then custom periods, then the backlog.
pub async fn periods(db: &Db) -> Result<Vec<Period>, StorageError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM periods ORDER BY starts_on IS NULL, starts_on, ends_on DESC, id"
    ))
    .fetch_all(db.reader())
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn period(db: &Db, id: PeriodId) -> Result<Period, StorageError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM periods WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StorageError::not_found("periods", id.0))?;
    from_row(&row)
}

/// The shortest period containing `today` (the current quarter rather than the year).
pub async fn current(db: &Db, today: NaiveDate) -> Result<Option<Period>, StorageError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM periods WHERE starts_on <= $1 AND ends_on >= $1 \
         ORDER BY ends_on, starts_on DESC LIMIT 1"
    ))
    .bind(today.to_string())
    .fetch_optional(db.reader())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// A period, read inside a transaction.
pub(crate) async fn period_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: PeriodId,
) -> Result<Period, StorageError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM periods WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StorageError::not_found("periods", id.0))?;
    from_row(&row)
}

pub(crate) fn from_row(row: &AnyRow) -> Result<Period, StorageError> {
    let kind: String = row.try_get("kind")?;
    let state: String = row.try_get("state")?;
    let date = |column: &str| -> Result<Option<NaiveDate>, StorageError> {
        row.try_get::<Option<String>, _>(column)?
            .map(|text| text.parse::<NaiveDate>().map_err(StorageError::corrupt))
            .transpose()
    };
    let span = match (date("starts_on")?, date("ends_on")?) {
        (Some(start), Some(end)) => Some(Span::new(start, end).map_err(StorageError::corrupt)?),
        _ => None,
    };
    Ok(Period {
        id: PeriodId(row.try_get("id")?),
        kind: PeriodKind::parse(&kind)
            .ok_or_else(|| StorageError::corrupt(format!("period kind {kind}")))?,
        name: row.try_get("name")?,
        span,
        parent: row.try_get::<Option<i64>, _>("parent_id")?.map(PeriodId),
        state: PeriodState::parse(&state)
            .ok_or_else(|| StorageError::corrupt(format!("period state {state}")))?,
        version: row.try_get("version")?,
    })
}
