use cairn::model::{Role, UnitKind};
use cairn::values::{Email, Name};

use cairn::ids::UnitId;

use super::model::{AdminPerson, AdminUnit, ImportProblem, PeopleAdmin, UnitsAdmin};
use crate::auth::server::admin;
use crate::error::AppError;
use crate::storage::Db;
use crate::storage::org::admin as store;
use crate::storage::org::import::{self, ImportFile, ImportPerson, ImportUnit, RowRefusal};

/// People shown at once; a search narrows them down.
const SHOWN: i64 = 200;
/// The most rows one import takes.
const MAX_ROWS: usize = 50_000;

pub async fn people(db: &Db, query: String) -> Result<PeopleAdmin, AppError> {
    admin()?;
    let people = store::people(db, &query, SHOWN)
        .await?
        .into_iter()
        .map(|p| AdminPerson {
            id: p.id,
            name: p.name,
            email: p.email,
            active: p.active,
            admin: p.admin,
            has_password: p.has_password,
            units: p.units,
            version: p.version,
        })
        .collect();
    Ok(PeopleAdmin {
        people,
        units: units(db).await?,
        query,
        outcome: crate::forms::take_outcome(|form| {
            form == "add-person" || form.starts_with("person-")
        })
        .await,
    })
}

pub async fn units_page(db: &Db) -> Result<UnitsAdmin, AppError> {
    Ok(UnitsAdmin {
        units: units(db).await?,
        outcome: crate::forms::take_outcome(|form| form == "add-unit" || form.starts_with("unit-"))
            .await,
    })
}

/// Every unit, depth first from the top, with its depth.
pub async fn units(db: &Db) -> Result<Vec<AdminUnit>, AppError> {
    admin()?;
    let all = store::all_units(db).await?;
    let mut out = Vec::with_capacity(all.len());
    let mut stack: Vec<(Option<UnitId>, usize)> = vec![(None, 0)];
    // Children by parent, in name order (all_units is sorted by name).
    let mut seen = std::collections::HashSet::new();
    while let Some((parent, depth)) = stack.pop() {
        let children: Vec<_> = all.iter().filter(|u| u.parent == parent).collect();
        for unit in children.iter().rev() {
            stack.push((Some(unit.id), depth + 1));
        }
        if let Some(id) = parent
            && seen.insert(id)
            && let Some(u) = all.iter().find(|u| u.id == id)
        {
            out.push(AdminUnit {
                id: u.id.0,
                parent: u.parent.map(|p| p.0),
                name: u.name.clone(),
                kind: u.kind,
                active: u.active,
                depth: depth - 1,
                version: u.version,
            });
        }
    }
    Ok(out)
}

fn problem(file: ImportFile, row: usize, refusal: RowRefusal) -> ImportProblem {
    ImportProblem { file, row, refusal }
}

/// The rows of a CSV text (header first, which must name `columns`), each a map of
/// column to trimmed value, with its line number (the header is line 1).
fn rows(
    file: ImportFile,
    text: &str,
    columns: &[&str],
    problems: &mut Vec<ImportProblem>,
) -> Vec<(usize, std::collections::HashMap<String, String>)> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_lowercase()).collect(),
        Err(_) => {
            problems.push(problem(file, 1, RowRefusal::NotCsv));
            return Vec::new();
        }
    };
    if let Some(missing) = columns.iter().find(|c| !header.iter().any(|h| h == *c)) {
        problems.push(problem(
            file,
            1,
            RowRefusal::MissingColumn {
                column: missing.to_string(),
            },
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        if out.len() >= MAX_ROWS {
            problems.push(problem(file, line, RowRefusal::TooManyRows));
            break;
        }
        match record {
            Ok(record) => out.push((
                line,
                header
                    .iter()
                    .cloned()
                    .zip(record.iter().map(str::to_string))
                    .collect(),
            )),
            Err(_) => problems.push(problem(file, line, RowRefusal::NotCsv)),
        }
    }
    out
}

pub async fn import(
    db: &Db,
    units_text: &str,
    people_text: &str,
) -> Result<Result<(usize, usize), Vec<ImportProblem>>, AppError> {
    let me = admin()?;
    let mut problems = Vec::new();
    let get = |row: &std::collections::HashMap<String, String>, key: &str| {
        row.get(key).cloned().unwrap_or_default()
    };
    let mut units = Vec::new();
    for (line, row) in rows(
        ImportFile::Units,
        units_text,
        &["name", "kind", "parent"],
        &mut problems,
    ) {
        let name = Name::parse(&get(&row, "name"));
        let kind = UnitKind::parse(&get(&row, "kind").to_lowercase());
        match (name, kind) {
            (Ok(name), Some(kind)) => units.push(ImportUnit {
                row: line,
                name,
                kind,
                parent: Some(get(&row, "parent")).filter(|p| !p.is_empty()),
            }),
            (Err(e), _) => problems.push(problem(ImportFile::Units, line, RowRefusal::Name(e))),
            (_, None) => problems.push(problem(ImportFile::Units, line, RowRefusal::UnknownKind)),
        }
    }
    let mut people = Vec::new();
    for (line, row) in rows(
        ImportFile::People,
        people_text,
        &["name", "email", "unit", "role"],
        &mut problems,
    ) {
        let name = Name::parse(&get(&row, "name"));
        let email = Email::parse(&get(&row, "email"));
        let role = match get(&row, "role").to_lowercase().as_str() {
            "" => Some(Role::Member),
            other => Role::parse(other),
        };
        match (name, email, role) {
            (Ok(name), Ok(email), Some(role)) => people.push(ImportPerson {
                row: line,
                name,
                email,
                unit: Some(get(&row, "unit")).filter(|u| !u.is_empty()),
                role,
            }),
            (Err(e), _, _) => problems.push(problem(ImportFile::People, line, RowRefusal::Name(e))),
            (_, Err(e), _) => {
                problems.push(problem(ImportFile::People, line, RowRefusal::Email(e)))
            }
            (_, _, None) => {
                problems.push(problem(ImportFile::People, line, RowRefusal::UnknownRole))
            }
        }
    }
    if units.is_empty() && people.is_empty() && problems.is_empty() {
        problems.push(problem(ImportFile::Units, 1, RowRefusal::Nothing));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    Ok(import::import(db, Some(me.person), &units, &people).await?)
}
