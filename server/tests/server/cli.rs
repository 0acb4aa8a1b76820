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

#[tokio::test]
async fn an_operator_creates_the_periods_of_a_fresh_installation() {
    let data = tempfile::tempdir().unwrap();
    let year = run(
        &[
            "period",
            "create",
            "--kind",
            "year",
            "--name",
            "2027",
            "--starts",
            "2027-01-01",
            "--ends",
            "2027-12-31",
        ],
        data.path(),
    );
    assert!(year.status.success(), "{}", year.stderr);
    assert!(
        year.stdout
            .contains("Created the year 2027 from 2027-01-01 to 2027-12-31, in planning."),
        "{}",
        year.stdout
    );
    let quarter = run(
        &[
            "period",
            "create",
            "--kind",
            "quarter",
            "--name",
            "2027 Q1",
            "--starts",
            "2027-01-01",
            "--ends",
            "2027-03-31",
            "--within",
            "2027",
            "--state",
            "active",
        ],
        data.path(),
    );
    assert!(quarter.status.success(), "{}", quarter.stderr);

    let refusals: [(&[&str], &str); 6] = [
        (
            &[
                "--kind",
                "quarter",
                "--name",
                "2028 Q1",
                "--starts",
                "2028-01-01",
                "--ends",
                "2028-03-31",
                "--within",
                "2027",
            ],
            "inside its parent",
        ),
        (
            &["--kind", "quarter", "--name", "Q", "--starts", "2027-04-01"],
            "both --starts and --ends",
        ),
        (
            &[
                "--kind",
                "custom",
                "--name",
                "Back",
                "--starts",
                "2027-05-01",
                "--ends",
                "2027-04-01",
            ],
            "before it starts",
        ),
        (
            &[
                "--kind",
                "quarter",
                "--name",
                "Q2",
                "--starts",
                "2027-04-01",
                "--ends",
                "2027-06-30",
                "--within",
                "2031",
            ],
            "no period named \"2031\"",
        ),
        (
            &["--kind", "custom", "--name", "Undated"],
            "only the backlog has no dates",
        ),
        (
            &[
                "--kind",
                "year",
                "--name",
                "2029",
                "--starts",
                "2029-01-01",
                "--ends",
                "2029-12-31",
                "--state",
                "closed",
            ],
            "planning or active",
        ),
    ];
    for (args, needle) in refusals {
        let mut all = vec!["period", "create"];
        all.extend_from_slice(args);
        let outcome = run(&all, data.path());
        let code = if needle == "planning or active" { 2 } else { 1 };
        assert_clean_failure(&outcome, code, needle);
    }

    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}", data.path().join("cairn.db").display());
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    let stored: Vec<(String, String, String)> =
        sqlx::query_as("SELECT name, kind, state FROM periods ORDER BY id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let expected = [
        ("2027", "year", "planning"),
        ("2027 Q1", "quarter", "active"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(stored, expected, "the refused ones stored nothing");
    let parent: Option<i64> =
        sqlx::query_scalar("SELECT parent_id FROM periods WHERE name = '2027 Q1'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(parent.is_some(), "the quarter lies in its year");
}
