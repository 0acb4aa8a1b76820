//! Server-side work behind the front page.

use cairn::Progress;
use cairn::model::Owner;
use cairn::period::PeriodState;
use cairn::status::{Status, Verdict, verdict};

use super::model::{Installation, Overview, WholeList};
use super::{Attention, FrontPage};
use crate::error::AppError;
use crate::okr::OwnerView;
use crate::okr::server::{Names, expected, objective_views, overall, period_context, today};
use crate::storage::{Db, instance, org, reads};

/// How many key results each attention list shows.
const LIST_LENGTH: usize = 8;
/// A key result without a check-in for this long is stale.
const STALE_AFTER_MS: i64 = 14 * 24 * 60 * 60 * 1000;

pub async fn overview(db: &Db) -> Result<Overview, AppError> {
    let instance = instance::get(db).await?;
    let schema_version = instance::schema_version(db).await?;
    Ok(Overview {
        organisation: instance.name,
        installation: Some(Installation {
            since: instance.created_at,
            schema_version,
            database: db.engine().to_string(),
        }),
    })
}

/// What of the overview `admin` (or not) may see: the installation's facts are
/// for admins.
pub fn overview_for(mut overview: Overview, admin: bool) -> Overview {
    if !admin {
        overview.installation = None;
    }
    overview
}

/// The front page's data, kept between changes (see `storage::kept`).
pub async fn front_page(
    db: &Db,
    asked: Option<i64>,
    whole: Option<WholeList>,
    admin: bool,
) -> Result<FrontPage, AppError> {
    let live_mark = crate::storage::events::latest(db).await?;
    let page = db
        .kept(
            format!("front:{asked:?}:{whole:?}:{}", today()),
            read_front_page(db, asked, whole),
        )
        .await?;
    let mut page = (*page).clone();
    page.live_mark = live_mark;
    page.overview = overview_for(page.overview, admin);
    Ok(page)
}

async fn read_front_page(
    db: &Db,
    asked: Option<i64>,
    whole: Option<WholeList>,
) -> Result<FrontPage, AppError> {
    let overview = overview(db).await?;
    let Some((period, context)) = period_context(db, asked).await? else {
        return Ok(FrontPage {
            overview,
            organisation: None,
            period: None,
            objectives: Vec::new(),
            summary: overall(&[], 0.0),
            objective_count: 0,
            at_risk: Vec::new(),
            at_risk_count: 0,
            stale: Vec::new(),
            stale_count: 0,
            whole: None,
            live_mark: 0,
        });
    };
    let expected = expected(&period);
    let root = org::root_unit(db).await?;
    let okrs = match &root {
        Some(unit) => reads::unit_objectives(db, unit.id, period.id).await?,
        None => Vec::new(),
    };
    let names = Names::load(db, &okrs).await?;
    let objectives = objective_views(&okrs, &names, expected);
    let summary = overall(&objectives, expected);

    let lines = reads::period_key_results(db, period.id).await?;
    let status_of = |line: &reads::KeyResultLine| {
        let progress = Progress::from_ratio(line.progress).unwrap_or(Progress::ZERO);
        let confidence = line
            .confidence
            .and_then(|c| cairn::values::Confidence::parse(c).ok());
        verdict(progress, expected, confidence)
    };
    // Only the lines shown are copied out of the kept figures.
    let attention = |(line, verdict): (&reads::KeyResultLine, Verdict)| Attention {
        key_result: line.id.0,
        title: line.title.clone(),
        objective: line.objective.0,
        objective_title: line.objective_title.clone(),
        owner: match line.owner {
            Owner::Unit(id) => OwnerView::Unit {
                id: id.0,
                name: line.owner_name.clone(),
            },
            Owner::Person(id) => OwnerView::Person {
                id: id.0,
                name: line.owner_name.clone(),
            },
        },
        progress: line.progress,
        verdict,
        last_check_in_ms: line.last_check_in_ms,
    };
    let mut at_risk: Vec<(&reads::KeyResultLine, Verdict)> = lines
        .iter()
        .map(|line| (line, status_of(line)))
        .filter(|(_, verdict)| verdict.status != Status::OnTrack)
        .collect();
    let at_risk_count = at_risk.len();
    // Off track first, then the furthest behind.
    first_few(
        &mut at_risk,
        shown(whole, WholeList::AtRisk),
        |(a, a_verdict), (b, b_verdict)| {
            (b_verdict.status == Status::OffTrack)
                .cmp(&(a_verdict.status == Status::OffTrack))
                .then(a.progress.total_cmp(&b.progress))
                .then(a.id.cmp(&b.id))
        },
    );
    let at_risk = at_risk.into_iter().map(attention).collect();

    let running = period.state == PeriodState::Active
        && period
            .span
            .is_some_and(|s| (today() - s.start()).num_days() >= 14);
    let cutoff = db.now_ms() - STALE_AFTER_MS;
    let mut stale: Vec<&reads::KeyResultLine> = if running {
        lines
            .iter()
            .filter(|l| l.last_check_in_ms.is_none_or(|at| at < cutoff))
            .collect()
    } else {
        Vec::new()
    };
    let stale_count = stale.len();
    first_few(&mut stale, shown(whole, WholeList::Stale), |a, b| {
        (a.last_check_in_ms.unwrap_or(0), a.id).cmp(&(b.last_check_in_ms.unwrap_or(0), b.id))
    });
    let stale = stale
        .into_iter()
        .map(|line| attention((line, status_of(line))))
        .collect();

    Ok(FrontPage {
        overview,
        organisation: root.map(|u| (u.id.0, u.name.as_str().to_string())),
        period: Some(context),
        objectives,
        summary,
        objective_count: reads::period_objective_count(db, period.id).await? as usize,
        at_risk,
        at_risk_count,
        stale,
        stale_count,
        whole,
        live_mark: 0,
    })
}

/// How many of a list to show: all of the one asked for whole, else the first few.
fn shown(whole: Option<WholeList>, list: WholeList) -> usize {
    if whole == Some(list) {
        usize::MAX
    } else {
        LIST_LENGTH
    }
}

/// Keeps the first `length` items in `order`, sorted: a partial selection, so a
/// period with thousands of key results is not sorted whole on every visit.
fn first_few<T>(items: &mut Vec<T>, length: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if items.len() > length {
        items.select_nth_unstable_by(length - 1, &order);
        items.truncate(length);
    }
    items.sort_unstable_by(order);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_few_keeps_the_smallest_in_order() {
        // 0..100 in a scrambled order: 37 is coprime with 100, so every number appears once.
        let mut items: Vec<u32> = (0..100).map(|i| (i * 37) % 100).collect();
        let mut whole = items.clone();
        first_few(&mut items, LIST_LENGTH, |a, b| a.cmp(b));
        assert_eq!(items, (0..LIST_LENGTH as u32).collect::<Vec<_>>());

        let mut few = vec![3, 1, 2];
        first_few(&mut few, LIST_LENGTH, |a, b| b.cmp(a));
        assert_eq!(few, vec![3, 2, 1]);

        first_few(
            &mut whole,
            shown(Some(WholeList::Stale), WholeList::Stale),
            |a, b| a.cmp(b),
        );
        assert_eq!(
            whole,
            (0..100).collect::<Vec<_>>(),
            "the list asked for whole"
        );
        assert_eq!(
            shown(Some(WholeList::Stale), WholeList::AtRisk),
            LIST_LENGTH
        );
    }
}
