//! Storage: the one place SQL lives. Each function runs one query on the shared pool.

mod db;
pub mod instance;

pub use db::{Db, StorageError};

use crate::error::AppError;

impl From<StorageError> for AppError {
    /// Keeps database details on the server: they go to the log, the client
    /// learns only that the database could not answer.
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::NotFound => AppError::NotFound,
            other => {
                tracing::error!(error = %other, "storage failed");
                AppError::Unavailable
            }
        }
    }
}
