//! `cairn`: the portal's one executable.

mod admin;
mod backup;
mod cli;
mod database;
mod demo;
mod error;
mod exchange;
mod harden;
mod health;
mod http;
mod language;
mod logging;
mod mail;
mod metrics;
mod periods;
mod serve;
mod sheet;
mod shutdown;
mod site;

use std::process::ExitCode;

use cli::{AdminCommand, Command, ConfigCommand, MailCommand, PeriodCommand};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // `config check` runs (and exits) in here.
    let cli = cli::config::parse();
    logging::init(cli.global.log_format, cli.global.log_filter());

    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cairn: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve::run(&cli.global, &args).await,
            Command::Migrate(args) => database::migrate_only(&cli.global, &args).await,
            Command::Demo(args) => database::demo(&cli.global, &args).await,
            Command::Admin(AdminCommand::Create(args)) => {
                admin::run_create(&cli.global, &args).await
            }
            Command::Period(PeriodCommand::Create(args)) => {
                periods::run_create(&cli.global, &args).await
            }
            Command::Export(args) => exchange::run_export(&cli.global, &args).await,
            Command::Import(args) => exchange::run_import(&cli.global, &args).await,
            Command::ImportSheet(args) => sheet::run(&cli.global, &args).await,
            Command::Backup(args) => backup::run_backup(&cli.global, &args).await,
            Command::Restore(args) => backup::run_restore(&cli.global, &args).await,
            Command::Check => backup::run_check(&cli.global).await,
            Command::Mail(MailCommand::Test(args)) => mail::run_test(&cli.global, &args).await,
            // Handled while parsing, before the runtime starts.
            Command::Config(ConfigCommand::Check) => Ok(()),
        }
    });
    // Every answer is sent and the database closed by now. Work still in other
    // tasks (a page render cut off by the stop) gets a moment and is then left to
    // the exit: dropping such a task can block forever (the reactive owner it
    // holds waits on its own lock), and a stop must never hang.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One clear sentence for the operator, no backtrace.
            eprintln!("cairn: {error}");
            ExitCode::FAILURE
        }
    }
}
