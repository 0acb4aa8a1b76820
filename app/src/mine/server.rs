use std::collections::HashMap;
use std::collections::hash_map::Entry;

use cairn::access::Ownership;
use cairn::ids::{KeyResultId, PeriodId, PersonId};
use cairn::key_result::Measure;
use cairn::model::{Milestone, Owner};
use cairn::period::PeriodState;

use super::model::{MinePage, MyKeyResult, MyObjective};
use crate::auth::server::signed_in;
use crate::checkins::spec_of;
use crate::error::AppError;
use crate::okr::server::{Names, expected, objective_view, period_context};
use crate::storage::reads::ObjectiveWithKeyResults;
use crate::storage::{Db, accounts, events, key_results, reads};

/// A key result needs a check-in when its last one is older than this.
const CHECK_IN_EVERY_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// What My OKRs reads for one person and period, kept between changes (see
/// `storage::kept`): each owner's rights are read once, however many objectives
/// they own, and a visit after no change reads nothing but the data version.
struct MineData {
    okrs: Vec<ObjectiveWithKeyResults>,
    names: Names,
    ownership: HashMap<Owner, Ownership>,
    milestones: HashMap<i64, Vec<Milestone>>,
}

async fn read_mine(db: &Db, person: PersonId, period: PeriodId) -> Result<MineData, AppError> {
    let okrs = reads::mine(db, person, period).await?;
    let names = Names::load(db, &okrs).await?;
    let mut ownership = HashMap::new();
    let mut milestones = HashMap::new();
    for okr in &okrs {
        let owner = okr.objective.owner;
        if let Entry::Vacant(entry) = ownership.entry(owner) {
            entry.insert(accounts::owner_ownership(db, owner).await?);
        }
        for kr in &okr.key_results {
            if kr.measure == Measure::Milestones {
                let list = key_results::milestones(db, KeyResultId(kr.id.0)).await?;
                milestones.insert(kr.id.0, list);
            }
        }
    }
    Ok(MineData {
        okrs,
        names,
        ownership,
        milestones,
    })
}

pub async fn my_okrs(db: &Db, asked: Option<i64>) -> Result<MinePage, AppError> {
    let me = signed_in()?.actor;
    let live_mark = events::latest(db).await?;
    let Some((period, context)) = period_context(db, asked).await? else {
        return Ok(MinePage {
            period: None,
            objectives: Vec::new(),
            due: 0,
            live_mark,
        });
    };
    let key = format!("mine:{}:{}", me.person.0, period.id.0);
    let data = db.kept(key, read_mine(db, me.person, period.id)).await?;
    let expected = expected(&period);
    let running = period.state == PeriodState::Active;
    let now = db.now_ms();
    let mut objectives = Vec::new();
    let mut due = 0;
    for okr in &data.okrs {
        let ownership = &data.ownership[&okr.objective.owner];
        let view = objective_view(okr, &data.names, expected);
        let mut key_results = Vec::new();
        for (kr, kr_view) in okr.key_results.iter().zip(view.key_results.iter().cloned()) {
            let may = period.state.is_open() && me.may_check_in(ownership, kr.owner);
            let check_in = may.then(|| {
                let milestones = data.milestones.get(&kr.id.0).map_or(&[][..], Vec::as_slice);
                spec_of(kr, milestones, None)
            });
            let stale = kr
                .last_check_in_ms
                .is_none_or(|at| now - at > CHECK_IN_EVERY_MS);
            let is_due = running && may && stale;
            due += usize::from(is_due);
            key_results.push(MyKeyResult {
                view: kr_view,
                due: is_due,
                check_in,
            });
        }
        objectives.push(MyObjective {
            editable: period.state.is_open() && me.may_edit(ownership),
            view,
            key_results,
        });
    }
    Ok(MinePage {
        period: Some(context),
        objectives,
        due,
        live_mark,
    })
}
