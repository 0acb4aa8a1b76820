//! `cairn export` and `cairn import`: the exchange document on the console, with a
//! progress bar when someone is watching.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use app::storage::exchange::{self, Progress, json_schema};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{ExportArgs, GlobalArgs, ImportArgs};
use crate::database;
use crate::error::StartupError;

/// A progress bar on standard error, or nothing when it is not a terminal.
pub struct Bar(ProgressBar);

impl Bar {
    pub fn new(what: &'static str) -> Self {
        let bar = if io::stderr().is_terminal() {
            ProgressBar::new(0)
        } else {
            ProgressBar::hidden()
        };
        let template = match what {
            "bytes" => "{spinner} [{bar:30}] {bytes}/{total_bytes}, {bytes_per_sec}, {elapsed}",
            _ => "{spinner} [{bar:30}] {human_pos}/{human_len} records, {per_sec}, {elapsed}",
        };
        bar.set_style(
            ProgressStyle::with_template(template)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Bar(bar)
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn start(&self, total: Option<u64>) {
        if let Some(total) = total {
            self.0.set_length(total);
        }
    }
    fn at(&self, done: u64) {
        self.0.set_position(done);
    }
}

/// `cairn export`.
pub async fn run_export(global: &GlobalArgs, args: &ExportArgs) -> Result<(), StartupError> {
    if args.schema {
        print!("{}", json_schema::text());
        return Ok(());
    }
    let db = database::open(global).await?;
    let started = Instant::now();
    let bar = Bar::new("records");
    let outcome = match &args.to {
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            export_some(&db, args.slice(), &mut out, &bar)
                .await
                .map_err(StartupError::from)
        }
        Some(path) => export_to_file(&db, args.slice(), path, &bar).await,
    };
    bar.finish();
    db.close().await;
    let summary = outcome?;
    eprintln!(
        "Exported {} records in {:.1} s: {}.",
        summary.total(),
        started.elapsed().as_secs_f64(),
        summary.describe()
    );
    Ok(())
}

/// Writes beside `path` and renames when whole: a failed export leaves no
/// half document where a whole one is expected.
/// The whole installation, or one slice of it.
async fn export_some(
    db: &app::storage::Db,
    slice: Option<exchange::Slice>,
    out: &mut impl Write,
    progress: &dyn Progress,
) -> Result<exchange::Summary, exchange::ExchangeError> {
    match slice {
        None => exchange::export(db, out, progress).await,
        Some(slice) => exchange::export_slice(db, slice, out, progress).await,
    }
}

pub async fn export_to_file(
    db: &app::storage::Db,
    slice: Option<exchange::Slice>,
    path: &Path,
    progress: &dyn Progress,
) -> Result<exchange::Summary, StartupError> {
    let partial = partial_path(path);
    let write_error = |source| StartupError::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = File::create(&partial).map_err(write_error)?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let summary = match export_some(db, slice, &mut out, progress).await {
        Ok(summary) => summary,
        Err(error) => {
            drop(out);
            let _ = fs::remove_file(&partial);
            return Err(error.into());
        }
    };
    let file = out.into_inner().map_err(|e| write_error(e.into_error()))?;
    file.sync_all().map_err(write_error)?;
    fs::rename(&partial, path).map_err(write_error)?;
    Ok(summary)
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// `cairn import`.
pub async fn run_import(global: &GlobalArgs, args: &ImportArgs) -> Result<(), StartupError> {
    let db = database::open(global).await?;
    let started = Instant::now();
    let bar = Bar::new("bytes");
    let outcome = if args.from == Path::new("-") {
        exchange::import(&db, io::stdin().lock(), &bar).await
    } else {
        let read_error = |source| StartupError::Read {
            path: args.from.clone(),
            source,
        };
        let file = File::open(&args.from).map_err(read_error)?;
        bar.start(file.metadata().ok().map(|m| m.len()));
        exchange::import(&db, BufReader::with_capacity(1 << 16, file), &bar).await
    };
    bar.finish();
    db.close().await;
    let summary = outcome?;
    let _ = io::stdout().flush();
    eprintln!(
        "Imported {} records in {:.1} s: {}.",
        summary.total(),
        started.elapsed().as_secs_f64(),
        summary.describe()
    );
    Ok(())
}

/// `GET /exchange/v1.schema.json`: the document's JSON Schema, for anyone.
pub async fn schema() -> axum::response::Response {
    use axum::response::IntoResponse;
    static TEXT: std::sync::LazyLock<String> = std::sync::LazyLock::new(json_schema::text);
    (
        [(axum::http::header::CONTENT_TYPE, "application/schema+json")],
        TEXT.as_str(),
    )
        .into_response()
}
