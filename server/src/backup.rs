//! `cairn backup`, `cairn restore` and `cairn check`: for operators.
//!
//! A backup is made while Cairn runs and writes. On SQLite it is a copy of the
//! database file (`VACUUM INTO`: one consistent snapshot); on PostgreSQL it is
//! `pg_dump`'s custom format where `pg_dump` is installed, else the exchange
//! document (which leaves out secrets: people then sign in again). `restore`
//! tells the three apart by their first bytes and puts any of them into an
//! empty installation; `check` verifies a database.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use app::storage::exchange::{self, ExchangeError};
use app::storage::verify::{Report, verify};
use app::storage::{Backend, Db};

use crate::cli::{BackupArgs, DatabaseUrl, GlobalArgs, RestoreArgs};
use crate::database;
use crate::error::StartupError;
use crate::exchange::{Bar, export_to_file};

/// What a backup file holds, told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupKind {
    SqliteFile,
    PgDump,
    Exchange,
}

impl BackupKind {
    fn of(path: &Path) -> Result<BackupKind, StartupError> {
        let read_error = |source| StartupError::Read {
            path: path.to_path_buf(),
            source,
        };
        let mut head = [0u8; 16];
        let mut file = fs::File::open(path).map_err(read_error)?;
        let n = file.read(&mut head).map_err(read_error)?;
        let head = &head[..n];
        if head.starts_with(b"SQLite format 3\0") {
            Ok(BackupKind::SqliteFile)
        } else if head.starts_with(b"PGDMP") {
            Ok(BackupKind::PgDump)
        } else if head.first() == Some(&b'{') {
            Ok(BackupKind::Exchange)
        } else {
            Err(StartupError::Exchange(ExchangeError::NotExchange))
        }
    }
}

/// `cairn backup --to FILE`.
pub async fn run_backup(global: &GlobalArgs, args: &BackupArgs) -> Result<(), StartupError> {
    if args.to.exists() {
        return Err(StartupError::Write {
            path: args.to.clone(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "it exists already; a backup never overwrites a file",
            ),
        });
    }
    let db = database::open(global).await?;
    let started = Instant::now();
    let outcome = backup(global, &db, &args.to).await;
    db.close().await;
    let how = outcome?;
    let size = fs::metadata(&args.to).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "Backed up to {} ({how}, {:.1} MB) in {:.1} s.",
        args.to.display(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn backup(global: &GlobalArgs, db: &Db, to: &Path) -> Result<&'static str, StartupError> {
    match (db.backend(), global.database()) {
        (Backend::Sqlite, _) => {
            exchange::sqlite_copy(db, to).await?;
            Ok("a copy of the SQLite database")
        }
        (Backend::Postgres, DatabaseUrl::Url(url)) if has("pg_dump") => {
            let status = Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(to)
                .arg(&url)
                .status()
                .map_err(|e| StartupError::Backup(format!("pg_dump did not start: {e}")))?;
            if !status.success() {
                let _ = fs::remove_file(to);
                return Err(StartupError::Backup(format!("pg_dump failed ({status})")));
            }
            Ok("pg_dump's custom format")
        }
        (Backend::Postgres, _) => {
            eprintln!(
                "pg_dump is not installed: writing the exchange document, which holds no secrets (after a restore, people sign in with a link or the identity provider)."
            );
            let bar = Bar::new("records");
            let summary = export_to_file(db, None, to, &bar).await;
            bar.finish();
            summary?;
            Ok("the exchange document")
        }
    }
}

/// Whether `program` can be run.
fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `cairn restore FILE`: into an empty installation.
pub async fn run_restore(global: &GlobalArgs, args: &RestoreArgs) -> Result<(), StartupError> {
    let kind = BackupKind::of(&args.from)?;
    let started = Instant::now();
    let target = database::open(global).await?;
    if let Some(what) = exchange::is_empty(&target).await? {
        target.close().await;
        return Err(ExchangeError::NotEmpty { what }.into());
    }
    let db = match (kind, sqlite_file(&global.database()), target.backend()) {
        (BackupKind::Exchange, _, _) => {
            import_file(&target, &args.from).await?;
            target
        }
        (BackupKind::SqliteFile, Some(path), _) => {
            // The whole file, secrets and all, in place of the empty one.
            target.close().await;
            for suffix in ["", "-wal", "-shm"] {
                let mut name = path.clone().into_os_string();
                name.push(suffix);
                let _ = fs::remove_file(PathBuf::from(name));
            }
            fs::copy(&args.from, &path).map_err(|source| StartupError::Write {
                path: path.clone(),
                source,
            })?;
            database::open(global).await?
        }
        (BackupKind::SqliteFile, _, _) => {
            eprintln!(
                "Moving a SQLite backup into {}: everything but secrets comes along (people sign in with a link or the identity provider afterwards).",
                target.engine()
            );
            move_from_sqlite(&target, &args.from).await?;
            target
        }
        (BackupKind::PgDump, _, Backend::Postgres) => {
            let url = match global.database() {
                DatabaseUrl::Url(url) => url,
                DatabaseUrl::SqliteFile(path) => path.display().to_string(),
            };
            target.close().await;
            let status = Command::new("pg_restore")
                .args([
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    "--dbname",
                ])
                .arg(&url)
                .arg(&args.from)
                .status()
                .map_err(|e| StartupError::Backup(format!("pg_restore did not start: {e}")))?;
            if !status.success() {
                return Err(StartupError::Backup(format!(
                    "pg_restore failed ({status})"
                )));
            }
            database::open(global).await?
        }
        (BackupKind::PgDump, _, _) => {
            target.close().await;
            return Err(StartupError::Backup(
                "this is a pg_dump backup: restore it into a PostgreSQL database (--database-url postgres://…)".into(),
            ));
        }
    };
    let report = verify(&db).await;
    db.close().await;
    eprintln!(
        "Restored {} in {:.1} s.",
        args.from.display(),
        started.elapsed().as_secs_f64()
    );
    print_report(&report?)
}

async fn import_file(db: &Db, path: &Path) -> Result<(), StartupError> {
    let file = fs::File::open(path).map_err(|source| StartupError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let bar = Bar::new("bytes");
    use app::storage::exchange::Progress;
    bar.start(file.metadata().ok().map(|m| m.len()));
    let outcome =
        exchange::import(db, std::io::BufReader::with_capacity(1 << 16, file), &bar).await;
    bar.finish();
    outcome?;
    Ok(())
}

/// A SQLite backup into another database: opened from a scratch copy (so the
/// backup itself is never changed), written out as the exchange document, read in.
async fn move_from_sqlite(target: &Db, backup: &Path) -> Result<(), StartupError> {
    let scratch = tempfile_dir()?;
    let copy = scratch.join("backup.db");
    fs::copy(backup, &copy).map_err(|source| StartupError::Write {
        path: copy.clone(),
        source,
    })?;
    let source = Db::open_sqlite_file(&copy).await?;
    source.migrate().await?;
    let document = scratch.join("backup.jsonl");
    let bar = Bar::new("records");
    let exported = export_to_file(&source, None, &document, &bar).await;
    bar.finish();
    source.close().await;
    exported?;
    let imported = import_file(target, &document).await;
    let _ = fs::remove_dir_all(&scratch);
    imported
}

fn tempfile_dir() -> Result<PathBuf, StartupError> {
    let dir = std::env::temp_dir().join(format!("cairn-restore-{}", std::process::id()));
    fs::create_dir_all(&dir).map_err(|source| StartupError::Write {
        path: dir.clone(),
        source,
    })?;
    Ok(dir)
}

/// The file of a SQLite database, given by path or by `sqlite:` URL.
fn sqlite_file(database: &DatabaseUrl) -> Option<PathBuf> {
    match database {
        DatabaseUrl::SqliteFile(path) => Some(path.clone()),
        DatabaseUrl::Url(url) => {
            let rest = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))?;
            let path = rest.split('?').next().unwrap_or_default();
            (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
        }
    }
}

/// `cairn check`.
pub async fn run_check(global: &GlobalArgs) -> Result<(), StartupError> {
    let db = database::open(global).await?;
    let report = verify(&db).await;
    db.close().await;
    print_report(&report?)
}

fn print_report(report: &Report) -> Result<(), StartupError> {
    println!(
        "Checked {} objectives, {} key results and {} check-ins.",
        report.objectives, report.key_results, report.check_ins
    );
    if report.findings.is_empty() {
        println!("All is well: every cached figure agrees with the check-ins.");
        return Ok(());
    }
    for finding in report.findings.iter().take(50) {
        println!("  - {finding}");
    }
    if report.findings.len() > 50 {
        println!("  … and {} more", report.findings.len() - 50);
    }
    Err(StartupError::Unsound(report.findings.len()))
}
