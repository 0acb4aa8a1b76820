//! Writing a generated organisation through the bulk importer.

use app::storage::bulk::{Cell, insert};
use app::storage::{Db, StorageError, instance};
use cairn::period::{Period, PeriodKind};
use rand::Rng;
use rand::seq::IndexedRandom;

use super::okrs::{Generator, ObjectiveRow, OwnerRef, PeriodOkrs, PeriodPlan, ms};
use super::plan::Organisation;
use super::{Summary, vocab};

pub async fn organisation(db: &Db, org: &Organisation) -> Result<(), StorageError> {
    let now = app::storage::now_ms();
    let mut units = vec![vec![
        Cell::Int(org.id),
        Cell::NullInt,
        org.name.as_str().into(),
        "organisation".into(),
        now.into(),
    ]];
    for d in &org.departments {
        units.push(vec![
            d.id.into(),
            Some(org.id).into(),
            d.name.as_str().into(),
            "department".into(),
            now.into(),
        ]);
    }
    for t in &org.teams {
        let parent = org.departments[t.department].id;
        units.push(vec![
            t.id.into(),
            Some(parent).into(),
            t.name.as_str().into(),
            "team".into(),
            now.into(),
        ]);
    }
    insert(
        db,
        "org_units",
        &["id", "parent_id", "name", "kind", "created_at"],
        &units,
    )
    .await?;

    let people: Vec<Vec<Cell>> = org
        .people
        .iter()
        .map(|p| {
            vec![
                p.id.into(),
                p.name.as_str().into(),
                p.email.as_str().into(),
                language(p.id).into(),
                now.into(),
            ]
        })
        .collect();
    insert(
        db,
        "people",
        &["id", "name", "email", "language", "created_at"],
        &people,
    )
    .await?;

    let mut memberships = Vec::new();
    for team in &org.teams {
        for (i, person) in team.members.iter().enumerate() {
            let role = if i == 0 { "lead" } else { "member" };
            memberships.push(vec![team.id.into(), (*person).into(), role.into()]);
        }
    }
    for dept in &org.departments {
        memberships.push(vec![dept.id.into(), dept.lead.into(), "lead".into()]);
    }
    // The first person runs the portal.
    memberships.push(vec![org.id.into(), 1_i64.into(), "admin".into()]);
    insert(
        db,
        "memberships",
        &["unit_id", "person_id", "role"],
        &memberships,
    )
    .await
}

pub async fn periods(db: &Db, periods: &[PeriodPlan]) -> Result<(), StorageError> {
    let mut rows = Vec::new();
    let mut year = None;
    for p in periods {
        let kind = if p.is_year {
            PeriodKind::Year
        } else {
            PeriodKind::Quarter
        };
        if p.is_year {
            year = Some(p.id);
        }
        rows.push(vec![
            p.id.into(),
            kind.as_str().into(),
            Period::calendar_name(kind, p.span).into(),
            p.span.start().to_string().into(),
            p.span.end().to_string().into(),
            if p.is_year {
                Cell::NullInt
            } else {
                year.into()
            },
            p.state.as_str().into(),
        ]);
    }
    let backlog = periods.len() as i64 + 1;
    rows.push(vec![
        backlog.into(),
        "backlog".into(),
        "Backlog".into(),
        Cell::NullText,
        Cell::NullText,
        Cell::NullInt,
        "planning".into(),
    ]);
    insert(
        db,
        "periods",
        &[
            "id",
            "kind",
            "name",
            "starts_on",
            "ends_on",
            "parent_id",
            "state",
        ],
        &rows,
    )
    .await
}

pub async fn okrs(db: &Db, okrs: &PeriodOkrs) -> Result<(), StorageError> {
    let objectives: Vec<Vec<Cell>> = okrs.objectives.iter().map(objective_row).collect();
    insert(db, "objectives", OBJECTIVE_COLUMNS, &objectives).await?;

    let key_results: Vec<Vec<Cell>> = okrs
        .key_results
        .iter()
        .map(|k| {
            let columns = app::storage::MeasureColumns::of(&k.measure);
            vec![
                k.id.into(),
                k.objective.into(),
                k.title.as_str().into(),
                columns.kind.into(),
                columns.direction.into(),
                columns.start.into(),
                columns.target.into(),
                columns.unit.into(),
                k.weight.into(),
                Some(k.owner).into(),
                k.position.into(),
                k.current_value.into(),
                k.progress.into(),
                k.confidence.into(),
                k.last_check_in_at.into(),
                k.grade.into(),
                k.created_at.into(),
                k.last_check_in_at.unwrap_or(k.created_at).into(),
            ]
        })
        .collect();
    insert(
        db,
        "key_results",
        &[
            "id",
            "objective_id",
            "title",
            "kind",
            "direction",
            "start_value",
            "target_value",
            "unit_label",
            "weight",
            "owner_person_id",
            "position",
            "current_value",
            "progress",
            "confidence",
            "last_check_in_at",
            "grade",
            "created_at",
            "updated_at",
        ],
        &key_results,
    )
    .await?;

    let milestones: Vec<Vec<Cell>> = okrs
        .milestones
        .iter()
        .map(|m| {
            vec![
                m.id.into(),
                m.key_result.into(),
                m.title.as_str().into(),
                1.0.into(),
                m.position.into(),
                m.done_at.into(),
            ]
        })
        .collect();
    insert(
        db,
        "milestones",
        &[
            "id",
            "key_result_id",
            "title",
            "weight",
            "position",
            "done_at",
        ],
        &milestones,
    )
    .await?;

    let links: Vec<Vec<Cell>> = okrs
        .links
        .iter()
        .map(|l| {
            vec![
                l.id.into(),
                l.child.into(),
                l.parent_objective.into(),
                l.parent_key_result.into(),
                1_i64.into(),
                l.at.into(),
            ]
        })
        .collect();
    insert(
        db,
        "alignments",
        &[
            "id",
            "child_id",
            "parent_objective_id",
            "parent_key_result_id",
            "is_primary",
            "valid_from",
        ],
        &links,
    )
    .await?;

    let initiatives: Vec<Vec<Cell>> = okrs
        .initiatives
        .iter()
        .map(|i| {
            vec![
                i.id.into(),
                i.objective.into(),
                i.title.into(),
                i64::from(i.done).into(),
                i.position.into(),
            ]
        })
        .collect();
    insert(
        db,
        "initiatives",
        &["id", "objective_id", "title", "done", "position"],
        &initiatives,
    )
    .await?;

    let comments: Vec<Vec<Cell>> = okrs
        .comments
        .iter()
        .map(|c| {
            vec![
                c.id.into(),
                c.objective.into(),
                Some(c.author).into(),
                c.at.into(),
                c.body.into(),
            ]
        })
        .collect();
    insert(
        db,
        "comments",
        &["id", "objective_id", "author_id", "at", "body"],
        &comments,
    )
    .await?;

    let check_ins: Vec<Vec<Cell>> = okrs
        .check_ins
        .iter()
        .map(|c| {
            vec![
                c.id.into(),
                c.key_result.into(),
                Some(c.author).into(),
                c.at.into(),
                c.value.into(),
                c.milestones_done.clone().into(),
                c.confidence.into(),
                c.note.clone().into(),
                "import".into(),
            ]
        })
        .collect();
    insert(
        db,
        "check_ins",
        &[
            "id",
            "key_result_id",
            "author_id",
            "at",
            "value",
            "milestones_done",
            "confidence",
            "note",
            "source",
        ],
        &check_ins,
    )
    .await
}

/// The language a demo person's mail is written in: most read Dutch, one in
/// three English (a Dutch organisation with colleagues from abroad).
fn language(person: i64) -> &'static str {
    if person % 3 == 0 { "en" } else { "nl" }
}

/// The columns `objective_row` fills, in its order.
const OBJECTIVE_COLUMNS: &[&str] = &[
    "id",
    "period_id",
    "owner_unit_id",
    "owner_person_id",
    "title",
    "description",
    "commitment",
    "state",
    "weight",
    "position",
    "progress",
    "grade",
    "created_at",
    "updated_at",
];

fn objective_row(o: &ObjectiveRow) -> Vec<Cell> {
    let (unit, person) = match o.owner {
        OwnerRef::Unit(u) => (Some(u), None),
        OwnerRef::Person(p) => (None, Some(p)),
    };
    vec![
        o.id.into(),
        o.period.into(),
        unit.into(),
        person.into(),
        o.title.as_str().into(),
        o.description.map(str::to_string).into(),
        if o.committed {
            "committed"
        } else {
            "aspirational"
        }
        .into(),
        o.state.into(),
        o.weight.into(),
        o.position.into(),
        o.progress.into(),
        o.grade.into(),
        o.created_at.into(),
        o.created_at.into(),
    ]
}

/// A few drafts for next quarter, waiting in the backlog.
pub async fn backlog(
    db: &Db,
    org: &Organisation,
    backlog: i64,
    generator: &mut Generator<'_>,
) -> Result<(), StorageError> {
    let created_at = ms(generator.today, 9);
    let rows: Vec<Vec<Cell>> = (0..5)
        .map(|i| {
            generator.ids.objective += 1;
            let team = org.teams.choose(&mut generator.rng).expect("teams exist");
            let (title, _) = vocab::OBJECTIVES
                .choose(&mut generator.rng)
                .copied()
                .unwrap_or(("Draft", ""));
            objective_row(&ObjectiveRow {
                id: generator.ids.objective,
                period: backlog,
                owner: OwnerRef::Unit(team.id),
                title: title.to_string(),
                description: None,
                committed: generator.rng.random_bool(0.5),
                state: "draft",
                weight: 1.0,
                position: i,
                progress: 0.0,
                grade: None,
                created_at,
            })
        })
        .collect();
    insert(db, "objectives", OBJECTIVE_COLUMNS, &rows).await
}

/// Names the installation after the organisation and records the import.
pub async fn finish(db: &Db, name: &str, summary: &Summary) -> Result<(), StorageError> {
    let detail = format!(
        "{{\"people\":{},\"objectives\":{},\"key_results\":{},\"check_ins\":{}}}",
        summary.people, summary.objectives, summary.key_results, summary.check_ins
    );
    instance::rename_after_import(db, name, &detail).await
}
