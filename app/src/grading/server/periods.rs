//! The lifecycle of periods on the server: the list, new periods (by hand, or the
//! next quarter in one step, or ahead of time by the planner), moving on,
//! closing with a look at what is ungraded, and reopening a closed period.

use std::collections::HashSet;
use std::time::Duration;

use cairn::access::Actor;
use cairn::draft::FieldProblem;
use cairn::ids::PeriodId;
use cairn::period::{Period, PeriodKind, PeriodState, Span};
use cairn::rules::Rule;
use cairn::values::{Name, ValueError};
use chrono::NaiveDate;

use super::super::model::{CloseCheck, PeriodLine, PeriodList, Ungraded};
use crate::auth::server::{admin, signed_in};
use crate::error::AppError;
use crate::forms::Done;
use crate::storage::objectives::grading;
use crate::storage::periods::NewPeriod;
use crate::storage::{Db, StorageError, periods, planning};

/// The form that makes a period by hand.
pub const NEW_FORM: &str = "new-period";
/// The list's own buttons: the next period, reopening.
pub const LIST_FORM: &str = "periods";
/// The confirmation that closes a period.
pub const CLOSE_FORM: &str = "close-period";

/// A new period as its form was filled in.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PeriodForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
}

impl PeriodForm {
    pub fn typed(&self) -> Vec<(String, String)> {
        [
            ("kind", &self.kind),
            ("name", &self.name),
            ("starts", &self.starts),
            ("ends", &self.ends),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
    }
}

pub async fn list_periods(db: &Db, plan_ahead_days: Option<u32>) -> Result<PeriodList, AppError> {
    let me = signed_in()?.actor;
    let outcome = crate::forms::take_outcome(|form| form == NEW_FORM || form == LIST_FORM).await;
    let all = periods::periods(db).await?;
    let existing: HashSet<(PeriodKind, NaiveDate)> = all
        .iter()
        .filter_map(|p| p.span.map(|s| (p.kind, s.start())))
        .collect();
    let periods = all
        .into_iter()
        .map(|p| {
            let next_period = planning::following(&p)
                .ok()
                .filter(|(kind, span)| !existing.contains(&(*kind, span.start())))
                .map(|(kind, span)| Period::calendar_name(kind, span));
            line(p, next_period)
        })
        .collect();
    Ok(PeriodList {
        periods,
        admin: me.admin,
        outcome,
        plan_ahead_days,
    })
}

fn line(p: Period, next_period: Option<String>) -> PeriodLine {
    PeriodLine {
        id: p.id.0,
        name: p.name,
        kind: p.kind,
        state: p.state,
        version: p.version,
        next: p.state.next(),
        span: p.span.map(|s| (s.start().to_string(), s.end().to_string())),
        next_period,
    }
}

/// Moves a period on one step (admins only). Closing goes through `close`, which
/// the page reaches after showing what is still ungraded.
pub async fn advance(db: &Db, id: i64, version: i64) -> Result<String, AppError> {
    let me = admin()?;
    let period = periods::period(db, PeriodId(id)).await?;
    let next = period.state.next().ok_or(AppError::Rule(Rule::Period(
        cairn::period::PeriodError::Transition {
            from: period.state,
            to: period.state,
        },
    )))?;
    let postman = crate::state::postman();
    let moved =
        periods::set_state_with(db, &postman, Some(me.person), PeriodId(id), version, next).await?;
    Ok(moved.state.as_str().to_string())
}

/// What closing the period would leave ungraded.
pub async fn close_check(db: &Db, id: i64) -> Result<CloseCheck, AppError> {
    admin()?;
    let outcome = crate::forms::take_outcome(|form| form == CLOSE_FORM).await;
    let period = periods::period(db, PeriodId(id)).await?;
    let (open, objectives) = grading::ungraded(db, period.id).await?;
    Ok(CloseCheck {
        period: line(period, None),
        ungraded: open
            .into_iter()
            .map(|(objective, title, owner, unit)| Ungraded {
                objective,
                title,
                owner,
                unit,
            })
            .collect(),
        objectives,
        outcome,
    })
}

/// Moves `id` from `from` to `to` as `actor`, who must be an admin (audited).
pub async fn step(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    from: PeriodState,
    to: PeriodState,
) -> Result<Done, AppError> {
    if !actor.admin {
        return Err(AppError::Forbidden);
    }
    let period = periods::period(db, PeriodId(id)).await?;
    if period.state != from {
        return Err(AppError::Rule(Rule::Period(
            cairn::period::PeriodError::Transition {
                from: period.state,
                to,
            },
        )));
    }
    periods::set_state(db, Some(actor.person), PeriodId(id), version, to).await?;
    Ok(Done::Saved)
}

/// Makes a period from its form (admins only).
pub async fn create(db: &Db, actor: &Actor, form: &PeriodForm) -> Result<Done, AppError> {
    if !actor.admin {
        return Err(AppError::Forbidden);
    }
    let kind = PeriodKind::parse(form.kind.trim()).ok_or(AppError::Invalid {
        field: "kind".into(),
        problem: FieldProblem::UnknownChoice,
    })?;
    let span = if kind == PeriodKind::Backlog {
        None
    } else {
        let starts = date("starts", &form.starts)?;
        let ends = date("ends", &form.ends)?;
        Some(Span::new(starts, ends).map_err(|e| AppError::Rule(Rule::Period(e)))?)
    };
    let name = match (form.name.trim(), span) {
        ("", Some(span)) if matches!(kind, PeriodKind::Year | PeriodKind::Quarter) => {
            Period::calendar_name(kind, span)
        }
        ("", None) => "Backlog".to_string(),
        (typed, _) => typed.to_string(),
    };
    let name = Name::parse(&name).map_err(|e| AppError::invalid("name", &e))?;
    let years: Vec<Period> = periods::periods(db)
        .await?
        .into_iter()
        .filter(|p| p.kind == PeriodKind::Year)
        .collect();
    let enclosing = span.and_then(|inner| {
        years
            .iter()
            .find(|y| y.span.is_some_and(|outer| outer.encloses(inner)))
            .map(|y| y.id)
    });
    let parent = match kind {
        PeriodKind::Quarter => Some(enclosing.ok_or(AppError::Rule(Rule::OutsideParentPeriod))?),
        PeriodKind::Custom => enclosing,
        PeriodKind::Year | PeriodKind::Backlog => None,
    };
    periods::create_period(
        db,
        Some(actor.person),
        NewPeriod {
            kind,
            name,
            span,
            parent,
            state: PeriodState::Planning,
        },
    )
    .await?;
    Ok(Done::Saved)
}

fn date(field: &str, text: &str) -> Result<NaiveDate, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, &ValueError::Empty));
    }
    text.parse::<NaiveDate>()
        .map_err(|_| AppError::invalid(field, &ValueError::NotADate))
}

/// Makes the calendar period after `id` (admins only).
pub async fn next(db: &Db, actor: &Actor, id: i64) -> Result<Done, AppError> {
    if !actor.admin {
        return Err(AppError::Forbidden);
    }
    planning::create_next(db, Some(actor.person), PeriodId(id)).await?;
    Ok(Done::Saved)
}

/// Makes the next quarter by itself, `days` before the current one ends.
pub struct Planner {
    pub db: Db,
    pub days: u32,
    pub every: Duration,
}

impl Planner {
    /// Looks every `every` until `stop` resolves.
    pub async fn run(self, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            match self.tick().await {
                Ok(Some(made)) => tracing::info!(period = %made.name, "next period planned"),
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "the next period could not be planned"),
            }
            tokio::select! {
                _ = &mut stop => return,
                _ = tokio::time::sleep(self.every) => {}
            }
        }
    }

    /// One look, on the server's clock.
    pub async fn tick(&self) -> Result<Option<Period>, StorageError> {
        let today = self.db.clock().today();
        planning::plan_ahead(&self.db, today, self.days).await
    }
}
