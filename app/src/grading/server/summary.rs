//! The quarter's summary: per unit its average grade, committed objectives met
//! and missed, the aspirational average, what was carried forward and dropped,
//! and the retrospectives; as a page and as CSV for the review meeting.

use cairn::ids::PeriodId;

use super::super::model::{PeriodSummary, Retrospective, UnitGrades};
use crate::auth::server::signed_in;
use crate::error::AppError;
use crate::storage::objectives::grading::{self, SummaryRow};
use crate::storage::{Db, periods};

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

pub async fn summary(db: &Db, id: i64) -> Result<PeriodSummary, AppError> {
    signed_in()?;
    summary_of(db, id).await
}

/// The summary, for whoever the caller checked may read it.
pub async fn summary_of(db: &Db, id: i64) -> Result<PeriodSummary, AppError> {
    let period = periods::period(db, PeriodId(id)).await?;
    let rows = grading::summary(db, PeriodId(id)).await?;
    let committed = rows.iter().fold((0, 0), |(met, graded), r| {
        (met + r.committed_met, graded + r.committed_graded)
    });
    let aspirational: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.aspirational_grades.iter().copied())
        .collect();
    Ok(PeriodSummary {
        period: (period.id.0, period.name, period.state),
        units: rows.into_iter().map(unit_grades).collect(),
        committed,
        aspirational: (mean(&aspirational), aspirational.len() as i64),
    })
}

fn unit_grades(r: SummaryRow) -> UnitGrades {
    UnitGrades {
        average: mean(&r.grades),
        committed_met: r.committed_met,
        committed_missed: r.committed_graded - r.committed_met,
        aspirational_average: mean(&r.aspirational_grades),
        unit: r.unit,
        red: r.red,
        yellow: r.yellow,
        green: r.green,
        ungraded: r.ungraded,
        carried: r.carried,
        dropped: r.dropped,
        retrospectives: r
            .retrospectives
            .into_iter()
            .map(|(objective, title, text)| Retrospective {
                objective,
                title,
                text,
            })
            .collect(),
    }
}

/// Column names of the CSV, in the reader's language (`nl` or `en`), and its
/// separators as that language's spreadsheets expect them: `;` and a decimal
/// comma in Dutch, `,` and a point in English.
pub struct CsvHeads {
    pub delimiter: u8,
    pub mark: &'static str,
    pub unit: &'static str,
    pub personal: &'static str,
    pub columns: [&'static str; 9],
}

impl CsvHeads {
    pub fn of(language: &str) -> CsvHeads {
        match language {
            "nl" => CsvHeads {
                delimiter: b';',
                mark: ",",
                unit: "Eenheid",
                personal: "Persoonlijke doelstellingen",
                columns: [
                    "Gemiddelde score",
                    "Toegezegd gehaald",
                    "Toegezegd gemist",
                    "Ambitieus gemiddeld",
                    "Beoordeeld",
                    "Niet beoordeeld",
                    "Meegenomen",
                    "Laten vallen",
                    "Terugblikken",
                ],
            },
            _ => CsvHeads {
                delimiter: b',',
                mark: ".",
                unit: "Unit",
                personal: "Personal objectives",
                columns: [
                    "Average grade",
                    "Committed met",
                    "Committed missed",
                    "Aspirational average",
                    "Graded",
                    "Ungraded",
                    "Carried forward",
                    "Dropped",
                    "Retrospectives",
                ],
            },
        }
    }
}

/// The summary as CSV: one line per unit, grades to two places; carried and
/// dropped objectives by title, separated by " | ".
pub fn csv(summary: &PeriodSummary, heads: &CsvHeads) -> Result<String, AppError> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(heads.delimiter)
        .from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Malformed(e.to_string());
    let mut head = vec![heads.unit];
    head.extend(heads.columns);
    out.write_record(&head).map_err(fail)?;
    let grade = |g: Option<f64>| {
        g.map(|g| crate::ui::with_mark(heads.mark, g, 2))
            .unwrap_or_default()
    };
    let titles = |list: &[(i64, String)]| {
        list.iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    for u in &summary.units {
        let name = u
            .unit
            .as_ref()
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| heads.personal.to_string());
        out.write_record([
            name,
            grade(u.average),
            u.committed_met.to_string(),
            u.committed_missed.to_string(),
            grade(u.aspirational_average),
            (u.green + u.yellow + u.red).to_string(),
            u.ungraded.to_string(),
            titles(&u.carried),
            titles(&u.dropped),
            u.retrospectives.len().to_string(),
        ])
        .map_err(fail)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Malformed(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| AppError::Malformed(e.to_string()))
}
