//! Backups for operators: taken while check-ins keep coming, restored into an
//! empty installation (of the same database or the other one), checked, and
//! holding everything acknowledged before the backup began. `cairn check` finds
//! a cached figure that disagrees with the check-ins.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use sqlx::Connection;

use crate::faults::check_in;
use crate::support::{Demo, fresh_postgres_database, run};

/// Check-ins going on in the background until `stop`; the notes acknowledged.
struct Rush {
    acknowledged: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Rush {
    async fn start(demo: &Demo) -> Rush {
        let cookie = demo.server.session().await;
        let key_results = crate::support::database::metric_key_results(&demo.db, 24).await;
        let acknowledged = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let client = reqwest::Client::new();
        let workers = (0..6)
            .map(|w| {
                let (client, base, cookie) =
                    (client.clone(), demo.url().to_string(), cookie.clone());
                let (acknowledged, stop, key_results) =
                    (acknowledged.clone(), stop.clone(), key_results.clone());
                tokio::spawn(async move {
                    let mut i = 0;
                    while !stop.load(Ordering::SeqCst) {
                        let note = format!("backup-{w}-{i}");
                        let kr = key_results[(w * 7 + i) % key_results.len()];
                        if check_in(&client, &base, &cookie, kr, &note).await {
                            acknowledged.lock().unwrap().push(note);
                        }
                        i += 1;
                    }
                })
            })
            .collect();
        Rush {
            acknowledged,
            stop,
            workers,
        }
    }

    fn acknowledged(&self) -> Vec<String> {
        self.acknowledged.lock().unwrap().clone()
    }

    /// Waits until at least `n` check-ins were acknowledged (the rush is under way).
    async fn until(&self, n: usize) {
        while self.acknowledged().len() < n {
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    async fn stop(self) -> usize {
        self.stop.store(true, Ordering::SeqCst);
        let total = self.acknowledged().len();
        for worker in self.workers {
            worker.await.unwrap();
        }
        total.max(self.acknowledged.lock().unwrap().len())
    }
}

/// Runs the executable without blocking the rush.
async fn cairn(args: Vec<String>, data_dir: &Path) -> crate::support::Run {
    let data_dir = data_dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args, &data_dir)
    })
    .await
    .unwrap()
}

fn args(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// The notes of `wanted` the database at `url` does not hold.
async fn missing(url: &str, wanted: &[String]) -> Vec<String> {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    let stored: std::collections::HashSet<String> =
        sqlx::query_scalar("SELECT note FROM check_ins WHERE note LIKE 'backup-%'")
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .into_iter()
            .collect();
    wanted
        .iter()
        .filter(|n| !stored.contains(*n))
        .cloned()
        .collect()
}

/// The exchange document of the database at `url`.
async fn document(url: &str, scratch: &Path) -> String {
    let out = scratch.join(format!(
        "export-{}.jsonl",
        url.len() + scratch.as_os_str().len()
    ));
    let _ = std::fs::remove_file(&out);
    let exported = cairn(
        args(&[
            "export",
            "--database-url",
            url,
            "--to",
            &out.to_string_lossy(),
        ]),
        scratch,
    )
    .await;
    assert!(exported.status.success(), "{}", exported.stderr);
    std::fs::read_to_string(&out).unwrap()
}

/// Takes a backup in the middle of a rush, and restores it into each of
/// `targets` (database URLs; None: a SQLite file in a new data directory).
async fn backup_during_a_rush(demo: Demo, targets: Vec<Option<String>>) {
    let rush = Rush::start(&demo).await;
    rush.until(30).await;
    let before = rush.acknowledged();
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("cairn.backup");
    let backup = cairn(
        args(&[
            "backup",
            "--database-url",
            &demo.db,
            "--to",
            &file.to_string_lossy(),
        ]),
        demo.data.path(),
    )
    .await;
    let during = rush.acknowledged().len();
    rush.until(during + 20).await;
    let total = rush.stop().await;
    assert!(backup.status.success(), "{}", backup.stderr);
    assert!(backup.stderr.contains("Backed up to"), "{}", backup.stderr);
    println!(
        "backup during a rush: {} acknowledged before it began, {} by its end, {total} in all; {}",
        before.len(),
        during,
        backup.stderr.trim()
    );

    let mut documents = Vec::new();
    for target in targets {
        let data = tempfile::tempdir().unwrap();
        // A SQLite target by its path: the restore creates the file.
        let given = target
            .clone()
            .unwrap_or_else(|| data.path().join("cairn.db").display().to_string());
        let url = target.unwrap_or_else(|| format!("sqlite://{given}"));
        let restored = cairn(
            args(&["restore", &file.to_string_lossy(), "--database-url", &given]),
            data.path(),
        )
        .await;
        assert!(
            restored.status.success(),
            "{}\n{}",
            restored.stdout,
            restored.stderr
        );
        assert!(
            restored
                .stdout
                .contains("All is well: every cached figure agrees"),
            "{}",
            restored.stdout
        );
        assert_eq!(
            missing(&url, &before).await,
            Vec::<String>::new(),
            "acknowledged before the backup, missing from {url}"
        );
        documents.push(document(&given, scratch.path()).await);
        // A restored installation is not empty: a second restore is refused.
        let again = cairn(
            args(&["restore", &file.to_string_lossy(), "--database-url", &given]),
            data.path(),
        )
        .await;
        assert_eq!(again.status.code(), Some(1));
        assert!(
            again.stderr.contains("already holds data"),
            "{}",
            again.stderr
        );
    }
    // Every restore holds the same data, on either database.
    for other in &documents[1..] {
        assert!(other == &documents[0], "restores differ");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sqlite_backup_under_load_restores_into_sqlite_and_postgresql() {
    let target = fresh_postgres_database("cairn_backup_into_pg").await;
    backup_during_a_rush(Demo::start(&[]), vec![None, Some(target)]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_postgresql_backup_under_load_restores_into_postgresql() {
    let source = fresh_postgres_database("cairn_backup_source").await;
    let first = fresh_postgres_database("cairn_backup_target_a").await;
    let second = fresh_postgres_database("cairn_backup_target_b").await;
    backup_during_a_rush(
        Demo::start_on(Some(&source), &[]),
        vec![Some(first), Some(second)],
    )
    .await;
}

#[test]
fn check_names_a_cached_figure_that_disagrees_with_the_check_ins() {
    let data = tempfile::tempdir().unwrap();
    let demo = run(&["demo"], data.path());
    assert!(demo.status.success(), "{}", demo.stderr);
    let sound = run(&["check"], data.path());
    assert!(sound.status.success(), "{}", sound.stdout);
    assert!(sound.stdout.contains("All is well"), "{}", sound.stdout);

    let db = format!("sqlite://{}", data.path().join("cairn.db").display());
    let kr = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let id = crate::support::database::metric_key_result(&db).await;
        crate::support::database::execute(
            &db,
            &format!("UPDATE key_results SET progress = CASE WHEN progress > 0.5 THEN 0.01 ELSE 0.99 END WHERE id = {id}"),
        )
        .await;
        id
    });
    let broken = run(&["check"], data.path());
    assert_eq!(broken.status.code(), Some(1), "{}", broken.stdout);
    assert!(
        broken
            .stdout
            .contains(&format!("key result {kr} shows progress")),
        "{}",
        broken.stdout
    );
    assert!(
        broken.stderr.contains("the check found"),
        "{}",
        broken.stderr
    );
}
