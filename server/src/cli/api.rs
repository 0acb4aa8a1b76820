//! The public API's settings.

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct ApiArgs {
    /// Requests a minute each API token may make (in bursts of a tenth of
    /// that); beyond it the answer is 429 with Retry-After.
    #[arg(long, env = "CAIRN_API_REQUESTS_PER_MINUTE", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub api_requests_per_minute: u32,
}
