//! Faults: the server killed outright in the middle of a rush of check-ins, on
//! SQLite and on PostgreSQL, and event streams cut and resumed while changes keep
//! coming. What was acknowledged is stored; what a stream missed, it gets, once.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;
use sqlx::Connection;

use crate::support::sse::Stream;
use crate::support::{Demo, fresh_postgres_database};

/// Check-ins sent at once, and how many must be answered before the kill.
const RUSH: usize = 200;
const KILL_AFTER: usize = 60;

/// Sends one check-in; whether the server acknowledged it (answered 200).
pub(crate) async fn check_in(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    kr: i64,
    note: &str,
) -> bool {
    checked_in(client, base, cookie, kr, note).await.is_ok()
}

/// A check-in's answer: Ok when it was taken, else what came back instead.
async fn checked_in(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    kr: i64,
    note: &str,
) -> Result<(), String> {
    let sent = client
        .post(format!("{base}/api/check_in"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("key_result={kr}&value=42&confidence=6&note={note}"))
        .send()
        .await
        .map_err(|e| format!("not sent: {e}"))?;
    let status = sent.status();
    let body = sent
        .text()
        .await
        .map_err(|e| format!("{status}, cut off: {e}"))?;
    if status == 200 {
        Ok(())
    } else {
        Err(format!("{status}: {body}"))
    }
}

async fn kill_during_a_rush(mut demo: Demo) {
    let cookie = demo.server.session().await;
    let key_results = crate::support::database::metric_key_results(&demo.db, 40).await;
    let client = reqwest::Client::new();
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
    let answered = Arc::new(AtomicUsize::new(0));
    let base = demo.url().to_string();
    let tasks: Vec<_> = (0..RUSH)
        .map(|i| {
            let (client, base, cookie) = (client.clone(), base.clone(), cookie.clone());
            let kr = key_results[i % key_results.len()];
            let (acknowledged, answered) = (acknowledged.clone(), answered.clone());
            tokio::spawn(async move {
                let note = format!("rush-{i}");
                if check_in(&client, &base, &cookie, kr, &note).await {
                    acknowledged.lock().unwrap().push(note);
                    answered.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    // Kill once the rush is well under way, not before and not after.
    let started = std::time::Instant::now();
    while answered.load(Ordering::SeqCst) < KILL_AFTER
        && started.elapsed() < Duration::from_secs(60)
    {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    demo.server.kill();
    for task in tasks {
        let _ = task.await;
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= KILL_AFTER, "{}", acknowledged.len());

    let mut conn = sqlx::AnyConnection::connect(&demo.db).await.unwrap();
    let stored: HashSet<String> =
        sqlx::query_scalar("SELECT note FROM check_ins WHERE note LIKE 'rush-%'")
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .into_iter()
            .collect();
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|n| !stored.contains(*n))
        .collect();
    println!(
        "kill -9 ({}): {} of {RUSH} acknowledged, {} stored, {} acknowledged but missing",
        if demo.is_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        acknowledged.len(),
        stored.len(),
        missing.len()
    );
    assert!(
        missing.is_empty(),
        "acknowledged but not stored: {missing:?}"
    );
    // Every stored check-in is whole: its key result's reading and its audit row.
    let unaudited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM check_ins c WHERE c.note LIKE 'rush-%' AND NOT EXISTS \
         (SELECT 1 FROM audit_events a WHERE a.action = 'check_in.create' AND a.entity_id = c.key_result_id \
          AND a.at = c.at)",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(unaudited, 0);
    if !demo.is_postgres() {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(integrity, "ok");
        let broken_keys: Vec<(String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
            .fetch_all(&mut conn)
            .await
            .unwrap_or_default();
        assert!(broken_keys.is_empty(), "{broken_keys:?}");
    }
    drop(conn);
    // And it starts again and serves.
    demo.start_again();
    let health = reqwest::get(format!("{}/healthz", demo.url()))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_nine_in_a_rush_of_check_ins_loses_nothing_acknowledged_on_sqlite() {
    kill_during_a_rush(Demo::start(&[])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_nine_in_a_rush_of_check_ins_loses_nothing_acknowledged_on_postgresql() {
    let url = fresh_postgres_database("cairn_faults_kill").await;
    kill_during_a_rush(Demo::start_on(Some(&url), &[])).await;
}

/// Streams cut again and again while check-ins keep coming: joined up by their
/// Last-Event-ID, they hold every check-in exactly once.
async fn streams_resume_exactly(demo: Demo) {
    let cookie = demo.server.session().await;
    let (kr, _) = demo.running_metric().await;
    let base = demo.url().to_string();
    let writes = 60usize;
    // The first stream is open before the first check-in: a stream opened
    // without a Last-Event-ID starts from what comes next.
    let mut first = Some(Stream::open(&base, &cookie, None).await);
    let writer = {
        let (base, cookie) = (base.clone(), cookie.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            for i in 0..writes {
                assert!(check_in(&client, &base, &cookie, kr, &format!("stream-{i}")).await);
                tokio::time::sleep(Duration::from_millis(15)).await;
            }
        })
    };
    let mut seen: Vec<String> = Vec::new();
    let mut last_id: Option<String> = None;
    let mut cuts = 0;
    loop {
        let mut stream = match first.take() {
            Some(stream) => stream,
            None => Stream::open(&base, &cookie, last_id.as_deref()).await,
        };
        // Read a few events, then cut the connection.
        for _ in 0..7 {
            match stream.next(Duration::from_secs(3)).await {
                Some(event) => {
                    let body: Value = serde_json::from_str(&event.data).unwrap();
                    if body["kind"] == "check_in" && body["change"]["key_result"] == kr {
                        seen.push(body["id"].to_string());
                    }
                    last_id = event.id.clone();
                }
                None => break,
            }
        }
        drop(stream);
        cuts += 1;
        if writer.is_finished() && seen.len() >= writes {
            break;
        }
        assert!(
            cuts < 200,
            "the streams never caught up: {} of {writes}",
            seen.len()
        );
    }
    writer.await.unwrap();
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no event twice: {seen:?}");
    assert_eq!(seen.len(), writes, "none missed: {seen:?}");
    assert!(cuts > 3, "the streams were cut {cuts} times");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cut_streams_resume_with_nothing_missed_or_repeated_on_sqlite() {
    streams_resume_exactly(Demo::start(&[])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cut_streams_resume_with_nothing_missed_or_repeated_on_postgresql() {
    let url = fresh_postgres_database("cairn_faults_streams").await;
    streams_resume_exactly(Demo::start_on(Some(&url), &[])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_event_id_used_up_by_a_rollback_sends_nothing_twice() {
    let url = fresh_postgres_database("cairn_faults_gap").await;
    let demo = Demo::start_on(Some(&url), &[]);
    let cookie = demo.server.session().await;
    let (kr, _) = demo.running_metric().await;
    let client = reqwest::Client::new();
    let base = demo.url().to_string();
    let mut received: Vec<String> = Vec::new();
    let mut stream = Stream::open(&base, &cookie, None).await;
    let take = |event: crate::support::sse::Sse, into: &mut Vec<String>| {
        let body: Value = serde_json::from_str(&event.data).unwrap();
        into.push(body["id"].to_string());
        event.id
    };
    checked_in(&client, &base, &cookie, kr, "gap-a")
        .await
        .unwrap_or_else(|why| panic!("the check-in gap-a was refused: {why}"));
    let first = stream
        .next(Duration::from_secs(5))
        .await
        .expect("the first event");
    take(first, &mut received);
    // An event id is used up and rolled back: a hole in the log.
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    let mut tx = conn.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO events (at, kind, entity, entity_id, payload) VALUES (0, 'test', 'none', 0, '{}')",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    checked_in(&client, &base, &cookie, kr, "gap-b")
        .await
        .unwrap_or_else(|why| panic!("the check-in gap-b was refused: {why}"));
    let second = stream
        .next(Duration::from_secs(5))
        .await
        .expect("the event after the hole");
    let resume = take(second, &mut received).expect("an id to resume from");
    drop(stream);
    // Back, from where the browser stood: nothing again, and what comes next.
    let mut back = Stream::open(&base, &cookie, Some(&resume)).await;
    checked_in(&client, &base, &cookie, kr, "gap-c")
        .await
        .unwrap_or_else(|why| panic!("the check-in gap-c was refused: {why}"));
    while let Some(event) = back.next(Duration::from_millis(1500)).await {
        take(event, &mut received);
    }
    let unique: HashSet<&String> = received.iter().collect();
    assert_eq!(unique.len(), received.len(), "repeated: {received:?}");
    assert_eq!(received.len(), 3, "missed: {received:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_node_started_and_stopped_again_and_again_never_panics() {
    let mut demo = Demo::start(&[]);
    let cookie = demo.server.session().await;
    let (_, objective) = demo.running_metric().await;
    let client = reqwest::Client::new();
    for round in 0..20 {
        if round > 0 {
            demo.restart();
        }
        let base = demo.url().to_string();
        let paths = ["/healthz", "/", "/sign-in", "/my", "/tree"];
        let requests = (0..16).map(|i| {
            let path = if i == 15 {
                format!("/objectives/{objective}")
            } else {
                paths[i % paths.len()].to_string()
            };
            client
                .get(format!("{base}{path}"))
                .header("cookie", &cookie)
                .send()
        });
        for answer in futures::future::join_all(requests).await {
            let answer = answer.expect("an answer");
            assert!(
                answer.status().is_success(),
                "round {round}: {}",
                answer.status()
            );
        }
        let log = demo.server.output();
        assert!(!log.contains("panicked"), "round {round}: {log}");
    }
}

/// One answer's status, whether it said when to come back, and how long it took.
async fn timed(request: reqwest::RequestBuilder) -> (u16, bool, Duration) {
    let started = std::time::Instant::now();
    let response = request
        .send()
        .await
        .expect("an answer while the database is away");
    let retry = response.headers().contains_key("retry-after");
    (response.status().as_u16(), retry, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn while_the_database_is_away_every_answer_comes_quickly_and_nothing_is_stored() {
    let pg = crate::support::postgres::OwnPostgres::start();
    let url = pg.url("postgres");
    let demo = Demo::start_on(Some(&url), &[]);
    let cookie = demo.server.session().await;
    let (kr, _) = demo.running_metric().await;
    // A generous bound: without one a hanging server would hang the test.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let count = || async {
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM check_ins WHERE note = 'away'")
            .fetch_one(&mut conn)
            .await
            .unwrap()
    };
    assert_eq!(count().await, 0);
    let base = demo.url().to_string();
    pg.down();
    let mut times = Vec::new();
    for round in 0..6 {
        let health = timed(client.get(format!("{base}/readyz"))).await;
        let page = timed(client.get(format!("{base}/")).header("cookie", &cookie)).await;
        let write = timed(
            client
                .post(format!("{base}/api/check_in"))
                .header("cookie", &cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("key_result={kr}&value=7&confidence=5&note=away")),
        )
        .await;
        for (what, (status, retry, took)) in
            [("health", health), ("page", page), ("check-in", write)]
        {
            assert_eq!(status, 503, "round {round}: {what}");
            assert!(retry, "round {round}: {what} says when to come back");
            times.push(took);
        }
    }
    pg.up();
    let started = std::time::Instant::now();
    loop {
        let (status, _, _) = timed(client.get(format!("{base}/readyz"))).await;
        if status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server never recovered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let recovered = started.elapsed();
    assert_eq!(
        count().await,
        0,
        "nothing sent during the outage was stored"
    );
    assert!(
        check_in(&client, &base, &cookie, kr, "back").await,
        "writes work again, no restart"
    );
    times.sort();
    println!(
        "database away: {} answers, median {:.0} ms, slowest {:.0} ms; healthy again {:.0} ms after the database",
        times.len(),
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0,
        recovered.as_secs_f64() * 1000.0
    );
}
