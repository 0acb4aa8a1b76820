//! Command line and environment: every setting has a flag and a `CAIRN_` variable.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};
use tracing_subscriber::EnvFilter;

pub mod api;
pub mod config;
pub mod mail;
mod parse;
pub mod sign_in;
use parse::*;

/// The commit this executable was built from (see build.rs).
pub const COMMIT: &str = env!("CAIRN_COMMIT");

/// What `cairn --version` says: the release and the commit.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("CAIRN_COMMIT"),
    ")"
);

#[derive(Debug, Parser)]
#[command(name = "cairn", version = VERSION, about = "Cairn, a self-hosted OKR portal")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once at start: the size of `serve`'s settings costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal over HTTP (migrates the database first).
    Serve(ServeArgs),
    /// Bring the database schema up to date, then exit.
    Migrate(MigrateArgs),
    /// Fill an empty database with a demo organisation, then exit.
    Demo(DemoArgs),
    /// Manage accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// The configuration: `cairn config check` prints the effective settings of
    /// `cairn serve`, where each comes from, and every problem with them.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Manage periods: the years, quarters and custom periods OKRs are set for.
    #[command(subcommand)]
    Period(PeriodCommand),
    /// Write the whole installation as an exchange document (JSON Lines, see
    /// docs/exchange.md): `cairn export --to okrs.jsonl`.
    Export(ExportArgs),
    /// Read an exchange document into a new, empty installation:
    /// `cairn import okrs.jsonl`. All of it is stored, or nothing.
    Import(ImportArgs),
    /// Objectives and key results from a spreadsheet (.csv or .xlsx): every
    /// problem listed by row, names that match nothing listed, then all stored or
    /// nothing. `--dry-run` shows what would be made.
    ImportSheet(ImportSheetArgs),
    /// A consistent backup while Cairn runs: `cairn backup --to cairn-2026-12-06.db`.
    Backup(BackupArgs),
    /// Put a backup (or an exchange document) into a new, empty installation,
    /// then check it.
    Restore(RestoreArgs),
    /// Check the database: integrity, foreign keys, and every cached progress
    /// against the check-ins. Exits 1 when something is wrong.
    Check,
    /// Mail: `cairn mail test --to you@example.com` sends one message and says
    /// exactly what the SMTP server answered.
    #[command(subcommand)]
    Mail(MailCommand),
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Send one test message now (or queue it with --queue).
    Test(mail::MailTestArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write; standard output when left out. The file appears whole
    /// or not at all.
    #[arg(long)]
    pub to: Option<PathBuf>,
    /// Print the document's JSON Schema instead.
    #[arg(long)]
    pub schema: bool,
    /// Only this unit (by id) and those below it, with `--period`: their
    /// objectives of the period and what those align to.
    #[arg(long, requires = "period", conflicts_with = "schema")]
    pub unit: Option<i64>,
    /// The period (by id) of `--unit`.
    #[arg(long, requires = "unit", conflicts_with = "schema")]
    pub period: Option<i64>,
}

impl ExportArgs {
    /// The slice asked for, if any.
    pub fn slice(&self) -> Option<app::storage::exchange::Slice> {
        Some(app::storage::exchange::Slice {
            unit: self.unit?,
            period: self.period?,
        })
    }
}

#[derive(Debug, Args)]
pub struct ImportSheetArgs {
    /// The spreadsheet: CSV (UTF-8) or an Excel workbook.
    pub file: PathBuf,
    /// How the sheet writes numbers: `nl` (12.000,5) or `en` (12,000.5).
    #[arg(long, default_value = "nl")]
    pub language: String,
    /// Show the objectives and key results that would be made, and store nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet.
    #[arg(long)]
    pub to: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup made by `cairn backup`, or an exchange document.
    pub from: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The document to read; `-` for standard input.
    pub from: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective settings (secrets hidden) and every problem; exit 1 if any.
    Check,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// List the migrations that would run, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum PeriodCommand {
    /// Create a period, such as the next quarter:
    /// `cairn period create --kind quarter --name "2027 Q1" --starts 2027-01-01 --ends 2027-03-31 --within 2027`.
    Create(PeriodCreateArgs),
}

#[derive(Debug, Args)]
pub struct PeriodCreateArgs {
    /// year, quarter, custom, or backlog (undated drafts).
    #[arg(long, value_parser = parse_period_kind)]
    pub kind: cairn::period::PeriodKind,
    /// How people will see it: "2027", "2027 Q1".
    #[arg(long, value_parser = parse_name)]
    pub name: cairn::values::Name,
    /// First day (2027-01-01); every kind but the backlog has one.
    #[arg(long)]
    pub starts: Option<chrono::NaiveDate>,
    /// Last day (2027-03-31).
    #[arg(long)]
    pub ends: Option<chrono::NaiveDate>,
    /// The period it lies in, by name: a quarter's year.
    #[arg(long)]
    pub within: Option<String>,
    /// planning (the default: OKRs are drafted) or active (check-ins start).
    #[arg(long, default_value = "planning", value_parser = parse_period_state)]
    pub state: cairn::period::PeriodState,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Make someone an admin (creating the person if needed) and print a one-time
    /// sign-in link for them.
    Create(AdminCreateArgs),
}

#[derive(Debug, Args)]
pub struct AdminCreateArgs {
    /// The admin's email address; an existing person with it becomes an admin.
    #[arg(long, value_parser = parse_email)]
    pub email: cairn::values::Email,
    /// Their name, for a person who does not exist yet.
    #[arg(long, default_value = "Administrator", value_parser = parse_name)]
    pub name: cairn::values::Name,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How big an organisation: `default` (about 200 people) or `large` (about 10,000).
    #[arg(long, value_enum, default_value = "default")]
    pub size: crate::demo::Size,
    /// The same seed gives the same organisation.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// A TOML file of settings, by the flags' names (`bind = "0.0.0.0:3000"`). A
    /// flag wins over its environment variable, which wins over the file.
    #[arg(long, env = "CAIRN_CONFIG", global = true)]
    pub config: Option<PathBuf>,

    /// Directory for Cairn's own files; the default SQLite database lives here.
    #[arg(long, env = "CAIRN_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Database to use: a SQLite file path, a `sqlite:` URL or a `postgres://` URL.
    /// Default: `cairn.db` inside the data directory.
    #[arg(long, env = "CAIRN_DATABASE_URL", global = true, value_parser = DatabaseUrl::parse)]
    pub database_url: Option<DatabaseUrl>,

    /// Log filter: a level (error, warn, info, debug, trace) or per-module directives
    /// such as `info,sqlx=warn`.
    #[arg(long, env = "CAIRN_LOG", default_value = "info", global = true, value_parser = parse_log_filter)]
    pub log_level: String,

    /// How log lines are written: `text` for people, `json` (one object per line)
    /// for a log collector.
    #[arg(
        long,
        env = "CAIRN_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,

    /// The address people reach Cairn at, such as `https://okr.example.com`. With
    /// https, session cookies are marked Secure; printed sign-in links start with it.
    /// Default: http:// and the bind address.
    #[arg(long, env = "CAIRN_PUBLIC_URL", global = true, value_parser = parse_public_url)]
    pub public_url: Option<String>,

    /// Run as if today were this day (`2026-12-31`): the clock starts at noon UTC of
    /// it and runs on from there. For demonstrations and tests; default: the real date.
    #[arg(long, env = "CAIRN_TODAY", global = true, value_parser = parse_day)]
    pub today: Option<chrono::NaiveDate>,
}

impl GlobalArgs {
    /// The clock the server and the demo read the time from.
    pub fn clock(&self) -> app::clock::Clock {
        match self.today {
            Some(day) => app::clock::Clock::starting_on(day),
            None => app::clock::Clock::system(),
        }
    }

    /// The tracing filter; already validated while parsing.
    pub fn log_filter(&self) -> EnvFilter {
        EnvFilter::try_new(&self.log_level).unwrap_or_else(|_| EnvFilter::new("info"))
    }

    /// Where printed links point: the public URL, or the default bind address.
    pub fn public_base(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| "http://127.0.0.1:3000".to_string())
    }

    /// Whether people reach Cairn over https (so cookies must be Secure).
    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }

    /// The database to open, resolving the default inside the data directory.
    pub fn database(&self) -> DatabaseUrl {
        self.database_url
            .clone()
            .unwrap_or_else(|| DatabaseUrl::SqliteFile(self.data_dir.join("cairn.db")))
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on; port 0 picks a free port.
    #[arg(long, env = "CAIRN_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// Serve the browser bundle (`pkg/`) and public files from this directory
    /// instead of those built into the executable (for development).
    #[arg(long, env = "CAIRN_SITE_ROOT")]
    pub site_root: Option<PathBuf>,

    /// On a database without an organisation, generate the demo organisation first.
    #[arg(long, env = "CAIRN_DEMO_IF_EMPTY")]
    pub demo_if_empty: bool,

    /// Reverse proxies (addresses or CIDR networks, comma-separated) whose
    /// X-Forwarded-For names the client. Default: none, so the connection's own
    /// address counts.
    #[arg(long, env = "CAIRN_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Serve Prometheus metrics at `/metrics` on this address of its own (such as
    /// 127.0.0.1:9100), apart from the portal. Default: not served there.
    #[arg(long, env = "CAIRN_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,

    /// Serve `/metrics` on the portal's own address too, to requests that send
    /// `Authorization: Bearer <this token>`. Default: not served there.
    #[arg(long, env = "CAIRN_METRICS_TOKEN", hide_env_values = true, value_parser = parse_token)]
    pub metrics_token: Option<String>,

    /// Make the next quarter (and its year, when missing) by itself this many
    /// days before the current quarter ends, in planning, so its OKRs can be
    /// drafted in time. Default: admins make it on /periods.
    #[arg(long, env = "CAIRN_PLAN_PERIODS_AHEAD", value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=366))]
    pub plan_periods_ahead: Option<u32>,

    #[command(flatten)]
    pub sign_in: sign_in::SignInArgs,

    #[command(flatten)]
    pub mail: mail::MailArgs,

    #[command(flatten)]
    pub api: api::ApiArgs,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Where the data lives.
#[derive(Debug, Clone, PartialEq)]
pub enum DatabaseUrl {
    /// A SQLite file, given as a plain path.
    SqliteFile(PathBuf),
    /// A `sqlite:` or `postgres://` URL, options included.
    Url(String),
}

impl DatabaseUrl {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("it is empty; give a file path, a sqlite: URL or a postgres:// URL".into());
        }
        if ["sqlite:", "postgres://", "postgresql://"]
            .iter()
            .any(|p| text.starts_with(p))
        {
            return Ok(DatabaseUrl::Url(text.to_string()));
        }
        if let Some((scheme, _)) = text.split_once("://") {
            return Err(format!(
                "the scheme `{scheme}` is not supported; give a file path, a sqlite: URL or a postgres:// URL"
            ));
        }
        Ok(DatabaseUrl::SqliteFile(Path::new(text).to_path_buf()))
    }

    /// How to name this database in messages, without credentials.
    pub fn describe(&self) -> String {
        match self {
            DatabaseUrl::SqliteFile(path) => path.display().to_string(),
            DatabaseUrl::Url(url) => app::storage::redact(url),
        }
    }
}
