use cairn::ids::ObjectiveId;

use super::{PlanPage, Strategy};
use crate::error::AppError;
use crate::okr::server::{Names, expected, objective_views};
use crate::storage::{Db, periods, reads};

pub async fn plan_page(db: &Db, id: i64) -> Result<PlanPage, AppError> {
    let root = reads::objective_with_key_results(db, ObjectiveId(id)).await?;
    let period = periods::period(db, root.objective.period).await?;
    let children = reads::children(db, ObjectiveId(id)).await?;
    let mut okrs = vec![root.clone()];
    let mut actions = Vec::with_capacity(children.len());
    for (child, _) in &children {
        okrs.push(reads::objective_with_key_results(db, child.id).await?);
        actions.push(
            reads::initiatives(db, child.id)
                .await?
                .into_iter()
                .map(|i| (i.title, i.done))
                .collect::<Vec<_>>(),
        );
    }
    let names = Names::load(db, &okrs).await?;
    let mut views = objective_views(&okrs, &names, expected(&period)).into_iter();
    let objective = views.next().ok_or(AppError::NotFound)?;
    let goal_title = |kr: cairn::ids::KeyResultId| {
        root.key_results
            .iter()
            .find(|k| k.id == kr)
            .map(|k| k.title.as_str().to_string())
    };
    let strategies = views
        .zip(children.iter())
        .zip(actions)
        .map(|((view, (_, via)), actions)| Strategy {
            objective: view,
            goal: via.and_then(goal_title),
            actions,
        })
        .collect();
    Ok(PlanPage {
        period: (period.id.0, period.name.clone()),
        objective,
        description: root
            .objective
            .description
            .as_ref()
            .map(|d| crate::comments::render::markdown(d.as_str())),
        strategies,
    })
}
