//! `cairn period create`: the years, quarters and custom periods an organisation
//! sets its OKRs for, made by the operator (a fresh installation has none).

use app::storage::periods::{self, NewPeriod};
use cairn::period::{PeriodError, PeriodKind, Span};
use thiserror::Error;

use crate::cli::{GlobalArgs, PeriodCreateArgs};
use crate::database;
use crate::error::StartupError;

/// Why a period was not created; nothing was stored.
#[derive(Debug, Error)]
pub enum PeriodRefusal {
    #[error("a dated period needs both --starts and --ends")]
    HalfDated,
    #[error("{0}")]
    Dates(#[from] PeriodError),
    #[error("there is no period named {0:?} to put it in")]
    NoSuchParent(String),
}

/// The span asked for: both days, or neither for the backlog (storage checks that
/// only the backlog goes without).
fn span(args: &PeriodCreateArgs) -> Result<Option<Span>, PeriodRefusal> {
    match (args.starts, args.ends) {
        (Some(starts), Some(ends)) => Ok(Some(Span::new(starts, ends)?)),
        (None, None) => Ok(None),
        _ => Err(PeriodRefusal::HalfDated),
    }
}

pub async fn run_create(global: &GlobalArgs, args: &PeriodCreateArgs) -> Result<(), StartupError> {
    let span = span(args)?;
    let db = database::open(global).await?;
    let outcome = create(&db, args, span).await;
    db.close().await;
    let created = outcome?;
    let dates = match created.span {
        Some(span) => format!(" from {} to {}", span.start(), span.end()),
        None => String::new(),
    };
    println!(
        "Created the {} {}{dates}, in {}.",
        created.kind.as_str(),
        created.name,
        created.state.as_str()
    );
    Ok(())
}

async fn create(
    db: &app::storage::Db,
    args: &PeriodCreateArgs,
    span: Option<Span>,
) -> Result<cairn::period::Period, StartupError> {
    let parent = match &args.within {
        None => None,
        Some(name) => {
            let all = periods::periods(db).await?;
            let found = all
                .iter()
                .find(|p| p.name == *name && p.kind != PeriodKind::Backlog);
            Some(
                found
                    .ok_or_else(|| PeriodRefusal::NoSuchParent(name.clone()))?
                    .id,
            )
        }
    };
    let new = NewPeriod {
        kind: args.kind,
        name: args.name.clone(),
        span,
        parent,
        state: args.state,
    };
    Ok(periods::create_period(db, None, new).await?)
}
