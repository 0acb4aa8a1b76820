//! Storage figures, on SQLite and PostgreSQL (run through `./x bench`):
//!
//! * check-ins written per second, each with its key result update, objective
//!   roll-up, audit row and live event, against plain single-row INSERTs on the
//!   same database with the same durability settings, in the same run, by one
//!   writer and by 32 at once;
//! * time to load one quarter's whole alignment tree of the large demo organisation;
//! * time to put together, deliver and queue every person's weekly digest and
//!   check-in reminders of the large demo organisation (about 10,000 people), and
//!   the mails sent per second from the outbox to a local SMTP server
//!   (CAIRN_BENCH_SMTP_PORT, tools/smtp).
//!
//! Settings come from the environment: CAIRN_BENCH_SQLITE_DIR (a directory for
//! fresh files), CAIRN_BENCH_POSTGRES (an admin URL), CAIRN_BENCH_LARGE_SQLITE and
//! CAIRN_BENCH_LARGE_POSTGRES (databases holding the large demo organisation).

use std::time::{Duration, Instant};

use app::storage::key_results::check_ins::{NewCheckIn, record_check_in};
use app::storage::org::{NewUnit, create_unit};
use app::storage::periods::{NewPeriod, create_period, current};
use app::storage::reads::period_tree;
use app::storage::{Db, SQLITE_SETTINGS};
use cairn::grading::Commitment;
use cairn::key_result::{Direction, Measure, Reading};
use cairn::model::{ObjectiveState, Owner, Source, UnitKind};
use cairn::period::{PeriodKind, PeriodState, Span};
use cairn::values::{Confidence, Name, Title, Value, Weight};
use sqlx::any::AnyPoolOptions;
use sqlx::{Connection, Executor};

// The objective and its key results are written as the storage tests write them:
// through the editor's save.
#[path = "../tests/storage/writers.rs"]
#[allow(dead_code)]
mod writers;
use writers::{NewKeyResult, NewObjective, create_key_result, create_objective};

const CHECK_INS: usize = 3_200;
/// Writers at once: one, then a Monday-morning rush.
const WRITERS: [usize; 2] = [1, 32];
const TREE_RUNS: usize = 15;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    sqlx::any::install_default_drivers();
    if let Ok(dir) = std::env::var("CAIRN_BENCH_SQLITE_DIR") {
        let path = std::path::Path::new(&dir).join(format!("bench-{}.db", std::process::id()));
        let db = Db::open_sqlite_file(&path).await.unwrap();
        db.migrate().await.unwrap();
        let plain_url = format!("sqlite://{}", path.display());
        write_rates("SQLite (WAL, synchronous=NORMAL)", &db, &plain_url, true).await;
    }
    if let Ok(admin) = std::env::var("CAIRN_BENCH_POSTGRES") {
        let name = format!("cairn_bench_{}", std::process::id());
        let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        let db = Db::open(&url).await.unwrap();
        db.migrate().await.unwrap();
        write_rates("PostgreSQL (default durability)", &db, &url, false).await;
    }
    for (label, var) in [
        ("SQLite", "CAIRN_BENCH_LARGE_SQLITE"),
        ("PostgreSQL", "CAIRN_BENCH_LARGE_POSTGRES"),
    ] {
        if let Ok(url) = std::env::var(var) {
            tree_load(label, &url).await;
            notices(label, &url).await;
        }
    }
}

/// The large organisation's Monday: its digest moment, then its reminder moment,
/// each timed as one look of the scheduler; then the outbox drained to the SMTP
/// server, timed.
async fn notices(label: &str, url: &str) {
    use app::notices::schedule::{Scheduler, slots};
    let amsterdam = slots::zone("Europe/Amsterdam").unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    let monday = |minute: u16| {
        let weekly = cairn::notify::Weekly { day: 0, minute };
        slots::latest(weekly, amsterdam, now).unwrap() + 5 * 60_000
    };
    let clock = app::clock::Clock::manual(monday(8 * 60));
    let db = open(url).await.with_clock(clock.clone());
    let smtp_port = std::env::var("CAIRN_BENCH_SMTP_PORT").ok();
    let scheduler = Scheduler {
        db: db.clone(),
        postman: app::notices::Postman::new("https://okr.example", "bench", true),
        batch_gap_ms: 15 * 60_000,
        every: Duration::from_secs(60),
    };
    for (what, minute) in [("digests", 8 * 60), ("reminders", 9 * 60)] {
        clock.set(monday(minute));
        let start = Instant::now();
        let report = scheduler.tick().await.unwrap();
        let took = start.elapsed();
        let count = match what {
            "digests" => report.digests,
            _ => report.reminders + report.escalations,
        };
        println!(
            "{label}: {what} of the large organisation: {count} notices delivered and queued as mail in {:.2} s ({:.0} per second; {report:?})",
            took.as_secs_f64(),
            count as f64 / took.as_secs_f64()
        );
    }
    let Some(port) = smtp_port.filter(|_| !url.starts_with("postgres")) else {
        return;
    };
    let settings = app::mail::sender::MailSettings {
        host: "127.0.0.1".into(),
        port: port.parse().unwrap(),
        security: app::mail::sender::Security::None,
        username: None,
        password: None,
        from: "Cairn <okr@example.org>".parse().unwrap(),
    };
    let drain = app::mail::drain::Drain {
        db: db.clone(),
        sender: app::mail::sender::Sender::new(&settings).unwrap(),
        owner: "bench".into(),
        poll: Duration::from_millis(10),
        retry_ms: 1_000,
        max_attempts: 3,
    };
    let start = Instant::now();
    let mut sent = 0;
    while sent < MAILS && start.elapsed() < Duration::from_secs(120) {
        let tried = drain.round().await;
        if tried == 0 {
            break;
        }
        sent += tried;
    }
    let took = start.elapsed();
    println!(
        "{label}: {sent} mails sent to the local SMTP server in {:.1} s: {:.0} mails per second",
        took.as_secs_f64(),
        sent as f64 / took.as_secs_f64()
    );
}

/// Mails the throughput is measured over at most.
const MAILS: usize = 3_000;

async fn open(url: &str) -> Db {
    if url.starts_with("postgres") {
        Db::open(url).await
    } else {
        Db::open_sqlite_file(std::path::Path::new(url)).await
    }
    .unwrap()
}

/// Check-ins through the real write path, then plain inserts, same database, with
/// one writer and with many at once.
async fn write_rates(label: &str, db: &Db, plain_url: &str, sqlite: bool) {
    let kr = fixture(db).await;
    for i in 0..200 {
        record_check_in(db, check_in(kr, i)).await.unwrap();
    }
    // The baseline: one row per INSERT, nothing else, through connections with the
    // same settings: one on SQLite (it has one writer), as many as Cairn's pool on
    // PostgreSQL.
    let plain = AnyPoolOptions::new()
        .max_connections(if sqlite { 1 } else { 16 })
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    conn.execute(SQLITE_SETTINGS).await?;
                }
                Ok(())
            })
        })
        .connect(plain_url)
        .await
        .unwrap();
    plain
        .execute("CREATE TABLE plain_inserts (id BIGINT, at BIGINT, value DOUBLE PRECISION, confidence BIGINT)")
        .await
        .unwrap();
    for i in 0..200 {
        plain_insert(&plain, i).await;
    }
    for writers in WRITERS {
        let each = CHECK_INS / writers;
        let db = db.clone();
        let cairn_rate = rate(writers, each, move |i| {
            let db = db.clone();
            async move {
                record_check_in(&db, check_in(kr, i)).await.unwrap();
            }
        })
        .await;
        let pool = plain.clone();
        let plain_rate = rate(writers, each, move |i| {
            let plain = pool.clone();
            async move { plain_insert(&plain, i).await }
        })
        .await;
        println!(
            "{label}, {writers} writers: {cairn_rate:.0} check-ins/s (with key result, roll-up, audit, event) vs {plain_rate:.0} plain inserts/s: {:.0} %",
            100.0 * cairn_rate / plain_rate
        );
    }
}

/// Writes per second: `writers` tasks at once, each calling `write` `each` times
/// (with the numbers 0, 1, ... across all of them).
async fn rate<F, W>(writers: usize, each: usize, write: W) -> f64
where
    W: Fn(usize) -> F + Clone + Send + 'static,
    F: std::future::Future<Output = ()> + Send,
{
    let start = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let write = write.clone();
            tokio::spawn(async move {
                for i in 0..each {
                    write(w * each + i).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    (each * writers) as f64 / start.elapsed().as_secs_f64()
}

fn check_in(kr: cairn::ids::KeyResultId, i: usize) -> NewCheckIn {
    NewCheckIn {
        key_result: kr,
        author: None,
        reading: Reading::Metric(Value::parse((i % 1000) as f64).unwrap()),
        confidence: Confidence::parse((i % 11) as i64).unwrap(),
        note: None,
        source: Source::Api,
        through: None,
    }
}

async fn plain_insert(plain: &sqlx::AnyPool, i: usize) {
    let i = i as i64;
    sqlx::query("INSERT INTO plain_inserts (id, at, value, confidence) VALUES ($1, $2, $3, $4)")
        .bind(i)
        .bind(i)
        .bind(i as f64)
        .bind(i % 11)
        .execute(plain)
        .await
        .unwrap();
}

async fn fixture(db: &Db) -> cairn::ids::KeyResultId {
    let unit = create_unit(
        db,
        None,
        NewUnit {
            parent: None,
            name: Name::parse("Bench").unwrap(),
            kind: UnitKind::Organisation,
        },
    )
    .await
    .unwrap();
    let today = chrono::Utc::now().date_naive();
    let period = create_period(
        db,
        None,
        NewPeriod {
            kind: PeriodKind::Custom,
            name: cairn::values::Name::parse("Bench").unwrap(),
            span: Some(Span::new(today, today).unwrap()),
            parent: None,
            state: PeriodState::Active,
        },
    )
    .await
    .unwrap();
    let objective = create_objective(
        db,
        None,
        NewObjective {
            period: period.id,
            owner: Owner::Unit(unit.id),
            title: Title::parse("Bench").unwrap(),
            description: None,
            commitment: Commitment::Committed,
            state: ObjectiveState::Active,
            weight: Weight::ONE,
            parent: None,
        },
    )
    .await
    .unwrap();
    for name in ["Sibling A", "Sibling B"] {
        let mut sibling = metric_kr(objective.id, name);
        sibling.weight = Weight::parse(2.0).unwrap();
        create_key_result(db, None, sibling).await.unwrap();
    }
    create_key_result(db, None, metric_kr(objective.id, "Measured"))
        .await
        .unwrap()
        .id
}

fn metric_kr(objective: cairn::ids::ObjectiveId, title: &str) -> NewKeyResult {
    NewKeyResult {
        objective,
        title: Title::parse(title).unwrap(),
        measure: Measure::metric(
            Value::parse(0.0).unwrap(),
            Value::parse(1000.0).unwrap(),
            Direction::Increase,
            None,
        )
        .unwrap(),
        weight: Weight::ONE,
        milestones: vec![],
        owner: None,
        due: None,
    }
}

async fn tree_load(label: &str, url: &str) {
    let db = open(url).await;
    let today = chrono::Utc::now().date_naive();
    let quarter = current(&db, today)
        .await
        .unwrap()
        .expect("the large demo has a current quarter");
    let mut times: Vec<Duration> = Vec::new();
    let mut size = (0, 0);
    for _ in 0..TREE_RUNS {
        let start = Instant::now();
        let tree = period_tree(&db, quarter.id, None).await.unwrap();
        times.push(start.elapsed());
        size = (tree.objectives.len(), tree.key_results.len());
    }
    let first = times[0];
    times.sort();
    println!(
        "{label}: quarter tree of the large organisation ({} objectives, {} key results): median {:.1} ms, max {:.1} ms, first {:.1} ms",
        size.0,
        size.1,
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0,
        first.as_secs_f64() * 1000.0
    );
}
