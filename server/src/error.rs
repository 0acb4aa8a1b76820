//! Why the executable stopped: each variant reads as one sentence for the operator.

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use app::storage::StorageError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StartupError {
    #[error("the data directory {} cannot be created: {source}", path.display())]
    DataDirCreate { path: PathBuf, source: io::Error },
    #[error("the data directory {} is not writable: {source}", path.display())]
    DataDirNotWritable { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Exchange(#[from] app::storage::exchange::ExchangeError),
    #[error("the spreadsheet was not imported: {0}")]
    Sheet(String),
    #[error("the backup failed: {0}")]
    Backup(String),
    #[error("the check found {0} problem(s), listed above")]
    Unsound(usize),
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Period(#[from] crate::periods::PeriodRefusal),
    #[error("cannot listen on {addr}: {reason}")]
    Bind { addr: SocketAddr, reason: String },
    #[error("the sign-in settings do not work: {}", .0.join("; "))]
    SignIn(Vec<String>),
    #[error("the mail settings do not work: {}", .0.join("; "))]
    Mail(Vec<String>),
    #[error("the test message was not sent: {0}")]
    MailTest(String),
    #[error("cannot start the metrics: {0}")]
    Metrics(String),
    #[error("cannot start sending webhooks: {0}")]
    Webhooks(String),
    #[error("cannot listen for stop signals: {0}")]
    Signals(io::Error),
    #[error("the server stopped unexpectedly: {0}")]
    Serve(io::Error),
}

impl StartupError {
    pub fn bind(addr: SocketAddr, error: io::Error) -> Self {
        let reason = match error.kind() {
            io::ErrorKind::AddrInUse => {
                "the port is already in use (is another Cairn running?)".to_string()
            }
            io::ErrorKind::PermissionDenied => {
                "permission denied (ports below 1024 need privileges)".to_string()
            }
            io::ErrorKind::AddrNotAvailable => "this machine has no such address".to_string(),
            _ => error.to_string(),
        };
        StartupError::Bind { addr, reason }
    }
}
