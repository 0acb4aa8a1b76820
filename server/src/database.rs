//! Opening the database: data directory checks, connection, migrations.

use std::fs;
use std::path::Path;

use app::storage::Db;

use crate::cli::{DatabaseUrl, GlobalArgs};
use crate::error::StartupError;

/// Opens the configured database and brings its schema up to date.
pub async fn open(global: &GlobalArgs) -> Result<Db, StartupError> {
    prepare_data_dir(&global.data_dir)?;
    let database = global.database();
    let db = match &database {
        DatabaseUrl::SqliteFile(path) => Db::open_sqlite_file(path).await?,
        DatabaseUrl::SqliteUrl(url) => Db::open_sqlite_url(url).await?,
    };
    let applied = db.migrate().await?;
    tracing::info!(database = %database.describe(), migrations_applied = applied, "database ready");
    Ok(db)
}

/// `cairn migrate`: open, migrate, close.
pub async fn migrate_only(global: &GlobalArgs) -> Result<(), StartupError> {
    open(global).await?.close().await;
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
