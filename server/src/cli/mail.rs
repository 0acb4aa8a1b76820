//! Sending mail: the SMTP server and the From address (`--smtp-*`, `--mail-from`,
//! or `CAIRN_SMTP_*`, `CAIRN_MAIL_FROM`). Without `--smtp-host` Cairn sends no
//! mail and works as before.

use std::path::PathBuf;

use app::mail::sender::{MailSettings, Security};
use clap::{Args, ValueEnum};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SmtpSecurity {
    /// STARTTLS, required (port 587 unless --smtp-port says otherwise).
    Starttls,
    /// TLS from the start (port 465).
    Tls,
    /// None: only for a relay on this machine or network (port 25).
    None,
}

#[derive(Debug, Args)]
pub struct MailArgs {
    /// The SMTP server mail is sent through (`smtp.example.com`). Without it, no
    /// mail is sent.
    #[arg(long, env = "CAIRN_SMTP_HOST")]
    pub smtp_host: Option<String>,

    /// Its port; default: 587 with STARTTLS, 465 with TLS, 25 without.
    #[arg(long, env = "CAIRN_SMTP_PORT")]
    pub smtp_port: Option<u16>,

    /// starttls, tls, or none.
    #[arg(
        long,
        env = "CAIRN_SMTP_SECURITY",
        value_enum,
        default_value = "starttls"
    )]
    pub smtp_security: SmtpSecurity,

    /// The user name to authenticate with, if the server wants one.
    #[arg(long, env = "CAIRN_SMTP_USERNAME")]
    pub smtp_username: Option<String>,

    /// Its password (prefer `--smtp-password-file`).
    #[arg(long, env = "CAIRN_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<String>,

    /// A file holding the password.
    #[arg(long, env = "CAIRN_SMTP_PASSWORD_FILE")]
    pub smtp_password_file: Option<PathBuf>,

    /// Who mail comes from: `Cairn <okr@example.com>`.
    #[arg(long, env = "CAIRN_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// Seconds before a message that failed for now is tried again (doubling
    /// each time, up to an hour).
    #[arg(long, env = "CAIRN_MAIL_RETRY_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub mail_retry_seconds: u32,

    /// Attempts before a message that keeps failing for now is given up.
    #[arg(long, env = "CAIRN_MAIL_MAX_ATTEMPTS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub mail_max_attempts: u32,

    /// Mentions and replies reach a person in one mail at most this often: the
    /// first goes out at once, the ones after it wait and go together.
    #[arg(long, env = "CAIRN_MAIL_BATCH_MINUTES", default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub mail_batch_minutes: u32,
}

impl MailArgs {
    /// The settings; None when no SMTP server is set. Every problem at once.
    pub fn settings(&self) -> Result<Option<MailSettings>, Vec<String>> {
        let Some(host) = &self.smtp_host else {
            return Ok(None);
        };
        let mut problems = Vec::new();
        let from = match &self.mail_from {
            Some(from) => from
                .parse()
                .map_err(|e| problems.push(format!("--mail-from {from:?} is not an address: {e}")))
                .ok(),
            None => {
                problems.push("--smtp-host needs --mail-from (who mail comes from)".into());
                None
            }
        };
        let password = match (&self.smtp_password, &self.smtp_password_file) {
            (Some(_), Some(_)) => {
                problems.push("give the SMTP password or its file, not both".into());
                None
            }
            (Some(password), None) => Some(password.clone()),
            (None, Some(path)) => std::fs::read_to_string(path)
                .map(|p| p.trim().to_string())
                .map_err(|e| {
                    problems.push(format!(
                        "cannot read the SMTP password file {}: {e}",
                        path.display()
                    ))
                })
                .ok(),
            (None, None) => None,
        };
        if password.is_some() != self.smtp_username.is_some() {
            problems.push("--smtp-username and a password go together".into());
        }
        let security = match self.smtp_security {
            SmtpSecurity::Starttls => Security::StartTls,
            SmtpSecurity::Tls => Security::Tls,
            SmtpSecurity::None => Security::None,
        };
        match (from, problems.is_empty()) {
            (Some(from), true) => Ok(Some(MailSettings {
                host: host.clone(),
                port: self.smtp_port.unwrap_or(security.default_port()),
                security,
                username: self.smtp_username.clone(),
                password,
                from,
            })),
            _ => Err(problems),
        }
    }
}

#[derive(Debug, Args)]
pub struct MailTestArgs {
    /// Who gets the test message.
    #[arg(long)]
    pub to: String,

    /// Queue it in the outbox instead, for a running Cairn to send like any other.
    #[arg(long)]
    pub queue: bool,

    #[command(flatten)]
    pub mail: MailArgs,
}
