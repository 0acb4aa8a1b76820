//! Which column of a spreadsheet holds what, guessed from its header in English
//! or Dutch (or in the layout of another tool's export), for the admin to correct.

use serde::{Deserialize, Serialize};

crate::named!(
    /// What a column of an OKR spreadsheet holds.
    Column {
        /// The objective's title, on the row of each of its key results (or only
        /// on the first: blank below means "the same objective").
        Objective = "objective",
        /// The key result's title.
        KeyResult = "key_result",
        /// A title whose row's `Type` says whether it is an objective or a key
        /// result (other tools' exports list both in one column).
        Title = "title",
        /// "Objective" or "Key result" for the title on the row.
        RowType = "row_type",
        Description = "description",
        /// The owner, by email address or name.
        Owner = "owner",
        /// The owning unit, by name.
        Unit = "unit",
        /// The period, by name ("2027 Q1").
        Period = "period",
        /// What the objective aligns to, by title.
        Parent = "parent",
        Start = "start",
        Target = "target",
        Current = "current",
        /// The unit of measure ("%", "EUR", "klanten").
        Measure = "measure",
        Weight = "weight",
        /// Committed or aspirational.
        Commitment = "commitment",
        Due = "due",
        Confidence = "confidence",
    }
);

/// Headers people and tools write, normalised (see [`normal`]), by column.
const HEADERS: &[(Column, &[&str])] = &[
    (
        Column::Objective,
        &[
            "objective",
            "objectives",
            "objective title",
            "objective name",
            "doel",
            "doelen",
            "doelstelling",
            "doelstellingen",
            "ambitie",
        ],
    ),
    (
        Column::KeyResult,
        &[
            "key result",
            "key results",
            "key result title",
            "kr",
            "krs",
            "kernresultaat",
            "kernresultaten",
            "resultaat",
            "meetbaar resultaat",
        ],
    ),
    (Column::Title, &["title", "name", "titel", "naam"]),
    (
        Column::RowType,
        &["type", "item type", "okr type", "soort", "niveau"],
    ),
    (
        Column::Description,
        &[
            "description",
            "notes",
            "omschrijving",
            "beschrijving",
            "toelichting",
        ],
    ),
    (
        Column::Owner,
        &[
            "owner",
            "owners",
            "owner email",
            "owner name",
            "eigenaar",
            "verantwoordelijke",
            "trekker",
            "e-mail eigenaar",
        ],
    ),
    (
        Column::Unit,
        &[
            "team",
            "teams",
            "unit",
            "department",
            "afdeling",
            "eenheid",
            "team naam",
        ],
    ),
    (
        Column::Period,
        &[
            "period",
            "time period",
            "timeperiod",
            "quarter",
            "cycle",
            "periode",
            "kwartaal",
        ],
    ),
    (
        Column::Parent,
        &[
            "parent",
            "parent objective",
            "parent title",
            "aligned to",
            "aligns to",
            "alignment",
            "bovenliggend doel",
            "valt onder",
            "draagt bij aan",
        ],
    ),
    (
        Column::Start,
        &[
            "start",
            "start value",
            "baseline",
            "startwaarde",
            "beginwaarde",
            "nulmeting",
            "begin",
        ],
    ),
    (
        Column::Target,
        &[
            "target",
            "target value",
            "goal value",
            "streefwaarde",
            "doelwaarde",
            "norm",
            "doel waarde",
        ],
    ),
    (
        Column::Current,
        &[
            "current",
            "current value",
            "actual",
            "huidige waarde",
            "actueel",
            "stand",
            "realisatie",
        ],
    ),
    (
        Column::Measure,
        &[
            "unit of measure",
            "metric unit",
            "metric",
            "measure",
            "meeteenheid",
            "eenheid van meting",
            "maat",
            "uom",
        ],
    ),
    (
        Column::Weight,
        &["weight", "weighting", "gewicht", "weging"],
    ),
    (
        Column::Commitment,
        &[
            "commitment",
            "committed aspirational",
            "committed or aspirational",
            "okr kind",
            "soort doel",
            "ambitieniveau",
        ],
    ),
    (
        Column::Due,
        &[
            "due",
            "due date",
            "end date",
            "deadline",
            "einddatum",
            "uiterlijk",
        ],
    ),
    (
        Column::Confidence,
        &["confidence", "vertrouwen", "zekerheid"],
    ),
];

/// A header as compared: lower case, accents and punctuation gone, single spaces.
pub fn normal(header: &str) -> String {
    let folded: String = header
        .trim()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' | 'Ä' | 'Â' => 'a',
            'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' | 'Ö' | 'Ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The column a header names, if it is one Cairn knows.
pub fn guess(header: &str) -> Option<Column> {
    let header = normal(header);
    HEADERS
        .iter()
        .find(|(_, names)| names.iter().any(|n| normal(n) == header))
        .map(|(column, _)| *column)
}

/// A guess for every header; a column is given to its first header only.
pub fn guess_all(headers: &[String]) -> Vec<Option<Column>> {
    let mut taken: Vec<Column> = Vec::new();
    headers
        .iter()
        .map(|h| {
            let column = guess(h).filter(|c| !taken.contains(c))?;
            taken.push(column);
            Some(column)
        })
        .collect()
}

/// What the admin settled on: for each of the sheet's columns, what it holds
/// (None: leave it out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping(pub Vec<Option<Column>>);

impl Mapping {
    /// The index of the sheet column holding `column`.
    pub fn find(&self, column: Column) -> Option<usize> {
        self.0.iter().position(|c| *c == Some(column))
    }

    /// Columns given to more than one sheet column: a mapping must name each once.
    pub fn doubles(&self) -> Vec<Column> {
        let mut seen = Vec::new();
        let mut doubles = Vec::new();
        for column in self.0.iter().flatten() {
            if seen.contains(column) {
                if !doubles.contains(column) {
                    doubles.push(*column);
                }
            } else {
                seen.push(*column);
            }
        }
        doubles
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_dutch_headers_are_recognised() {
        let headers: Vec<String> = [
            "Doelstelling",
            "Kernresultaat",
            "Eigenaar",
            "Startwaarde",
            "Streefwaarde",
            "Huidige waarde",
            "Eenheid van meting",
            "Weging",
            "Periode",
            "Opmerkingen van Piet",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            guess_all(&headers),
            vec![
                Some(Column::Objective),
                Some(Column::KeyResult),
                Some(Column::Owner),
                Some(Column::Start),
                Some(Column::Target),
                Some(Column::Current),
                Some(Column::Measure),
                Some(Column::Weight),
                Some(Column::Period),
                None,
            ]
        );
        assert_eq!(guess("  Key Result "), Some(Column::KeyResult));
        assert_eq!(guess("Target value"), Some(Column::Target));
        assert_eq!(guess("Committed / Aspirational"), Some(Column::Commitment));
        assert_eq!(guess("Beschrijving"), Some(Column::Description));
        assert_eq!(guess("Tijdstip"), None);
    }

    #[test]
    fn a_column_is_given_once_and_doubles_are_named() {
        let headers: Vec<String> = ["Owner", "Eigenaar"].map(String::from).to_vec();
        assert_eq!(guess_all(&headers), vec![Some(Column::Owner), None]);
        let mapping = Mapping(vec![Some(Column::Owner), Some(Column::Owner), None]);
        assert_eq!(mapping.doubles(), vec![Column::Owner]);
        assert_eq!(mapping.find(Column::Owner), Some(0));
    }
}
