//! The importer's sentences in the reader's language: what each column is read
//! as, why a file was not read, what is wrong on a row.

use cairn::sheet::amount::AmountProblem;
use cairn::sheet::{Column, Problem};

use super::model::FileProblem;
use crate::error::ProblemWords;
use crate::i18n::*;

type I18n = leptos_i18n::I18nContext<Locale>;

/// The problems' words of the page being rendered (pages render on the server;
/// the browser build has this page's code but never runs it).
pub fn problem_words(i18n: I18n) -> ProblemWords {
    #[cfg(feature = "ssr")]
    {
        ProblemWords::new(i18n)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = i18n;
        ProblemWords::from(Vec::new())
    }
}

pub fn column_label(i18n: I18n, column: Column) -> String {
    match column {
        Column::Objective => t_string!(i18n, sheets_col_objective),
        Column::KeyResult => t_string!(i18n, sheets_col_key_result),
        Column::Title => t_string!(i18n, sheets_col_title),
        Column::RowType => t_string!(i18n, sheets_col_row_type),
        Column::Description => t_string!(i18n, sheets_col_description),
        Column::Owner => t_string!(i18n, sheets_col_owner),
        Column::Unit => t_string!(i18n, sheets_col_unit),
        Column::Period => t_string!(i18n, sheets_col_period),
        Column::Parent => t_string!(i18n, sheets_col_parent),
        Column::Start => t_string!(i18n, sheets_col_start),
        Column::Target => t_string!(i18n, sheets_col_target),
        Column::Current => t_string!(i18n, sheets_col_current),
        Column::Measure => t_string!(i18n, sheets_col_measure),
        Column::Weight => t_string!(i18n, sheets_col_weight),
        Column::Commitment => t_string!(i18n, sheets_col_commitment),
        Column::Due => t_string!(i18n, sheets_col_due),
        Column::Confidence => t_string!(i18n, sheets_col_confidence),
    }
    .to_string()
}

pub fn file_problem(i18n: I18n, problem: &FileProblem) -> String {
    match problem {
        FileProblem::Empty => t_string!(i18n, sheets_file_empty).to_string(),
        FileProblem::TooLarge { max_mb } => {
            t_string!(i18n, sheets_file_too_large, max = *max_mb).to_string()
        }
        FileProblem::NotUtf8 { line } => {
            t_string!(i18n, sheets_file_not_utf8, line = *line).to_string()
        }
        FileProblem::Csv { line, .. } => t_string!(i18n, sheets_file_csv, line = *line).to_string(),
        FileProblem::Workbook(_) => t_string!(i18n, sheets_file_workbook).to_string(),
        FileProblem::NoSheet => t_string!(i18n, sheets_file_no_sheet).to_string(),
        FileProblem::Formula { cell } => {
            t_string!(i18n, sheets_file_formula, cell = cell.as_str()).to_string()
        }
        FileProblem::Merged { range } => {
            t_string!(i18n, sheets_file_merged, range = range.as_str()).to_string()
        }
        FileProblem::NoHeader => t_string!(i18n, sheets_file_no_header).to_string(),
        FileProblem::TooManyRows { max } => {
            t_string!(i18n, sheets_file_too_many_rows, max = *max).to_string()
        }
    }
}

/// What is wrong on a row, in one sentence.
pub fn row_problem(i18n: I18n, words: &ProblemWords, problem: &Problem) -> String {
    let value = |what: String, problem: &cairn::values::ValueError| {
        format!("{what}: {}", words.value(problem))
    };
    match problem {
        Problem::NoObjectiveColumn => t_string!(i18n, sheets_p_no_objective_column).to_string(),
        Problem::DoubleColumn => t_string!(i18n, sheets_p_double_column).to_string(),
        Problem::KeyResultWithoutObjective => {
            t_string!(i18n, sheets_p_key_result_first).to_string()
        }
        Problem::Title(p) => value(t_string!(i18n, sheets_p_title).to_string(), p),
        Problem::Text(p) => value(t_string!(i18n, sheets_p_text).to_string(), p),
        Problem::Weight(p) => value(t_string!(i18n, sheets_col_weight).to_string(), p),
        Problem::Confidence(p) => value(t_string!(i18n, sheets_col_confidence).to_string(), p),
        Problem::Amount(amount) => {
            let what = t_string!(i18n, sheets_p_number).to_string();
            let why = match amount {
                AmountProblem::Empty => t_string!(i18n, sheets_a_empty).to_string(),
                AmountProblem::NotANumber => t_string!(i18n, sheets_a_not_a_number).to_string(),
                AmountProblem::NotADuration => t_string!(i18n, sheets_a_not_a_duration).to_string(),
                AmountProblem::Number(p) => words.value(p),
            };
            format!("{what}: {why}")
        }
        Problem::Commitment(text) => {
            t_string!(i18n, sheets_p_commitment, text = text.as_str()).to_string()
        }
        Problem::Day(text) => t_string!(i18n, sheets_p_day, text = text.as_str()).to_string(),
        Problem::RowType(text) => {
            t_string!(i18n, sheets_p_row_type, text = text.as_str()).to_string()
        }
    }
}
