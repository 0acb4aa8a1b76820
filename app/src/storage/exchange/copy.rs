//! A consistent copy of a SQLite database while it runs and writes: SQLite's
//! `VACUUM INTO` reads one snapshot and writes a new, compact file.

use std::path::Path;

use crate::storage::{Backend, Db, StorageError};

/// Writes a copy of the SQLite database to `to`, which must not exist yet.
pub async fn sqlite_copy(db: &Db, to: &Path) -> Result<(), StorageError> {
    if db.backend() != Backend::Sqlite {
        return Err(StorageError::corrupt(
            "a file copy is made of SQLite databases only",
        ));
    }
    sqlx::query("VACUUM INTO $1")
        .bind(to.to_string_lossy().into_owned())
        .execute(db.reader())
        .await?;
    Ok(())
}
