//! The value parsers behind the flags: each refuses with a sentence that says what
//! to give instead.

use tracing_subscriber::EnvFilter;

pub fn parse_period_kind(text: &str) -> Result<cairn::period::PeriodKind, String> {
    cairn::period::PeriodKind::parse(text)
        .ok_or_else(|| "one of year, quarter, custom, backlog".to_string())
}

pub fn parse_period_state(text: &str) -> Result<cairn::period::PeriodState, String> {
    match cairn::period::PeriodState::parse(text) {
        Some(
            state @ (cairn::period::PeriodState::Planning | cairn::period::PeriodState::Active),
        ) => Ok(state),
        _ => Err("planning or active: a new period has not run yet".to_string()),
    }
}

pub fn parse_email(text: &str) -> Result<cairn::values::Email, String> {
    cairn::values::Email::parse(text).map_err(|e| e.to_string())
}

pub fn parse_name(text: &str) -> Result<cairn::values::Name, String> {
    cairn::values::Name::parse(text).map_err(|e| e.to_string())
}

pub fn parse_public_url(text: &str) -> Result<String, String> {
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

pub fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("`{text}` is neither an address nor a network such as 10.0.0.0/8"))
}

pub fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| "give a date as YYYY-MM-DD, such as 2026-12-31".to_string())
}

pub fn parse_token(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.len() < 16 || !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("give at least 16 printable characters without spaces".into());
    }
    Ok(text.to_string())
}

pub fn parse_log_filter(text: &str) -> Result<String, String> {
    EnvFilter::try_new(text)
        .map(|_| text.to_string())
        .map_err(|error| format!("not a log level or filter: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, DatabaseUrl};
    use std::path::PathBuf;

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
