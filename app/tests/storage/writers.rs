//! Objectives and key results written the way people write them: through the
//! editor's save, with the version they read. Tests build their worlds with these,
//! so every objective and key result a test reads was stored by production code.

use app::storage::key_results::key_result;
use app::storage::objectives::choices::draft_of;
use app::storage::objectives::editing::{Placement, save_objective};
use app::storage::objectives::objective;
use app::storage::reads::objective_with_key_results;
use app::storage::{Db, StorageError};
use cairn::alignment::Parent;
use cairn::draft::{ValidKeyResult, ValidObjective};
use cairn::grading::Commitment;
use cairn::ids::{ObjectiveId, PeriodId, PersonId};
use cairn::key_result::Measure;
use cairn::model::{KeyResult, Objective, ObjectiveState, Owner};
use cairn::values::{LongText, Title, Weight};

pub struct NewObjective {
    pub period: PeriodId,
    pub owner: Owner,
    pub title: Title,
    pub description: Option<LongText>,
    pub commitment: Commitment,
    pub state: ObjectiveState,
    pub weight: Weight,
    pub parent: Option<Parent>,
}

/// What an edit changes; fields left None stay as they are.
#[derive(Default)]
pub struct ObjectiveEdit {
    pub title: Option<Title>,
    pub description: Option<Option<LongText>>,
    pub commitment: Option<Commitment>,
    pub state: Option<ObjectiveState>,
    pub weight: Option<Weight>,
}

pub struct NewKeyResult {
    pub objective: ObjectiveId,
    pub title: Title,
    pub measure: Measure,
    pub weight: Weight,
    /// For milestone key results, in order.
    pub milestones: Vec<Title>,
    pub owner: Option<PersonId>,
    pub due: Option<chrono::NaiveDate>,
}

pub async fn create_objective(
    db: &Db,
    actor: Option<PersonId>,
    new: NewObjective,
) -> Result<Objective, StorageError> {
    let valid = ValidObjective {
        title: new.title,
        description: new.description,
        commitment: new.commitment,
        state: new.state,
        weight: new.weight,
        key_results: vec![],
        initiatives: vec![],
    };
    let placement = Placement::New {
        period: new.period,
        owner: new.owner,
        parent: new.parent,
    };
    let saved = save_objective(db, actor, placement, &valid).await?;
    objective(db, saved.objective).await
}

/// The objective as stored, as the editor would open it.
async fn stored(db: &Db, id: ObjectiveId) -> Result<ValidObjective, StorageError> {
    let (_, draft) = draft_of(db, id).await?;
    Ok(draft
        .validate()
        .expect("a stored objective opens as a valid draft"))
}

/// Saves an edit made on `version`: a newer stored version is a conflict.
pub async fn update_objective(
    db: &Db,
    actor: Option<PersonId>,
    id: ObjectiveId,
    version: i64,
    edit: ObjectiveEdit,
) -> Result<Objective, StorageError> {
    let mut valid = stored(db, id).await?;
    if let Some(title) = edit.title {
        valid.title = title;
    }
    if let Some(description) = edit.description {
        valid.description = description;
    }
    if let Some(commitment) = edit.commitment {
        valid.commitment = commitment;
    }
    if let Some(state) = edit.state {
        valid.state = state;
    }
    if let Some(weight) = edit.weight {
        valid.weight = weight;
    }
    save_objective(db, actor, Placement::Existing { id, version }, &valid).await?;
    objective(db, id).await
}

/// Adds a key result to its objective, as the editor does: the objective saved
/// again with one key result more.
pub async fn create_key_result(
    db: &Db,
    actor: Option<PersonId>,
    new: NewKeyResult,
) -> Result<KeyResult, StorageError> {
    let current = objective(db, new.objective).await?;
    let mut valid = stored(db, new.objective).await?;
    valid.key_results.push(ValidKeyResult {
        id: None,
        title: new.title,
        measure: new.measure,
        weight: new.weight,
        milestones: new
            .milestones
            .into_iter()
            .map(|title| (None, title))
            .collect(),
        owner: new.owner,
        due: new.due,
    });
    let placement = Placement::Existing {
        id: current.id,
        version: current.version,
    };
    save_objective(db, actor, placement, &valid).await?;
    let saved = objective_with_key_results(db, new.objective).await?;
    let newest = saved.key_results.into_iter().max_by_key(|kr| kr.id);
    Ok(newest.expect("the key result just saved"))
}

/// A key result as an imported organisation brings it (the demo's bulk load): with
/// an owner of its own, and milestones weighed unequally (the editor sets
/// neither). Binary without milestones.
pub async fn imported_key_result(
    db: &Db,
    objective: ObjectiveId,
    owner: Option<PersonId>,
    milestones: &[(&str, f64)],
) -> KeyResult {
    use app::storage::bulk::{Cell, finish, insert};
    let id = 900_000 + db.count_rows("key_results").await.unwrap();
    let kind = if milestones.is_empty() {
        "binary"
    } else {
        "milestones"
    };
    let at = app::storage::now_ms();
    let row: Vec<Cell> = vec![
        id.into(),
        objective.0.into(),
        "Imported key result".into(),
        kind.into(),
        1.0.into(),
        owner.map(|p| p.0).into(),
        at.into(),
        at.into(),
    ];
    let columns = [
        "id",
        "objective_id",
        "title",
        "kind",
        "weight",
        "owner_person_id",
        "created_at",
        "updated_at",
    ];
    insert(db, "key_results", &columns, &[row]).await.unwrap();
    let steps: Vec<Vec<Cell>> = milestones
        .iter()
        .enumerate()
        .map(|(position, (title, weight))| {
            vec![
                (id * 10 + position as i64).into(),
                id.into(),
                (*title).into(),
                (*weight).into(),
                (position as i64).into(),
            ]
        })
        .collect();
    let columns = ["id", "key_result_id", "title", "weight", "position"];
    insert(db, "milestones", &columns, &steps).await.unwrap();
    finish(db).await.unwrap();
    key_result(db, cairn::ids::KeyResultId(id)).await.unwrap()
}
