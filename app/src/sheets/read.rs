//! A spreadsheet file as rows of text: a CSV file (UTF-8, separated by `;`, `,`
//! or tabs, as Dutch and English Excel save them) or an Excel workbook (.xlsx,
//! its first sheet). What cannot be read faithfully is refused with the reason:
//! text in another encoding, formulas, merged cells.

use std::io::Cursor;

use cairn::numbers::NumberStyle;
use cairn::sheet::Sheet;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

pub use super::model::{FileProblem, MAX_BYTES};

/// The most rows read: far more than any organisation's OKRs.
pub const MAX_ROWS: usize = 20_000;

/// Reads `bytes` (a file called `name`); numbers in a workbook are written in
/// `style`, so that they are read back exactly as the cells hold them.
pub fn read(name: &str, bytes: &[u8], style: NumberStyle) -> Result<Sheet, FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(FileProblem::TooLarge {
            max_mb: MAX_BYTES / (1024 * 1024),
        });
    }
    let workbook = bytes.starts_with(b"PK\x03\x04") || name.to_lowercase().ends_with(".xlsx");
    let mut rows = if workbook {
        workbook_rows(bytes, style)?
    } else {
        csv_rows(bytes)?
    };
    // Trailing empty rows and columns say nothing.
    while rows
        .last()
        .is_some_and(|r| r.iter().all(|c| c.trim().is_empty()))
    {
        rows.pop();
    }
    if rows.len() > MAX_ROWS + 1 {
        return Err(FileProblem::TooManyRows { max: MAX_ROWS });
    }
    let mut rows = rows.into_iter();
    let headers = rows.next().ok_or(FileProblem::NoHeader)?;
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(FileProblem::NoHeader);
    }
    Ok(Sheet {
        headers,
        rows: rows.collect(),
    })
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, FileProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(error) = std::str::from_utf8(bytes) {
        let line = 1 + bytes[..error.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        return Err(FileProblem::NotUtf8 { line });
    }
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |sep: u8| first.iter().filter(|b| **b == sep).count();
    let separator = [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|sep| count(*sep))
        .filter(|sep| count(*sep) > 0)
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| FileProblem::Csv {
            line: e.position().map_or(i + 1, |p| p.line() as usize),
            reason: e.to_string(),
        })?;
        rows.push(record.iter().map(str::to_string).collect());
        if rows.len() > MAX_ROWS + 1 {
            return Err(FileProblem::TooManyRows { max: MAX_ROWS });
        }
    }
    Ok(rows)
}

fn workbook_rows(bytes: &[u8], style: NumberStyle) -> Result<Vec<Vec<String>>, FileProblem> {
    let unreadable = |e: calamine::XlsxError| FileProblem::Workbook(e.to_string());
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(FileProblem::NoSheet)?;
    let merged = book
        .worksheet_merge_cells(&name)
        .transpose()
        .map_err(unreadable)?
        .unwrap_or_default();
    if let Some(region) = merged.first() {
        return Err(FileProblem::Merged {
            range: format!(
                "{}:{}",
                cell_name(region.start.0, region.start.1),
                cell_name(region.end.0, region.end.1)
            ),
        });
    }
    let formulas = book.worksheet_formula(&name).map_err(unreadable)?;
    if let Some((row, col, _)) = formulas.used_cells().find(|(_, _, f)| !f.is_empty()) {
        let (top, left) = formulas.start().unwrap_or((0, 0));
        return Err(FileProblem::Formula {
            cell: cell_name(top + row as u32, left + col as u32),
        });
    }
    let range = book.worksheet_range(&name).map_err(unreadable)?;
    Ok(range
        .rows()
        .map(|row| row.iter().map(|cell| text(cell, style)).collect())
        .collect())
}

/// A cell as the admin would have typed it.
fn text(cell: &Data, style: NumberStyle) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => style.write(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(moment) => {
            let serial = moment.as_f64();
            if moment.is_duration() || (0.0..1.0).contains(&serial) {
                let seconds = (serial * 86_400.0).round() as i64;
                format!(
                    "{}:{:02}:{:02}",
                    seconds / 3600,
                    seconds / 60 % 60,
                    seconds % 60
                )
            } else {
                // Excel counts days from 1899-12-30.
                chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                    .and_then(|epoch| {
                        epoch.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
                    })
                    .map(|day| day.format("%Y-%m-%d").to_string())
                    .unwrap_or_default()
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// `B3` for row 2, column 1 (both from 0).
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.insert(0, (b'A' + rest as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dutch_and_english_csv_files_are_read() {
        let dutch = "Doelstelling;Kernresultaat;Streefwaarde\nGroei;Omzet;\"12.000,5\"\n";
        let sheet = read("okr.csv", dutch.as_bytes(), NumberStyle::Comma).unwrap();
        assert_eq!(
            sheet.headers,
            ["Doelstelling", "Kernresultaat", "Streefwaarde"]
        );
        assert_eq!(sheet.rows, [["Groei", "Omzet", "12.000,5"]]);
        let english = "\u{feff}Objective,Key result,Target\nGrow,\"Revenue, net\",\"12,000.5\"\n\n";
        let sheet = read("okr.csv", english.as_bytes(), NumberStyle::Point).unwrap();
        assert_eq!(sheet.rows, [["Grow", "Revenue, net", "12,000.5"]]);
    }

    #[test]
    fn what_cannot_be_read_faithfully_is_refused() {
        // "Café" in Windows-1252: é is 0xE9.
        let latin = b"Doel;Eigenaar\nCaf\xe9 open;anna\n";
        assert_eq!(
            read("okr.csv", latin, NumberStyle::Comma),
            Err(FileProblem::NotUtf8 { line: 2 })
        );
        assert_eq!(
            read("okr.csv", b"", NumberStyle::Comma),
            Err(FileProblem::Empty)
        );
        assert_eq!(
            read("okr.csv", &vec![b'a'; MAX_BYTES + 1], NumberStyle::Comma),
            Err(FileProblem::TooLarge { max_mb: 10 })
        );
        assert!(matches!(
            read(
                "okr.xlsx",
                b"PK\x03\x04 not really a workbook",
                NumberStyle::Comma
            ),
            Err(FileProblem::Workbook(_))
        ));
        assert_eq!(
            read("okr.csv", b"\n\n", NumberStyle::Comma),
            Err(FileProblem::NoHeader)
        );
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/fixtures/sheets/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn a_workbook_is_read_with_its_numbers_in_the_readers_style() {
        let sheet = read("team.xlsx", &fixture("team.xlsx"), NumberStyle::Comma).unwrap();
        assert_eq!(sheet.headers[0], "Doelstelling");
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[0][3..6], ["32", "45", "36,5"]);
        assert_eq!(sheet.rows[0][7], "2027-03-31");
        // 1.234 stays a little over one, never twelve hundred: written so that no
        // reader could take it for thousands.
        assert_eq!(sheet.rows[1][5], "1,2340");
        assert_eq!(sheet.rows[1][0], "");
        let plan = cairn::sheet::plan(
            &sheet,
            &cairn::sheet::Mapping(cairn::sheet::guess_all(&sheet.headers)),
            NumberStyle::Comma,
        );
        assert_eq!(plan.problems, vec![]);
        assert_eq!(plan.objectives[0].key_results[1].current, Some(1.234));
        assert_eq!(plan.objectives[0].key_results[1].start, Some(1234.5));
    }

    #[test]
    fn formulas_and_merged_cells_are_refused_by_cell() {
        assert_eq!(
            read("formula.xlsx", &fixture("formula.xlsx"), NumberStyle::Comma),
            Err(FileProblem::Formula { cell: "E3".into() })
        );
        assert_eq!(
            read("merged.xlsx", &fixture("merged.xlsx"), NumberStyle::Comma),
            Err(FileProblem::Merged {
                range: "A2:A3".into()
            })
        );
    }

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(2, 1), "B3");
        assert_eq!(cell_name(9, 26), "AA10");
    }

    proptest! {
        #[test]
        fn any_bytes_are_read_or_refused_without_panic(
            bytes in proptest::collection::vec(any::<u8>(), 0..600),
            workbook in any::<bool>(),
        ) {
            let mut bytes = bytes;
            if workbook {
                let mut zip = b"PK\x03\x04".to_vec();
                zip.extend(bytes);
                bytes = zip;
            }
            let _ = read("sheet", &bytes, NumberStyle::Comma);
        }
    }
}
