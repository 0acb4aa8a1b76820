//! Sending mail through a real SMTP server (tools/smtp/server.py): `cairn mail
//! test`, and the outbox: retried on temporary failures, kept on permanent ones,
//! delivered once after the server was down, once with two nodes on PostgreSQL.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::support::smtp::{Smtp, header};
use crate::support::{Demo, fresh_postgres_database, page_with, run};

/// `cairn mail test` with these flags besides the SMTP server's.
fn mail_test(smtp: &Smtp, data: &std::path::Path, extra: &[&str]) -> crate::support::Run {
    let mut args: Vec<String> = ["mail", "test"].iter().map(|s| s.to_string()).collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(smtp.flags());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args, data)
}

#[test]
fn mail_test_says_exactly_what_the_server_answered() {
    let smtp = Smtp::start();
    let data = tempfile::tempdir().unwrap();
    let sent = mail_test(&smtp, data.path(), &["--to", "anna@waterland.example"]);
    assert!(sent.status.success(), "{}", sent.stderr);
    assert!(
        sent.stdout
            .contains("the server answered: 250 2.0.0 Ok: queued as 1"),
        "{}",
        sent.stdout
    );
    let message = &smtp.wait_for(1)[0];
    assert_eq!(header(message, "To"), Some("anna@waterland.example"));
    assert_eq!(
        header(message, "From"),
        Some("Cairn <okr@waterland.example>")
    );
    assert!(message.contains("reaches you") && message.contains("komt bij je aan"));

    smtp.set_mode("temporary");
    let later = mail_test(&smtp, data.path(), &["--to", "anna@waterland.example"]);
    assert!(!later.status.success());
    assert!(
        later.stderr.contains("temporary") && later.stderr.contains("451"),
        "{}",
        later.stderr
    );
    smtp.set_mode("permanent");
    let never = mail_test(&smtp, data.path(), &["--to", "anna@waterland.example"]);
    assert!(
        never.stderr.contains("permanent") && never.stderr.contains("550 5.1.1"),
        "{}",
        never.stderr
    );
    let bad = mail_test(&smtp, data.path(), &["--to", "not an address"]);
    assert!(bad.stderr.contains("is not valid"), "{}", bad.stderr);
    assert_eq!(smtp.messages().len(), 1, "nothing else arrived");

    // The configuration file's mail settings count for `mail test` as for `serve`.
    smtp.set_mode("accept");
    let config = data.path().join("cairn.toml");
    std::fs::write(
        &config,
        format!(
            "smtp-host = \"127.0.0.1\"\nsmtp-port = {}\nsmtp-security = \"none\"\n\
             mail-from = \"Cairn <okr@waterland.example>\"\n",
            smtp.port
        ),
    )
    .unwrap();
    let config = config.to_string_lossy().into_owned();
    let from_file = run(
        &[
            "--config",
            &config,
            "mail",
            "test",
            "--to",
            "bram@waterland.example",
        ],
        data.path(),
    );
    assert!(from_file.status.success(), "{}", from_file.stderr);
    assert_eq!(
        header(&smtp.wait_for(2)[1], "To"),
        Some("bram@waterland.example")
    );
}

/// Queues a test message for `to` in the running demo's database.
fn queue(demo: &Demo, to: &str) {
    let mut args = vec!["mail", "test", "--queue", "--to", to];
    if demo.is_postgres() {
        args.extend(["--database-url", demo.db.as_str()]);
    }
    let queued = run(&args, demo.data.path());
    assert!(queued.status.success(), "{}", queued.stderr);
}

/// Waits until `sql` (a count) reaches `at_least`.
async fn wait_count(demo: &Demo, sql: &str, at_least: i64) -> i64 {
    let started = Instant::now();
    loop {
        let count = demo.scalar(sql).await;
        if count >= at_least {
            return count;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{sql}: {count} of {at_least}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn serve_flags(smtp: &Smtp) -> Vec<String> {
    let mut flags = smtp.flags();
    flags.extend(
        [
            "--mail-retry-seconds",
            "1",
            "--metrics-token",
            "a-token-for-the-tests",
        ]
        .map(String::from),
    );
    flags
}

#[tokio::test]
async fn the_outbox_retries_for_now_keeps_what_fails_for_good_and_sends_once() {
    let mut smtp = Smtp::start();
    smtp.set_mode("temporary");
    let flags = serve_flags(&smtp);
    let demo = Demo::start(&flags.iter().map(String::as_str).collect::<Vec<_>>());
    for to in [
        "a@waterland.example",
        "b@waterland.example",
        "c@waterland.example",
    ] {
        queue(&demo, to);
    }
    // Refused for now: each is tried again later.
    wait_count(
        &demo,
        "SELECT count(DISTINCT message_id) FROM outbox_attempts WHERE outcome = 'retry'",
        3,
    )
    .await;
    // The server down altogether: connections refused, still tried again.
    smtp.down();
    let before = demo.scalar("SELECT count(*) FROM outbox_attempts").await;
    wait_count(&demo, "SELECT count(*) FROM outbox_attempts", before + 3).await;
    smtp.set_mode("accept");
    smtp.up();
    let messages = smtp.wait_for(3);
    wait_count(
        &demo,
        "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL",
        3,
    )
    .await;
    let to: BTreeSet<&str> = messages.iter().filter_map(|m| header(m, "To")).collect();
    assert_eq!(to.len(), 3, "each once: {to:?}");
    assert_eq!(smtp.messages().len(), 3, "nothing twice");
    let ids: BTreeSet<&str> = messages
        .iter()
        .filter_map(|m| header(m, "Message-ID"))
        .collect();
    assert_eq!(ids.len(), 3, "a Message-ID of each message's own: {ids:?}");

    // Refused for good: kept, with the server's reason, never tried again.
    smtp.set_mode("permanent");
    queue(&demo, "gone@waterland.example");
    wait_count(
        &demo,
        "SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL",
        1,
    )
    .await;
    assert!(
        demo.text("SELECT last_error FROM outbox WHERE failed_at IS NOT NULL")
            .await
            .contains("550 5.1.1")
    );

    // The admin sees it on the outbox page, with the server's reason.
    let admin = demo.server.session().await;
    let page = page_with(&format!("{}/admin/outbox", demo.server.url), &admin).await;
    for needle in [
        format!("Mail is on: it is sent through 127.0.0.1:{}.", smtp.port),
        "0 queued, 1 failed, 3 sent.".to_string(),
        "gone@waterland.example".to_string(),
        "550 5.1.1 No such mailbox here".to_string(),
    ] {
        assert!(page.contains(&needle), "{needle} in:\n{page}");
    }

    // The operator sees it in the metrics.
    let scrape = reqwest::Client::new()
        .get(format!("{}/metrics", demo.server.url))
        .bearer_auth("a-token-for-the-tests")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "cairn_outbox_messages{state=\"failed\"} 1",
        "cairn_outbox_messages{state=\"sent\"} 3",
        "cairn_outbox_messages{state=\"queued\"} 0",
        "cairn_outbox_attempts_total{channel=\"mail\",outcome=\"sent\"} 3",
        "cairn_outbox_attempts_total{channel=\"mail\",outcome=\"failed\"} 1",
    ] {
        assert!(scrape.contains(line), "{line} in:\n{scrape}");
    }
}

#[tokio::test]
async fn two_nodes_on_one_postgres_send_each_message_once() {
    sqlx::any::install_default_drivers();
    let smtp = Smtp::start();
    let url = fresh_postgres_database("mail_two_nodes").await;
    let flags = serve_flags(&smtp);
    let mut extra: Vec<&str> = flags.iter().map(String::as_str).collect();
    let demo = Demo::start_on(Some(&url), &extra);
    extra.extend(["--database-url", url.as_str()]);
    let second_data = tempfile::tempdir().unwrap();
    let mut command = std::process::Command::new(crate::support::BIN);
    command
        .args(["serve", "--bind", "127.0.0.1:0", "--site-root"])
        .arg(&demo.root)
        .arg("--data-dir")
        .arg(second_data.path())
        .args(&extra);
    let second = crate::support::Server::spawn(&mut command);
    let count = 30;
    for n in 0..count {
        queue(&demo, &format!("person{n}@waterland.example"));
    }
    let messages = smtp.wait_for(count);
    wait_count(
        &demo,
        "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL",
        count as i64,
    )
    .await;
    let to: BTreeSet<&str> = messages.iter().filter_map(|m| header(m, "To")).collect();
    assert_eq!(to.len(), count, "every one arrived");
    assert_eq!(smtp.messages().len(), count, "none twice");
    assert_eq!(
        demo.scalar("SELECT count(*) FROM outbox_attempts").await,
        count as i64
    );
    let owners = demo
        .scalar("SELECT count(DISTINCT lease_owner) FROM outbox")
        .await;
    assert_eq!(owners, 0, "no lease left behind");
    drop(second);
}

#[tokio::test]
async fn without_an_smtp_server_the_admin_pages_say_mail_is_off() {
    let demo = Demo::start(&[]);
    queue(&demo, "waits@waterland.example");
    let admin = demo.server.session().await;
    let page = page_with(&format!("{}/admin/outbox", demo.server.url), &admin).await;
    assert!(page.contains("Mail is off"), "{page}");
    assert!(page.contains("1 queued, 0 failed, 0 sent."), "{page}");
    assert!(page.contains("waits@waterland.example"), "{page}");
}
