use cairn::ids::KeyResultId;
use cairn::key_result::Measure;
use cairn::period::PeriodState;

use super::model::{MinePage, MyKeyResult, MyObjective};
use crate::auth::server::signed_in;
use crate::checkins::spec_of;
use crate::error::AppError;
use crate::okr::server::{Names, expected, objective_view, period_context};
use crate::storage::{Db, accounts, events, key_results, reads};

/// A key result needs a check-in when its last one is older than this.
const CHECK_IN_EVERY_MS: i64 = 7 * 24 * 60 * 60 * 1000;

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
    let okrs = reads::mine(db, me.person, period.id).await?;
    let names = Names::load(db, &okrs).await?;
    let expected = expected(&period);
    let running = period.state == PeriodState::Active;
    let now = db.now_ms();
    let mut objectives = Vec::new();
    let mut due = 0;
    for okr in &okrs {
        let ownership = accounts::owner_ownership(db, okr.objective.owner).await?;
        let view = objective_view(okr, &names, expected);
        let mut key_results = Vec::new();
        for (kr, kr_view) in okr.key_results.iter().zip(view.key_results.iter().cloned()) {
            let may = period.state.is_open() && me.may_check_in(&ownership, kr.owner);
            let check_in = if may {
                let milestones = match kr.measure {
                    Measure::Milestones => {
                        key_results::milestones(db, KeyResultId(kr.id.0)).await?
                    }
                    _ => Vec::new(),
                };
                Some(spec_of(kr, &milestones))
            } else {
                None
            };
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
            editable: period.state.is_open() && me.may_edit(&ownership),
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
