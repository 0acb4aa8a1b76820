//! Command line and environment: every setting has a flag and a `CAIRN_` variable.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(name = "cairn", version, about = "Cairn, a self-hosted OKR portal")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal over HTTP (migrates the database first).
    Serve(ServeArgs),
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Fill an empty database with a demo organisation, then exit.
    Demo(DemoArgs),
    /// Manage accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Manage periods: the years, quarters and custom periods OKRs are set for.
    #[command(subcommand)]
    Period(PeriodCommand),
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

fn parse_period_kind(text: &str) -> Result<cairn::period::PeriodKind, String> {
    cairn::period::PeriodKind::parse(text)
        .ok_or_else(|| "one of year, quarter, custom, backlog".to_string())
}

fn parse_period_state(text: &str) -> Result<cairn::period::PeriodState, String> {
    match cairn::period::PeriodState::parse(text) {
        Some(
            state @ (cairn::period::PeriodState::Planning | cairn::period::PeriodState::Active),
        ) => Ok(state),
        _ => Err("planning or active: a new period has not run yet".to_string()),
    }
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

fn parse_email(text: &str) -> Result<cairn::values::Email, String> {
    cairn::values::Email::parse(text).map_err(|e| e.to_string())
}

fn parse_name(text: &str) -> Result<cairn::values::Name, String> {
    cairn::values::Name::parse(text).map_err(|e| e.to_string())
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

    /// Directory holding the built browser bundle (`pkg/`) and public files.
    #[arg(long, env = "CAIRN_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// On a database without an organisation, generate the demo organisation first.
    #[arg(long, env = "CAIRN_DEMO_IF_EMPTY")]
    pub demo_if_empty: bool,

    /// Reverse proxies (addresses or CIDR networks, comma-separated) whose
    /// X-Forwarded-For names the client. Default: none, so the connection's own
    /// address counts.
    #[arg(long, env = "CAIRN_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
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

fn parse_public_url(text: &str) -> Result<String, String> {
    let text = text.trim().trim_end_matches('/');
    match text.split_once("://") {
        Some(("http" | "https", host))
            if !host.is_empty() && !host.contains(char::is_whitespace) =>
        {
            Ok(text.to_string())
        }
        _ => Err("give an http:// or https:// address, such as https://okr.example.com".into()),
    }
}

fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("`{text}` is neither an address nor a network such as 10.0.0.0/8"))
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| "give a date as YYYY-MM-DD, such as 2026-12-31".to_string())
}

fn parse_log_filter(text: &str) -> Result<String, String> {
    EnvFilter::try_new(text)
        .map(|_| text.to_string())
        .map_err(|error| format!("not a log level or filter: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_are_sqlite_files() {
        assert_eq!(
            DatabaseUrl::parse("data/x.db"),
            Ok(DatabaseUrl::SqliteFile(PathBuf::from("data/x.db")))
        );
    }

    #[test]
    fn sqlite_urls_are_kept_whole() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://x.db?mode=rwc"),
            Ok(DatabaseUrl::Url("sqlite://x.db?mode=rwc".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://cairn:pw@db/cairn"),
            Ok(DatabaseUrl::Url("postgres://cairn:pw@db/cairn".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://cairn:pw@db/cairn")
                .unwrap()
                .describe(),
            "postgres://cairn:***@db/cairn"
        );
    }

    #[test]
    fn unknown_schemes_and_empty_text_are_refused() {
        assert!(
            DatabaseUrl::parse("mysql://host/db")
                .unwrap_err()
                .contains("mysql")
        );
        assert!(DatabaseUrl::parse("  ").is_err());
    }

    #[test]
    fn public_urls_are_http_or_https() {
        assert_eq!(
            parse_public_url("https://okr.example.com/"),
            Ok("https://okr.example.com".into())
        );
        assert!(parse_public_url("ftp://x").is_err());
        assert!(parse_public_url("https://").is_err());
        assert!(parse_public_url("okr.example.com").is_err());
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        assert_eq!(
            parse_network("10.0.0.0/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(
            parse_network(" 127.0.0.1 ").unwrap().to_string(),
            "127.0.0.1/32"
        );
        assert_eq!(parse_network("::1").unwrap().to_string(), "::1/128");
        assert!(parse_network("proxy.local").is_err());
        assert_eq!(parse_day("2026-12-31").unwrap().to_string(), "2026-12-31");
        assert!(parse_day("31-12-2026").is_err());
    }

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
