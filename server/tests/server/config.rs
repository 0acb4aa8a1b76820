//! The configuration file: the flags' names in TOML, a flag over its variable
//! over the file over the default, and `cairn config check`.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{BIN, Server};

fn cairn(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env_remove("CAIRN_CONFIG");
    for (name, value) in envs {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, toml: &str) -> String {
    let path = dir.join("cairn.toml");
    std::fs::write(&path, toml).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn the_file_sets_what_flags_and_variables_leave_alone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("from-the-file");
    let config = write(
        dir.path(),
        &format!(
            "data-dir = {:?}\nlog-level = \"warn\"\n",
            data.display().to_string()
        ),
    );
    let migrated = cairn(&["--config", &config, "migrate"], &[]);
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    assert!(data.join("cairn.db").is_file());
    // warn: the info line "database ready" is not written.
    assert!(!text(&migrated.stdout).contains("database ready"));

    // The variable wins over the file, the flag over the variable.
    let by_env = dir.path().join("from-the-environment");
    let by_flag = dir.path().join("from-the-flag");
    let env = by_env.to_string_lossy().into_owned();
    let flag = by_flag.to_string_lossy().into_owned();
    assert!(
        cairn(
            &["migrate"],
            &[("CAIRN_CONFIG", &config), ("CAIRN_DATA_DIR", &env)]
        )
        .status
        .success()
    );
    assert!(by_env.join("cairn.db").is_file());
    assert!(
        cairn(
            &["--config", &config, "migrate", "--data-dir", &flag],
            &[("CAIRN_DATA_DIR", &env)]
        )
        .status
        .success()
    );
    assert!(by_flag.join("cairn.db").is_file());
}

#[test]
fn serve_takes_its_address_and_lists_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        &format!(
            "bind = \"127.0.0.1:0\"\ndata-dir = {:?}\ntrusted-proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\n",
            dir.path().join("data").display().to_string()
        ),
    );
    let mut command = Command::new(BIN);
    command.args(["--config", &config, "serve"]);
    let server = Server::spawn(&mut command);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    assert!(dir.path().join("data/cairn.db").is_file());
}

#[test]
fn a_bad_file_is_one_sentence_that_names_the_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    for (toml, needle) in [
        ("bnd = \"127.0.0.1:0\"\n", "bnd is not a setting"),
        ("bind = [\n", "cairn.toml"),
        ("bind = { port = 3 }\n", "bind must be a string"),
        ("config = \"other.toml\"\n", "config is not a setting"),
    ] {
        let config = write(dir.path(), toml);
        let outcome = cairn(&["--config", &config, "migrate"], &[]);
        assert_eq!(outcome.status.code(), Some(2), "{toml}");
        let stderr = text(&outcome.stderr);
        assert!(stderr.contains(needle), "{toml}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let missing = cairn(&["--config", "/nonexistent/cairn.toml", "migrate"], &[]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("cannot read /nonexistent/cairn.toml"));
    // A bad value is clap's own message, naming the flag.
    let config = write(dir.path(), "bind = \"nowhere\"\n");
    let outcome = cairn(&["--config", &config, "serve"], &[]);
    assert_eq!(outcome.status.code(), Some(2));
    assert!(
        text(&outcome.stderr).contains("--bind"),
        "{}",
        text(&outcome.stderr)
    );
}

#[test]
fn config_check_prints_the_effective_settings_and_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "bind = \"127.0.0.1:4000\"\nmetrics-token = \"a-secret-token-0123456789\"\n\
         database-url = \"postgres://cairn:hunter2@db/cairn\"\n",
    );
    let fine = cairn(
        &["--config", &config, "config", "check"],
        &[("CAIRN_LOG", "debug")],
    );
    let out = text(&fine.stdout);
    assert!(fine.status.success(), "{out}");
    assert!(out.contains("bind = 127.0.0.1:4000  (file)"), "{out}");
    assert!(
        out.contains("log-level = debug  (environment, CAIRN_LOG)"),
        "{out}"
    );
    assert!(out.contains("log-format = text  (default)"), "{out}");
    assert!(
        out.contains("database-url = postgres://cairn:***@db/cairn  (file)"),
        "{out}"
    );
    assert!(out.contains("metrics-token = *** (hidden)"), "{out}");
    assert!(
        !out.contains("hunter2") && !out.contains("a-secret-token"),
        "{out}"
    );
    assert!(out.contains("no problems"), "{out}");

    let config = write(
        dir.path(),
        "bnd = \"x\"\ntoday = \"2026-13-01\"\nlog-level = \"loud=[[[\"\n",
    );
    let bad = cairn(
        &["--config", &config, "config", "check"],
        &[("CAIRN_BIND", "nowhere")],
    );
    let out = text(&bad.stdout);
    assert_eq!(bad.status.code(), Some(1), "{out}");
    assert!(out.contains("4 problem(s)"), "{out}");
    for needle in [
        "bnd in the file is not a setting",
        "today (file): invalid value '2026-13-01'",
        "log-level (file)",
        "bind (environment, CAIRN_BIND)",
    ] {
        assert!(out.contains(needle), "{needle} in {out}");
    }
}

#[test]
fn config_check_finds_what_is_wrong_only_together_in_the_sign_in_settings() {
    let dir = tempfile::tempdir().unwrap();
    let providers = dir.path().join("providers.toml");
    std::fs::write(
        &providers,
        "[[provider]]\nid = \"Bad Id\"\nissuer = \"https://id.example.org\"\nclient_id = \"c\"\n\n\
         [[provider]]\nid = \"corp\"\nissuer = \"https://id.example.org\"\nclient_id = \"c\"\n\
         client_secret_file = \"/nonexistent/secret\"\ngroup_map = [\"no-equals\"]\n",
    )
    .unwrap();
    let config = write(
        dir.path(),
        &format!(
            "oidc-issuer = \"https://login.example.org\"\noidc-client-secret = \"s3cret-value\"\n\
             password-sign-in = \"off\"\noidc-providers = {:?}\n\
             smtp-host = \"smtp.example.org\"\nsmtp-password = \"mail-s3cret\"\n",
            providers.display().to_string()
        ),
    );
    let checked = cairn(&["--config", &config, "config", "check"], &[]);
    let out = text(&checked.stdout);
    assert!(!checked.status.success(), "{out}");
    for problem in [
        "--oidc-issuer needs --oidc-client-id",
        "provider Bad Id: id: use 1 to 32 lower-case letters",
        "cannot read the client secret file /nonexistent/secret",
        "group_map: `no-equals` has no `=`",
        "--smtp-host needs --mail-from",
        "--smtp-username and a password go together",
    ] {
        assert!(out.contains(problem), "{problem} in:\n{out}");
    }
    assert!(
        !out.contains("s3cret-value"),
        "the secret is masked:\n{out}"
    );

    // And `serve` refuses to start on them, saying all of it.
    let served = cairn(
        &["--config", &config, "serve", "--bind", "127.0.0.1:0"],
        &[],
    );
    assert!(!served.status.success());
    let said = text(&served.stderr);
    assert!(said.contains("the sign-in settings do not work"), "{said}");
    assert!(
        said.contains("--oidc-issuer needs --oidc-client-id"),
        "{said}"
    );
}
