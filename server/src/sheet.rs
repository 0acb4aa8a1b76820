//! `cairn import-sheet`: OKRs from a spreadsheet on the console. The file is read,
//! its columns guessed from their headers, its rows planned; problems and names that
//! match nothing are listed; then everything is stored, or nothing.

use std::fmt::Write as _;

use app::sheets::read::read;
use app::storage::sheets::{Choices, SheetRefusal, matches, store};
use cairn::numbers::NumberStyle;
use cairn::sheet::{Mapping, Plan, guess_all, plan};

use crate::cli::{GlobalArgs, ImportSheetArgs};
use crate::database;
use crate::error::StartupError;

pub async fn run(global: &GlobalArgs, args: &ImportSheetArgs) -> Result<(), StartupError> {
    let bytes = std::fs::read(&args.file).map_err(|source| StartupError::Read {
        path: args.file.clone(),
        source,
    })?;
    let style = NumberStyle::of_language(&args.language);
    let name = args.file.file_name().unwrap_or_default().to_string_lossy();
    let sheet = read(&name, &bytes, style).map_err(|e| StartupError::Sheet(e.to_string()))?;
    let mapping = Mapping(guess_all(&sheet.headers));
    println!("Columns:");
    for (header, column) in sheet.headers.iter().zip(&mapping.0) {
        let column = column.map_or("(left out)", |c| c.as_str());
        println!("  {header:<28} {column}");
    }
    let planned = plan(&sheet, &mapping, style);
    if !planned.problems.is_empty() {
        println!("Problems:");
        for p in &planned.problems {
            let column = p
                .column
                .map_or(String::new(), |c| format!(" ({})", c.as_str()));
            println!("  row {}{column}: {}", p.row, p.problem);
        }
        return Err(StartupError::Sheet(format!(
            "{} problem(s) in the sheet",
            planned.problems.len()
        )));
    }
    print!("{}", preview(&planned));
    let db = database::open(global).await?;
    let outcome = if args.dry_run {
        matches(&db, &planned)
            .await
            .map(|m| {
                let open = m.unmatched();
                if !open.is_empty() {
                    println!("Not found in Cairn: {open:?}");
                }
            })
            .map_err(StartupError::Storage)
    } else {
        match store(&db, None, &planned, &Choices::default()).await {
            Ok(stored) => {
                println!(
                    "Imported {} objectives, {} key results and {} current values.",
                    stored.objectives.len(),
                    stored.key_results,
                    stored.check_ins
                );
                Ok(())
            }
            Err(SheetRefusal::Unmatched(open)) => {
                for (what, names) in [
                    ("owners", &open.owners),
                    ("units", &open.units),
                    ("periods", &open.periods),
                    ("parents", &open.parents),
                ] {
                    if !names.is_empty() {
                        println!("No {what} in Cairn called: {}", names.join(", "));
                    }
                }
                Err(StartupError::Sheet(
                    "some names match nothing in Cairn; nothing was stored".into(),
                ))
            }
            Err(other) => Err(StartupError::Sheet(format!("{other}; nothing was stored"))),
        }
    };
    db.close().await;
    outcome
}

/// The objectives and their key results, as a tree in text.
fn preview(planned: &Plan) -> String {
    let mut text = String::new();
    for objective in &planned.objectives {
        let _ = writeln!(
            text,
            "- {} (row {})",
            objective.title.as_str(),
            objective.row
        );
        for key_result in &objective.key_results {
            let numbers = match (key_result.start, key_result.target) {
                (Some(start), Some(target)) => format!(": {start} → {target}"),
                _ => String::new(),
            };
            let _ = writeln!(text, "    - {}{numbers}", key_result.title.as_str());
        }
    }
    text
}
