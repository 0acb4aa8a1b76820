use cairn::ids::{ObjectiveId, PersonId};
use cairn::key_result::Measure;
use cairn::model::Objective;
use cairn::period::PeriodState;
use cairn::status::verdict;

use super::charts::{key_result_chart, objective_chart, with_weights};
use super::model::{
    CommentView, HistoryLine, KeyResultDetail, ObjectivePage, Relative, WithAligned,
};
use crate::error::AppError;
use crate::okr::server::{Names, expected, objective_view, reading_view, today};
use crate::storage::{Db, key_results, key_results::check_ins, periods, reads};

/// The objective page's data, kept between changes (see `storage::kept`).
/// What the reader may do is added per request: the kept page is everyone's.
pub async fn objective_page(db: &Db, id: i64) -> Result<ObjectivePage, AppError> {
    let live_mark = crate::storage::events::latest(db).await?;
    let page = db
        .kept(
            format!("objective:{id}:{}", today()),
            Box::pin(read_objective_page(db, id)),
        )
        .await?;
    let mut page = (*page).clone();
    let me = crate::auth::server::signed_in()?.actor;
    let ownership = crate::storage::accounts::ownership(db, ObjectiveId(id)).await?;
    page.editable = page.open && me.may_edit(&ownership);
    page.may_grade = match page.period_state {
        PeriodState::Grading => me.may_edit(&ownership),
        PeriodState::Closed => me.admin,
        PeriodState::Planning | PeriodState::Active => false,
    };
    for kr in &mut page.key_results {
        let owner = kr.view.owner.as_ref().map(|(id, _)| PersonId(*id));
        kr.check_in = kr
            .check_in
            .take()
            .filter(|_| me.may_check_in(&ownership, owner))
            .map(|spec| spec.for_reader(me.person.0));
    }
    page.live_mark = live_mark;
    page.comment_outcome =
        crate::forms::take_outcome(|form| form == crate::comments::http::FORM).await;
    page.following = crate::storage::notices::follows(db, me.person, id).await?;
    Ok(page)
}

async fn read_objective_page(db: &Db, id: i64) -> Result<ObjectivePage, AppError> {
    let okr = reads::objective_with_key_results(db, ObjectiveId(id)).await?;
    let period = periods::period(db, okr.objective.period).await?;
    let expected = expected(&period);
    let mut names = Names::load(db, std::slice::from_ref(&okr)).await?;

    let mut per_key_result = Vec::with_capacity(okr.key_results.len());
    for kr in &okr.key_results {
        let history = check_ins::history(db, kr.id).await?;
        let milestones = match kr.measure {
            Measure::Milestones => key_results::milestones(db, kr.id).await?,
            _ => Vec::new(),
        };
        per_key_result.push((kr.clone(), history, milestones));
    }
    let parent = reads::parent(db, ObjectiveId(id)).await?;
    let children = reads::children(db, ObjectiveId(id)).await?;
    let below = reads::below(db, ObjectiveId(id)).await?;
    let comments = reads::comments(db, ObjectiveId(id)).await?;
    let authors: Vec<PersonId> = per_key_result
        .iter()
        .flat_map(|(_, h, _)| h.iter().filter_map(|c| c.author))
        .collect();
    names.add_people(db, &authors).await?;
    let relatives = parent
        .iter()
        .map(|(o, _)| o)
        .chain(children.iter().map(|(o, _)| o));
    names.add_owners(db, relatives.map(|o| o.owner)).await?;

    let objective = objective_view(&okr, &names, expected);
    let key_results = per_key_result
        .iter()
        .zip(objective.key_results.iter().cloned())
        .map(|((kr, history, milestones), view)| KeyResultDetail {
            view,
            milestones: milestones
                .iter()
                .map(|m| (m.title.as_str().to_string(), m.done_at_ms.is_some()))
                .collect(),
            history: history
                .iter()
                .map(|c| {
                    let reading = with_weights(&c.reading, milestones);
                    let progress =
                        cairn::key_result::key_result_progress(&kr.measure, Some(&reading));
                    HistoryLine {
                        id: c.id.0,
                        at_ms: c.at_ms,
                        reading: reading_view(&kr.measure, Some(&reading), progress)
                            .unwrap_or(crate::okr::ReadingView::Percent(0)),
                        confidence: c.confidence.get(),
                        note: c.note.as_ref().map(|n| n.as_str().to_string()),
                        author: c.author.and_then(|p| names.person(p)),
                    }
                })
                .collect(),
            chart: key_result_chart(kr, history, milestones, period.span),
            // Grades start from the readings as grading began: check-ins close then.
            check_in: matches!(
                period.state,
                cairn::period::PeriodState::Planning | cairn::period::PeriodState::Active
            )
            .then(|| crate::checkins::spec_of(kr, milestones, history.last())),
        })
        .collect();
    let chart = objective_chart(&per_key_result, period.span);

    // A parent or child is judged as it is on its own page: against its own
    // period's pace, with its most worried key result's confidence.
    let all_periods = periods::periods(db).await?;
    let pace = |period: cairn::ids::PeriodId| {
        all_periods
            .iter()
            .find(|p| p.id == period)
            .map_or(0.0, crate::okr::server::expected)
    };
    let related: Vec<ObjectiveId> = parent
        .iter()
        .map(|(o, _)| o.id)
        .chain(children.iter().map(|(o, _)| o.id))
        .collect();
    let confidences = reads::lowest_confidences(db, &related).await?;
    let relative = |o: &Objective, via: Option<String>| Relative {
        id: o.id.0,
        title: o.title.as_str().to_string(),
        owner: names.owner(o.owner),
        progress: o.progress.ratio(),
        verdict: verdict(o.progress, pace(o.period), confidences.get(&o.id).copied()),
        via_key_result: via,
    };
    let parent = match parent {
        Some((o, via)) => {
            let via = match via {
                Some(kr) => Some(
                    key_results::key_result(db, kr)
                        .await?
                        .title
                        .as_str()
                        .to_string(),
                ),
                None => None,
            };
            Some(relative(&o, via))
        }
        None => None,
    };
    let titles: std::collections::HashMap<i64, String> = okr
        .key_results
        .iter()
        .map(|k| (k.id.0, k.title.as_str().to_string()))
        .collect();
    let children: Vec<Relative> = children
        .iter()
        .map(|(o, via)| relative(o, via.and_then(|kr| titles.get(&kr.0).cloned())))
        .collect();
    let initiatives = reads::initiatives(db, ObjectiveId(id))
        .await?
        .into_iter()
        .map(|i| (i.title, i.done))
        .collect();
    let handles: Vec<String> = comments
        .iter()
        .flat_map(|c| crate::comments::render::mentions(&c.body))
        .collect();
    let people = crate::storage::comments::people_by_handle(db, &handles).await?;
    let comments = comments
        .into_iter()
        .map(|c| CommentView {
            id: c.id,
            about: c.about,
            author: c.author.map(|(p, n)| (p.0, n)),
            at_ms: c.at_ms,
            html: crate::comments::render::to_html(&c.body, &people),
        })
        .collect();
    let with_aligned = (!below.is_empty()).then(|| {
        let rolled = cairn::rollup::with_aligned(ObjectiveId(id), okr.objective.progress, &below);
        let shares = rolled.shares();
        let title_of = |source: &cairn::rollup::Source| match source {
            cairn::rollup::Source::Objective(o) => children
                .iter()
                .find(|child| child.id == o.0)
                .map(|child| child.title.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        WithAligned {
            progress: rolled.progress.ratio(),
            verdict: verdict(rolled.progress, expected, None),
            expected,
            own_share: shares.first().copied().unwrap_or(0.0),
            children: rolled
                .inputs
                .iter()
                .zip(&shares)
                .skip(1)
                .map(|(input, share)| crate::okr::InputView {
                    label: title_of(&input.source),
                    share: *share,
                    weight: input.weight,
                    progress: input.progress.ratio(),
                })
                .collect(),
        }
    });
    Ok(ObjectivePage {
        with_aligned,
        objective,
        description: okr
            .objective
            .description
            .as_ref()
            .map(|d| crate::comments::render::markdown(d.as_str())),
        period: (period.id.0, period.name.clone()),
        parent,
        children,
        key_results,
        chart,
        initiatives,
        comments,
        open: period.state.is_open(),
        editable: false,
        may_grade: false,
        live_mark: 0,
        period_state: period.state,
        grade: okr.objective.grade.map(cairn::grading::Grade::get),
        retrospective: crate::storage::objectives::grading::retrospective(db, ObjectiveId(id))
            .await?,
        comment_outcome: None,
        following: false,
        carried: crate::storage::objectives::carry::links(db, ObjectiveId(id))
            .await
            .map(|l| (l.from, l.to))?,
    })
}
