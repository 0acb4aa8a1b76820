//! Opening the database: data directory checks, connection, migrations.

use std::fs;
use std::path::Path;

use app::storage::Db;

use std::io::IsTerminal;

use crate::cli::{DatabaseUrl, DemoArgs, GlobalArgs};
use crate::demo;
use crate::error::StartupError;

/// Opens the configured database and brings its schema up to date.
pub async fn open(global: &GlobalArgs) -> Result<Db, StartupError> {
    prepare_data_dir(&global.data_dir)?;
    let database = global.database();
    let db = match &database {
        DatabaseUrl::SqliteFile(path) => Db::open_sqlite_file(path).await?,
        DatabaseUrl::Url(url) => Db::open(url).await?,
    }
    .with_clock(global.clock());
    let applied = db.migrate().await?;
    tracing::info!(database = %database.describe(), migrations_applied = applied, "database ready");
    Ok(db)
}

/// `cairn migrate`: open, migrate, close.
pub async fn migrate_only(global: &GlobalArgs) -> Result<(), StartupError> {
    open(global).await?.close().await;
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
/// a permission problem is reported as such rather than as a database error.
fn prepare_data_dir(path: &Path) -> Result<(), StartupError> {
    fs::create_dir_all(path).map_err(|source| StartupError::DataDirCreate {
        path: path.to_path_buf(),
        source,
    })?;
    let probe = path.join(".cairn-write-check");
    fs::write(&probe, b"")
        .and_then(|()| fs::remove_file(&probe))
        .map_err(|source| StartupError::DataDirNotWritable {
            path: path.to_path_buf(),
            source,
        })
}
