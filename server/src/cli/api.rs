//! The public API's settings.

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct ApiArgs {
    /// Requests a minute each API token may make (in bursts of a tenth of
    /// that); beyond it the answer is 429 with Retry-After.
    #[arg(long, env = "CAIRN_API_REQUESTS_PER_MINUTE", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub api_requests_per_minute: u32,

    /// Let webhooks reach private networks and this machine (10.0.0.0/8,
    /// 127.0.0.1, fd00::/8, …). Off by default: a webhook is a request the
    /// server makes wherever an admin or lead aims it.
    #[arg(long, env = "CAIRN_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,

    /// Seconds before a webhook whose receiver failed is tried again (doubling
    /// each time, up to an hour).
    #[arg(long, env = "CAIRN_WEBHOOK_RETRY_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub webhook_retry_seconds: u64,

    /// Failed attempts in a row before a webhook is switched off (and its
    /// maker told).
    #[arg(long, env = "CAIRN_WEBHOOK_MAX_FAILURES", default_value_t = 15, value_parser = clap::value_parser!(i64).range(1..=1000))]
    pub webhook_max_failures: i64,
}

impl ApiArgs {
    pub fn webhook_settings(&self) -> app::webhooks::deliver::Settings {
        app::webhooks::deliver::Settings {
            allow_private: self.webhook_allow_private,
            retry_seconds: self.webhook_retry_seconds,
            max_failures: self.webhook_max_failures,
        }
    }
}
