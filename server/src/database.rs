//! Opening the database: data directory checks, connection, migrations.

use std::fs;
use std::path::Path;

use app::storage::Db;

use std::io::IsTerminal;

use crate::cli::{DatabaseUrl, DemoArgs, GlobalArgs, MigrateArgs};
use crate::demo;
use crate::error::StartupError;

/// Opens the configured database and brings its schema up to date.
pub async fn open(global: &GlobalArgs) -> Result<Db, StartupError> {
    let db = connect(global).await?;
    let applied = db.migrate().await?;
    tracing::info!(database = %global.database().describe(), migrations_applied = applied, "database ready");
    Ok(db)
}

/// Opens the configured database as it is.
async fn connect(global: &GlobalArgs) -> Result<Db, StartupError> {
    prepare_data_dir(&global.data_dir)?;
    let db = match &global.database() {
        DatabaseUrl::SqliteFile(path) => Db::open_sqlite_file(path).await?,
        DatabaseUrl::Url(url) => Db::open(url).await?,
    };
    Ok(db.with_clock(global.clock()))
}

/// `cairn migrate`: open, migrate, close; with `--dry-run`, only say what would run.
pub async fn migrate_only(global: &GlobalArgs, args: &MigrateArgs) -> Result<(), StartupError> {
    if !args.dry_run {
        open(global).await?.close().await;
        return Ok(());
    }
    let db = connect(global).await?;
    let status = db.schema_status().await;
    db.close().await;
    let status = status?;
    if let Some(newest) = status.unknown.iter().max() {
        return Err(app::storage::StorageError::SchemaNewer {
            database: *newest,
            known: status.known,
        }
        .into());
    }
    if status.pending.is_empty() {
        println!(
            "The schema is up to date (migration {}): nothing would change.",
            status.known
        );
    } else {
        println!(
            "{} migration(s) would run, in this order:",
            status.pending.len()
        );
        for migration in &status.pending {
            println!("  {:04} {}", migration.version, migration.description);
        }
    }
    Ok(())
}

/// `cairn demo`: open, migrate, fill with a demo organisation.
pub async fn demo(global: &GlobalArgs, args: &DemoArgs) -> Result<(), StartupError> {
    let db = open(global).await?;
    let today = db.clock().today();
    let summary = demo::generate(
        &db,
        args.size,
        args.seed,
        today,
        std::io::stderr().is_terminal(),
    )
    .await?;
    db.close().await;
    println!(
        "Generated {}: {} people, {} objectives, {} key results, {} check-ins.",
        summary.organisation,
        summary.people,
        summary.objectives,
        summary.key_results,
        summary.check_ins
    );
    println!(
        "Everyone in it signs in with their email address and the password `{}`.",
        demo::DEMO_PASSWORD
    );
    Ok(())
}

/// Generates the default demo organisation when the database has none yet.
pub async fn demo_if_empty(db: &Db) -> Result<(), StartupError> {
    if app::storage::bulk::is_empty(db).await? {
        tracing::info!("empty database: generating the demo organisation");
        let today = db.clock().today();
        demo::generate(db, demo::Size::Default, 2026, today, false).await?;
        tracing::info!(
            password = demo::DEMO_PASSWORD,
            "demo people sign in with their email address and this password"
        );
    }
    Ok(())
}

/// Creates the data directory if needed and proves that Cairn can write in it, so
/// a permission problem is reported as such rather than as a database error. The
/// probe is named after the process, so nodes starting together never remove each
/// other's probe.
fn prepare_data_dir(path: &Path) -> Result<(), StartupError> {
    fs::create_dir_all(path).map_err(|source| StartupError::DataDirCreate {
        path: path.to_path_buf(),
        source,
    })?;
    let probe = path.join(format!(".cairn-write-check-{}", std::process::id()));
    fs::write(&probe, b"")
        .and_then(|()| fs::remove_file(&probe))
        .map_err(|source| StartupError::DataDirNotWritable {
            path: path.to_path_buf(),
            source,
        })
}
