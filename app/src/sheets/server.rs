//! The importer's steps on the server. The sheet read from the upload is kept in
//! the admin's session (sessions live in the database, so any node of a cluster
//! answers the next step) with the admin's mapping and choices; each step reads
//! the rows again by them, and storing is all or nothing.

use std::collections::HashMap;

use cairn::ids::{PeriodId, PersonId, UnitId};
use cairn::model::UnitKind;
use cairn::numbers::NumberStyle;
use cairn::sheet::{Column, Mapping, Plan, Sheet, guess_all, plan};
use cairn::values::{Email, Name};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::model::{ColumnView, DraftView, NameMatch, Pick, Pickable, SheetOutcome, SheetPage};
use crate::admin::server::units as unit_tree;
use crate::auth::server::admin;
use crate::error::AppError;
use crate::storage::Db;
use crate::storage::org::{NewPerson, NewUnit};
use crate::storage::sheets::{self as store, Choices, SheetRefusal};

/// The session keys of the sheet being imported and of the last step's outcome.
const DRAFT: &str = "sheet_draft";
const OUTCOME: &str = "sheet_outcome";
/// Values of a column shown beside its header.
const SAMPLES: usize = 3;
/// People offered to match an owner to; a larger installation types an email.
const PEOPLE_SHOWN: i64 = 2_000;

/// Which kind of name a choice is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NameKind {
    Owner,
    Unit,
    Period,
}

/// The sheet being imported and what the admin said about it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Draft {
    pub file: String,
    pub language: String,
    pub sheet: Sheet,
    pub mapping: Vec<Option<Column>>,
    pub picks: Vec<(NameKind, String, Pick)>,
    pub period: Option<i64>,
    pub unit: Option<i64>,
}

impl Draft {
    /// A sheet just read: its columns guessed from the headers.
    pub fn new(file: String, language: String, sheet: Sheet) -> Draft {
        Draft {
            file,
            language,
            mapping: guess_all(&sheet.headers),
            sheet,
            picks: Vec::new(),
            period: None,
            unit: None,
        }
    }

    pub fn style(&self) -> NumberStyle {
        NumberStyle::of_language(&self.language)
    }

    pub fn plan(&self) -> Plan {
        plan(&self.sheet, &Mapping(self.mapping.clone()), self.style())
    }

    fn pick(&self, kind: NameKind, text: &str) -> Option<&Pick> {
        self.picks
            .iter()
            .find(|(k, t, _)| *k == kind && t == text)
            .map(|(_, _, pick)| pick)
    }
}

pub async fn load(session: &Session) -> Option<Draft> {
    session.get::<Draft>(DRAFT).await.ok().flatten()
}

pub async fn keep(session: &Session, draft: &Draft) -> Result<(), AppError> {
    session.insert(DRAFT, draft).await.map_err(|error| {
        tracing::error!(%error, "cannot keep the sheet being imported");
        AppError::Unavailable
    })
}

pub async fn forget(session: &Session) {
    let _ = session.remove::<Draft>(DRAFT).await;
}

pub async fn tell(session: &Session, outcome: SheetOutcome) {
    if let Err(error) = session.insert(OUTCOME, &outcome).await {
        tracing::error!(%error, "cannot keep the importer's outcome");
    }
}

/// The page: the upload form, or the draft read by its mapping with every name
/// matched, and what the last step did (once).
pub async fn page(db: &Db) -> Result<SheetPage, AppError> {
    admin()?;
    let session = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Session>().cloned())
        .ok_or(AppError::Unauthenticated)?;
    let outcome = session.remove::<SheetOutcome>(OUTCOME).await.ok().flatten();
    let units = unit_tree(db).await?;
    let people = crate::storage::org::admin::people(db, "", PEOPLE_SHOWN).await?;
    let periods = crate::storage::periods::periods(db).await?;
    let draft = match load(&session).await {
        Some(draft) => Some(view(db, &draft).await?),
        None => None,
    };
    Ok(SheetPage {
        draft,
        outcome,
        people: people
            .into_iter()
            .filter(|p| p.active)
            .map(|p| Pickable {
                id: p.id,
                label: format!("{} <{}>", p.name, p.email),
                depth: 0,
            })
            .collect(),
        units: units
            .into_iter()
            .filter(|u| u.active)
            .map(|u| Pickable {
                id: u.id,
                label: u.name,
                depth: u.depth,
            })
            .collect(),
        periods: periods
            .into_iter()
            .map(|p| Pickable {
                id: p.id.0,
                label: p.name.to_string(),
                depth: 0,
            })
            .collect(),
    })
}

/// The draft as the page shows it.
async fn view(db: &Db, draft: &Draft) -> Result<DraftView, AppError> {
    let planned = draft.plan();
    let matches = store::matches(db, &planned).await?;
    let names = |kind: NameKind, found: Vec<(String, Option<i64>)>| {
        found
            .into_iter()
            .map(|(text, found)| NameMatch {
                pick: found
                    .is_none()
                    .then(|| draft.pick(kind, &text).cloned())
                    .flatten(),
                text,
                found,
            })
            .collect::<Vec<_>>()
    };
    let parents = store::unknown_parents(db, &planned).await?;
    let columns = draft
        .sheet
        .headers
        .iter()
        .enumerate()
        .map(|(at, header)| ColumnView {
            header: header.clone(),
            samples: samples(&draft.sheet, at),
            column: draft.mapping.get(at).copied().flatten(),
        })
        .collect();
    Ok(DraftView {
        file: draft.file.clone(),
        language: draft.language.clone(),
        rows: draft.sheet.rows.len(),
        columns,
        owners: names(
            NameKind::Owner,
            matches
                .owners
                .into_iter()
                .map(|(t, m)| (t, m.map(|m| m.0)))
                .collect(),
        ),
        units: names(
            NameKind::Unit,
            matches
                .units
                .into_iter()
                .map(|(t, m)| (t, m.map(|m| m.0)))
                .collect(),
        ),
        periods: names(
            NameKind::Period,
            matches
                .periods
                .into_iter()
                .map(|(t, m)| (t, m.map(|m| m.0)))
                .collect(),
        ),
        parents,
        period: draft.period,
        unit: draft.unit,
        plan: planned,
    })
}

/// The first few different values of a column.
fn samples(sheet: &Sheet, column: usize) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for row in &sheet.rows {
        let Some(cell) = row.get(column).map(|c| c.trim()) else {
            continue;
        };
        if cell.is_empty() || seen.iter().any(|s| s == cell) {
            continue;
        }
        seen.push(cell.chars().take(40).collect());
        if seen.len() == SAMPLES {
            break;
        }
    }
    seen
}

/// Stores the draft, all or nothing: what was stored, or why nothing was.
pub async fn import(db: &Db, me: PersonId, draft: &Draft) -> SheetOutcome {
    let choices = match choices(db, draft).await {
        Ok(choices) => choices,
        Err(outcome) => return outcome,
    };
    let planned = draft.plan();
    match store::store(db, Some(me), &planned, &choices).await {
        Ok(stored) => SheetOutcome::Imported {
            objectives: stored.objectives.len(),
            key_results: stored.key_results,
            check_ins: stored.check_ins,
            first: stored.objectives.first().map(|o| o.0),
        },
        Err(refusal) => refused(refusal),
    }
}

/// The admin's picks, as the store takes them.
async fn choices(db: &Db, draft: &Draft) -> Result<Choices, SheetOutcome> {
    let units = crate::storage::org::admin::all_units(db)
        .await
        .map_err(|error| SheetOutcome::Refused {
            row: None,
            error: error.into(),
        })?;
    let mut choices = Choices {
        period: draft.period.map(PeriodId),
        unit: draft.unit.map(UnitId),
        ..Choices::default()
    };
    for (kind, text, pick) in &draft.picks {
        match (kind, pick) {
            (NameKind::Owner, Pick::Existing(id)) => {
                choices.owners.insert(text.clone(), PersonId(*id));
            }
            (NameKind::Unit, Pick::Existing(id)) => {
                choices.units.insert(text.clone(), UnitId(*id));
            }
            (NameKind::Period, Pick::Existing(id)) => {
                choices.periods.insert(text.clone(), PeriodId(*id));
            }
            (NameKind::Owner, Pick::NewPerson { name, email }) => {
                let person = new_person(name, email).map_err(|error| SheetOutcome::NewPerson {
                    text: text.clone(),
                    error,
                })?;
                choices.new_people.insert(text.clone(), person);
            }
            (NameKind::Unit, Pick::NewUnit { parent }) => {
                let parent_kind = units
                    .iter()
                    .find(|u| u.id.0 == *parent && u.active)
                    .map(|u| u.kind)
                    .ok_or(SheetOutcome::Refused {
                        row: None,
                        error: AppError::NotFound,
                    })?;
                let name = Name::parse(text).map_err(|e| SheetOutcome::Refused {
                    row: None,
                    error: AppError::invalid("unit", &e),
                })?;
                let kind = match parent_kind {
                    UnitKind::Organisation => UnitKind::Department,
                    _ => UnitKind::Team,
                };
                choices.new_units.insert(
                    text.clone(),
                    NewUnit {
                        parent: Some(UnitId(*parent)),
                        name,
                        kind,
                    },
                );
            }
            // A pick of the wrong kind is never made by the page's forms.
            _ => {}
        }
    }
    Ok(choices)
}

fn new_person(name: &str, email: &str) -> Result<NewPerson, AppError> {
    Ok(NewPerson {
        name: Name::parse(name).map_err(|e| AppError::invalid("name", &e))?,
        email: Email::parse(email).map_err(|e| AppError::invalid("email", &e))?,
    })
}

/// Why nothing was stored, as the page says it.
fn refused(refusal: SheetRefusal) -> SheetOutcome {
    use cairn::draft::FieldProblem;
    use cairn::key_result::MeasureError;
    let missing = |field: &str| AppError::Invalid {
        field: field.to_string(),
        problem: FieldProblem::Missing,
    };
    let (row, error) = match refusal {
        SheetRefusal::Problems(_) | SheetRefusal::Unmatched(_) => (None, missing("sheet")),
        SheetRefusal::NoPeriod { row } => (Some(row), missing("period")),
        SheetRefusal::NoOwner { row } => (Some(row), missing("owner")),
        SheetRefusal::Value { row, source } => (Some(row), AppError::invalid("value", &source)),
        SheetRefusal::Measure { row, source } => (
            Some(row),
            AppError::Invalid {
                field: "target".into(),
                problem: match source {
                    MeasureError::TargetNotAboveStart => FieldProblem::TargetNotAboveStart,
                    MeasureError::TargetNotBelowStart => FieldProblem::TargetNotBelowStart,
                },
            },
        ),
        SheetRefusal::Alignment { row, source } => (Some(row), AppError::Alignment(source)),
        SheetRefusal::Storage(error) => (None, AppError::from(error)),
    };
    SheetOutcome::Refused { row, error }
}

/// The picks a form sent, read from its fields: `owner-N` with `owner-N-text`
/// (and `-name`, `-email` for a new person), `unit-N`, `period-N` alike.
pub fn picks(fields: &HashMap<String, String>) -> Vec<(NameKind, String, Pick)> {
    let mut picks = Vec::new();
    for (kind, prefix) in [
        (NameKind::Owner, "owner"),
        (NameKind::Unit, "unit"),
        (NameKind::Period, "period"),
    ] {
        let mut texts: Vec<(&str, &String)> = fields
            .iter()
            .filter_map(|(key, text)| {
                let field = key.strip_suffix("-text")?;
                let (named, at) = field.rsplit_once('-')?;
                (named == prefix && at.parse::<usize>().is_ok()).then_some((field, text))
            })
            .collect();
        texts.sort();
        for (field, text) in texts {
            let value = |suffix: &str| {
                fields
                    .get(&format!("{field}{suffix}"))
                    .map(|v| v.trim().to_string())
                    .unwrap_or_default()
            };
            let choice = value("");
            let pick = match choice.split_once(':') {
                Some(("id", id)) => id.parse().ok().map(Pick::Existing),
                Some(("under", id)) if kind == NameKind::Unit => {
                    id.parse().ok().map(|parent| Pick::NewUnit { parent })
                }
                None if choice == "new" && kind == NameKind::Owner => Some(Pick::NewPerson {
                    name: value("-name"),
                    email: value("-email"),
                }),
                _ => None,
            };
            if let Some(pick) = pick {
                picks.push((kind, text.clone(), pick));
            }
        }
    }
    picks
}
