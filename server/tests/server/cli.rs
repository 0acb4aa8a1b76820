//! The executable's contract with operators: subcommands, and one clear sentence
//! with a non-zero exit for every bad configuration.

use std::net::TcpListener;

use crate::support::run;

fn assert_clean_failure(outcome: &crate::support::Run, code: i32, needle: &str) {
    assert_eq!(
        outcome.status.code(),
        Some(code),
        "stderr: {}",
        outcome.stderr
    );
    assert!(
        outcome.stderr.contains(needle),
        "expected {needle:?} in: {}",
        outcome.stderr
    );
    assert!(!outcome.stderr.contains("panicked"), "{}", outcome.stderr);
    assert!(
        !outcome.stderr.contains("RUST_BACKTRACE"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn migrate_creates_the_database_once() {
    let data = tempfile::tempdir().unwrap();
    let first = run(&["migrate"], data.path());
    assert!(first.status.success(), "{}", first.stderr);
    assert!(data.path().join("cairn.db").is_file());
    assert!(
        first.stdout.contains(&format!(
            "migrations_applied={}",
            crate::support::sqlite_migrations()
        )),
        "{}",
        first.stdout
    );

    let second = run(&["migrate"], data.path());
    assert!(second.status.success(), "{}", second.stderr);
    assert!(
        second.stdout.contains("migrations_applied=0"),
        "{}",
        second.stdout
    );
}

#[test]
fn a_busy_port_is_one_clear_sentence() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let data = tempfile::tempdir().unwrap();
    let outcome = run(&["serve", "--bind", &addr], data.path());
    assert_clean_failure(&outcome, 1, "already in use");
    assert_eq!(
        outcome.stderr.trim().lines().count(),
        1,
        "{}",
        outcome.stderr
    );
}

#[test]
fn a_data_directory_that_cannot_be_created_is_reported() {
    let parent = tempfile::tempdir().unwrap();
    let file = parent.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let outcome = run(&["migrate"], &file.join("data"));
    assert_clean_failure(&outcome, 1, "cannot be created");
}

#[cfg(target_os = "linux")]
#[test]
fn a_data_directory_that_is_not_writable_is_reported() {
    // /proc refuses new files even to root, unlike a chmod-ed directory.
    let outcome = run(&["migrate"], std::path::Path::new("/proc"));
    assert_clean_failure(&outcome, 1, "is not writable");
}

#[test]
fn an_unsupported_database_url_is_refused_before_anything_runs() {
    let data = tempfile::tempdir().unwrap();
    let outcome = run(
        &["migrate", "--database-url", "mysql://db/cairn"],
        data.path(),
    );
    assert_clean_failure(&outcome, 2, "mysql");
    assert!(!data.path().join("cairn.db").exists());
}

#[test]
fn a_file_that_is_not_a_database_is_reported() {
    let data = tempfile::tempdir().unwrap();
    let bogus = data.path().join("bogus.db");
    std::fs::write(&bogus, vec![b'x'; 4096]).unwrap();
    let outcome = run(
        &["migrate", "--database-url", bogus.to_str().unwrap()],
        data.path(),
    );
    assert_clean_failure(&outcome, 1, "not a database");
}

#[test]
fn a_bad_log_level_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let outcome = run(&["migrate", "--log-level", "loud=[[["], data.path());
    assert_clean_failure(&outcome, 2, "log");
}

#[test]
fn settings_come_from_the_environment_too() {
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("from-env.db");
    let output = std::process::Command::new(crate::support::BIN)
        .arg("migrate")
        .env("CAIRN_DATA_DIR", data.path())
        .env("CAIRN_DATABASE_URL", &db)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(db.is_file());
}
