//! The configuration file: the same settings as the flags, by the same names,
//! in TOML (`--config FILE` or `CAIRN_CONFIG`).
//!
//! A flag wins over its environment variable, which wins over the file, which
//! wins over the default: the file's values become the flags' defaults, so clap
//! checks them with the same parsers and the same messages. `cairn config check`
//! prints the effective settings, where each came from, and every problem at once.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::{ArgMatches, Command, CommandFactory, FromArgMatches};

use super::Cli;

/// The subcommand whose flags the file may set besides the global ones.
const SERVED: &str = "serve";

/// Flags the file does not set: where the file is, and help.
const NOT_IN_FILE: &[&str] = &["config", "help", "version"];

/// Flags whose values are never printed.
const SECRETS: &[&str] = &["metrics-token", "oidc-client-secret", "smtp-password"];

/// The file's settings, by flag name, as text clap parses.
#[derive(Debug, Default)]
struct File {
    values: BTreeMap<String, Vec<String>>,
}

/// One setting the file may hold.
struct Setting {
    id: String,
    name: String,
    env: Option<String>,
    /// Set on `serve` rather than globally.
    served: bool,
}

/// Parses the command line with the environment and the configuration file; on
/// a bad setting, says so and exits as clap does (code 2).
pub fn parse() -> Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    if is_check(&args) {
        // Checked apart from clap, which would stop at the first bad value.
        std::process::exit(if check() { 0 } else { 1 });
    }
    let file = match File::load(config_path(&args).as_deref(), true) {
        Ok(file) => file,
        Err(problems) => {
            eprintln!("cairn: {}", problems.join("; "));
            std::process::exit(2);
        }
    };
    let matches = with_file(Cli::command(), &file).get_matches_from(&args);
    Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
}

/// `cairn config check`: the effective settings of `cairn serve` and every
/// problem with them; false when there is one.
pub fn check() -> bool {
    let mut out = String::new();
    let fine = check_into(&mut out);
    // A closed pipe (`| head`) is not worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes());
    fine
}

fn check_into(out: &mut String) -> bool {
    use std::fmt::Write;
    let args: Vec<OsString> = std::env::args_os().collect();
    let (file, mut problems) = match File::load(config_path(&args).as_deref(), false) {
        Ok(file) => (file, Vec::new()),
        Err(problems) => (File::default(), problems),
    };
    // The same command line, with `serve` where `config check` was: its global
    // flags count, the subcommand's are what the settings are for.
    let at = args
        .iter()
        .position(|arg| arg == "config")
        .unwrap_or(args.len());
    let mut serve: Vec<OsString> = args[..at].to_vec();
    serve.push(SERVED.into());

    match config_path(&args) {
        Some(path) => writeln!(out, "configuration file: {}", path.display()),
        None => writeln!(
            out,
            "configuration file: none (--config or CAIRN_CONFIG names one)"
        ),
    }
    .ok();
    let settings = settings();
    // Each setting on its own, so that one bad value does not hide another.
    for setting in &settings {
        let alone = only(Cli::command(), &settings, setting, &file);
        if let Err(error) = alone.try_get_matches_from(&serve) {
            let from = match &setting.env {
                Some(env) if std::env::var_os(env).is_some() => format!("environment, {env}"),
                _ if file.values.contains_key(&setting.name) => "file".to_string(),
                _ => "flag".to_string(),
            };
            problems.push(format!(
                "{} ({from}): {}",
                setting.name,
                first_line(&error.to_string())
            ));
        }
    }
    for key in file.values.keys() {
        if !settings.iter().any(|s| &s.name == key) {
            problems.push(format!(
                "{key} in the file is not a setting; they are: {}",
                names(&settings)
            ));
        }
    }
    if let Ok(matches) = with_file(Cli::command(), &file).try_get_matches_from(&serve) {
        let _ = writeln!(out, "\neffective settings of `cairn serve`:");
        let served = matches.subcommand_matches(SERVED);
        for setting in &settings {
            let from = if setting.served {
                served
            } else {
                Some(&matches)
            };
            if let Some(from) = from {
                let _ = writeln!(out, "  {}", describe(setting, from, &file));
            }
        }
        // Settings that are wrong only together (a provider's issuer without its
        // client id, a secret file that cannot be read).
        if let Ok(cli) = Cli::from_arg_matches(&matches)
            && let super::Command::Serve(serve) = &cli.command
        {
            if let Err(mut together) = serve.sign_in.settings(cli.global.public_url.clone()) {
                problems.append(&mut together);
            }
            if let Err(mut together) = serve.mail.settings() {
                problems.append(&mut together);
            }
        }
    }
    if problems.is_empty() {
        let _ = writeln!(out, "\nno problems");
        true
    } else {
        let _ = writeln!(out, "\n{} problem(s):", problems.len());
        for problem in &problems {
            let _ = writeln!(out, "  {problem}");
        }
        false
    }
}

impl File {
    /// Reads the file; `strict`: an unknown key is an error (else `check` lists it).
    fn load(path: Option<&Path>, strict: bool) -> Result<File, Vec<String>> {
        let Some(path) = path else {
            return Ok(File::default());
        };
        let text = std::fs::read_to_string(path)
            .map_err(|error| vec![format!("cannot read {}: {error}", path.display())])?;
        let table: toml::Table = text.parse().map_err(|error: toml::de::Error| {
            vec![format!("{}: {}", path.display(), error.message())]
        })?;
        let mut values = BTreeMap::new();
        let mut problems = Vec::new();
        for (key, value) in table {
            match texts(&value) {
                Some(texts) => {
                    values.insert(key, texts);
                }
                None => problems.push(format!(
                    "{}: {key} must be a string, a number, true or false, or a list of strings",
                    path.display()
                )),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let known = settings();
        let unknown: Vec<&String> = values
            .keys()
            .filter(|key| !known.iter().any(|s| &&s.name == key))
            .collect();
        if strict && !unknown.is_empty() {
            return Err(unknown
                .into_iter()
                .map(|key| {
                    format!(
                        "{}: {key} is not a setting; they are: {}",
                        path.display(),
                        names(&known)
                    )
                })
                .collect());
        }
        Ok(File { values })
    }
}

/// A TOML value as the texts a flag would be given.
fn texts(value: &toml::Value) -> Option<Vec<String>> {
    match value {
        toml::Value::String(text) => Some(vec![text.clone()]),
        toml::Value::Integer(n) => Some(vec![n.to_string()]),
        toml::Value::Float(n) => Some(vec![n.to_string()]),
        toml::Value::Boolean(b) => Some(vec![b.to_string()]),
        toml::Value::Array(items) => items
            .iter()
            .map(|item| match item {
                toml::Value::String(text) => Some(text.clone()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// Where the file is: `--config` on the command line, else `CAIRN_CONFIG`.
fn config_path(args: &[OsString]) -> Option<PathBuf> {
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if text == "--config" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = text.strip_prefix("--config=") {
            return Some(PathBuf::from(path));
        }
    }
    std::env::var_os("CAIRN_CONFIG")
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
}

fn is_check(args: &[OsString]) -> bool {
    args.windows(2).any(|w| w[0] == "config" && w[1] == "check")
}

/// Every setting the file may hold: the global flags and those of `serve`.
fn settings() -> Vec<Setting> {
    let command = Cli::command();
    let of = |args: Vec<&clap::Arg>, served: bool| {
        args.into_iter()
            .filter_map(|arg| {
                let name = arg.get_long()?.to_string();
                (!NOT_IN_FILE.contains(&name.as_str())).then(|| Setting {
                    id: arg.get_id().to_string(),
                    name,
                    env: arg.get_env().map(|e| e.to_string_lossy().into_owned()),
                    served,
                })
            })
            .collect::<Vec<_>>()
    };
    let mut settings = of(
        command
            .get_arguments()
            .filter(|a| a.is_global_set())
            .collect(),
        false,
    );
    if let Some(serve) = command.find_subcommand(SERVED) {
        settings.extend(of(
            serve
                .get_arguments()
                .filter(|a| !a.is_global_set())
                .collect(),
            true,
        ));
    }
    settings
}

fn names(settings: &[Setting]) -> String {
    settings
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The command with the file's values as the flags' defaults.
fn with_file(command: Command, file: &File) -> Command {
    settings().iter().fold(command, |command, setting| {
        match file.values.get(&setting.name) {
            Some(values) => set(command, setting, |arg| arg.default_values(values.clone())),
            None => command,
        }
    })
}

/// The command with only `kept` read from the environment and the file: every
/// other setting left at its default.
fn only(command: Command, settings: &[Setting], kept: &Setting, file: &File) -> Command {
    settings.iter().fold(command, |command, setting| {
        if setting.id == kept.id {
            match file.values.get(&setting.name) {
                Some(values) => set(command, setting, |arg| arg.default_values(values.clone())),
                None => command,
            }
        } else {
            set(command, setting, |arg| arg.env(None))
        }
    })
}

fn set(command: Command, setting: &Setting, change: impl Fn(clap::Arg) -> clap::Arg) -> Command {
    let id = setting.id.clone();
    if setting.served {
        // `mail test` sends with the same mail settings as `serve`.
        let has = |c: &Command| c.get_arguments().any(|a| a.get_id() == id.as_str());
        command
            .mut_subcommand(SERVED, |serve| serve.mut_arg(&id, &change))
            .mut_subcommand("mail", |mail| {
                mail.mut_subcommand("test", |test| {
                    if has(&test) {
                        test.mut_arg(&id, &change)
                    } else {
                        test
                    }
                })
            })
    } else {
        command.mut_arg(id, change)
    }
}

/// `name = value  (from …)`, secrets masked.
fn describe(setting: &Setting, matches: &ArgMatches, file: &File) -> String {
    let values: Vec<String> = matches
        .get_raw(&setting.id)
        .map(|values| values.map(|v| v.to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    let shown = if values.is_empty() {
        "(not set)".to_string()
    } else if SECRETS.contains(&setting.name.as_str()) {
        "*** (hidden)".to_string()
    } else if setting.name == "database-url" {
        values
            .iter()
            .map(|v| app::storage::redact(v))
            .collect::<Vec<_>>()
            .join(",")
    } else {
        values.join(",")
    };
    let source = match matches.value_source(&setting.id) {
        Some(ValueSource::CommandLine) => "flag".to_string(),
        Some(ValueSource::EnvVariable) => {
            format!("environment, {}", setting.env.as_deref().unwrap_or("?"))
        }
        Some(ValueSource::DefaultValue) if file.values.contains_key(&setting.name) => {
            "file".to_string()
        }
        _ => "default".to_string(),
    };
    format!("{} = {shown}  ({source})", setting.name)
}

fn first_line(text: &str) -> String {
    text.lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_string()
}
