//! `cairn demo`: a believable organisation with Dutch and English names and goals,
//! two years of quarters and weekly check-ins. Deterministic for a given seed: the
//! same seed gives the same organisation, anchored on the day it is generated.

mod measures;
mod okrs;
mod plan;
mod rows;
mod vocab;
mod write;

use cairn::ids::UnitId;
use std::time::Instant;

use app::storage::{Db, StorageError, bulk};
use cairn::period::{PeriodState, Span};
use chrono::{Datelike, NaiveDate};
use indicatif::{ProgressBar, ProgressStyle};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub use plan::Size;

use okrs::{Generator, Ids, PeriodPlan};

/// Every demo person signs in with their email address and this password.
pub const DEMO_PASSWORD: &str = "cairn-demo";

/// What a run produced.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Summary {
    pub organisation: String,
    pub units: usize,
    pub people: usize,
    pub periods: usize,
    pub objectives: usize,
    pub key_results: usize,
    pub check_ins: usize,
}

/// Fills an empty database with a demo organisation.
pub async fn generate(
    db: &Db,
    size: Size,
    seed: u64,
    today: NaiveDate,
    show_progress: bool,
) -> Result<Summary, StorageError> {
    if !bulk::is_empty(db).await? {
        return Err(cairn::rules::Rule::NotEmpty.into());
    }
    let started = Instant::now();
    let shape = plan::Shape::of(size);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let org = plan::organisation(shape, &mut rng);
    write::organisation(db, &org).await?;
    // Check-in reminders on Monday mornings, a digest before them.
    let rhythm = cairn::notify::Cadence::standard();
    app::storage::notices::cadence::set(db, None, UnitId(org.id), Some(&rhythm), None).await?;

    let periods = calendar(today);
    write::periods(db, &periods).await?;

    let bar = if show_progress {
        ProgressBar::new(periods.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg:<28} [{bar:30}] {pos}/{len} periods, {elapsed}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let mut summary = Summary {
        organisation: org.name.clone(),
        units: 1 + org.departments.len() + org.teams.len(),
        people: org.people.len(),
        periods: periods.len() + 1,
        ..Summary::default()
    };
    let mut generator = Generator {
        org: &org,
        shape,
        today,
        ids: Ids::default(),
        rng,
        templates: Vec::new(),
    };
    let mut year_objectives = Vec::new();
    for period in &periods {
        bar.set_message(format!(
            "{} {}",
            if period.is_year { "year" } else { "quarter" },
            period_name(period)
        ));
        let above: Vec<_> = year_objectives
            .iter()
            .filter(|(year, _): &&(Span, Vec<_>)| year.encloses(period.span))
            .flat_map(|(_, objectives)| objectives.clone())
            .collect();
        let (okrs, org_level) = generator.period(period, &above);
        if period.is_year {
            year_objectives.push((period.span, org_level));
        }
        summary.objectives += okrs.objectives.len();
        summary.key_results += okrs.key_results.len();
        summary.check_ins += okrs.check_ins.len();
        write::okrs(db, &okrs).await?;
        bar.inc(1);
    }
    write::backlog(db, &org, periods.len() as i64 + 1, &mut generator).await?;
    bulk::finish(db).await?;
    write::finish(db, &org.name, &summary).await?;
    let password = cairn::access::Password::parse(DEMO_PASSWORD).map_err(StorageError::corrupt)?;
    let hash = app::auth::server::hash_password(&password)
        .await
        .map_err(StorageError::corrupt)?;
    bulk::grant_accounts(db, &hash).await?;
    bar.finish_and_clear();
    tracing::info!(
        organisation = %summary.organisation,
        people = summary.people,
        objectives = summary.objectives,
        key_results = summary.key_results,
        check_ins = summary.check_ins,
        seconds = started.elapsed().as_secs_f64(),
        "demo organisation generated"
    );
    Ok(summary)
}

/// Last year and this year, each followed by its quarters. Periods that ended are
/// closed, the current ones active, the ones to come in planning.
fn calendar(today: NaiveDate) -> Vec<PeriodPlan> {
    let state = |span: Span| {
        if span.end() < today {
            PeriodState::Closed
        } else if span.start() <= today {
            PeriodState::Active
        } else {
            PeriodState::Planning
        }
    };
    let mut out = Vec::new();
    let mut id = 1;
    for year in [today.year() - 1, today.year()] {
        let span = Span::year(year).expect("a calendar year");
        out.push(PeriodPlan {
            id,
            span,
            state: state(span),
            is_year: true,
        });
        id += 1;
        for q in 1..=4 {
            let span = Span::quarter(year, q).expect("a calendar quarter");
            out.push(PeriodPlan {
                id,
                span,
                state: state(span),
                is_year: false,
            });
            id += 1;
        }
    }
    out
}

fn period_name(period: &PeriodPlan) -> String {
    let kind = if period.is_year {
        cairn::period::PeriodKind::Year
    } else {
        cairn::period::PeriodKind::Quarter
    };
    cairn::period::Period::calendar_name(kind, period.span)
}
