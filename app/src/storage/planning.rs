//! Planning ahead: the calendar quarter or year after one that exists, made in
//! one step (the year a new quarter falls in is made with it when missing), by an
//! admin or, ahead of time, by the scheduler.

use cairn::ids::{PeriodId, PersonId};
use cairn::period::{Period, PeriodError, PeriodKind, PeriodState, Span};
use cairn::rules::Rule;
use chrono::NaiveDate;

use crate::storage::periods::{NewPeriod, create_in, period_in};
use crate::storage::{Db, StorageError};

/// The quarter or year that follows `from` in the calendar, and its name.
pub fn following(from: &Period) -> Result<(PeriodKind, Span), StorageError> {
    let next = from
        .span
        .and_then(|span| span.following(from.kind))
        .ok_or(Rule::Period(PeriodError::NoNext))?;
    Ok((from.kind, next))
}

/// Makes the period after `from` (see `following`), in planning. Refused when it
/// exists already.
pub async fn create_next(
    db: &Db,
    actor: Option<PersonId>,
    from: PeriodId,
) -> Result<Period, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    let from = period_in(&mut tx, from).await?;
    let (kind, span) = following(&from)?;
    let parent = match kind {
        PeriodKind::Quarter => {
            let year = Span::year(chrono::Datelike::year(&span.start())).map_err(Rule::Period)?;
            Some(match calendar(&mut tx, PeriodKind::Year, year).await? {
                Some(existing) => existing.id,
                None => {
                    create_in(&mut tx, at, actor, new(PeriodKind::Year, year)?)
                        .await?
                        .id
                }
            })
        }
        _ => None,
    };
    let made = create_in(
        &mut tx,
        at,
        actor,
        NewPeriod {
            parent,
            ..new(kind, span)?
        },
    )
    .await?;
    tx.commit().await?;
    db.committed();
    Ok(made)
}

/// Whether the period after `from` exists already (the page then offers no button).
pub async fn next_exists(db: &Db, from: &Period) -> Result<bool, StorageError> {
    let Ok((kind, span)) = following(from) else {
        return Ok(true);
    };
    let mut tx = db.reader().begin().await?;
    let found = calendar(&mut tx, kind, span).await?.is_some();
    tx.rollback().await?;
    Ok(found)
}

/// When the quarter running on `today` ends within `days` days and the next one
/// is not there yet, makes it. Several nodes may try at once: one makes it, the
/// others find it (the calendar index refuses a second). Returns what it made.
pub async fn plan_ahead(
    db: &Db,
    today: NaiveDate,
    days: u32,
) -> Result<Option<Period>, StorageError> {
    let quarters: Vec<Period> = crate::storage::periods::periods(db)
        .await?
        .into_iter()
        .filter(|p| p.kind == PeriodKind::Quarter)
        .collect();
    let Some(current) = quarters
        .iter()
        .find(|p| p.span.is_some_and(|s| s.contains(today)))
    else {
        return Ok(None);
    };
    let ends = current.span.map(|s| s.end()).unwrap_or(today);
    if (ends - today).num_days() > i64::from(days) || next_exists(db, current).await? {
        return Ok(None);
    }
    match create_next(db, None, current.id).await {
        Ok(made) => Ok(Some(made)),
        // Another node made it between the look and the write.
        Err(_) if next_exists(db, current).await? => Ok(None),
        Err(error) => Err(error),
    }
}

fn new(kind: PeriodKind, span: Span) -> Result<NewPeriod, StorageError> {
    let name = cairn::values::Name::parse(&Period::calendar_name(kind, span))
        .map_err(StorageError::corrupt)?;
    Ok(NewPeriod {
        kind,
        name,
        span: Some(span),
        parent: None,
        state: PeriodState::Planning,
    })
}

async fn calendar(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    kind: PeriodKind,
    span: Span,
) -> Result<Option<Period>, StorageError> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM periods WHERE kind = $1 AND starts_on = $2")
            .bind(kind.as_str())
            .bind(span.start().to_string())
            .fetch_optional(&mut **tx)
            .await?;
    match id {
        Some(id) => Ok(Some(period_in(tx, PeriodId(id)).await?)),
        None => Ok(None),
    }
}
