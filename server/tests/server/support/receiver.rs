//! A real webhook receiver for the tests: `tools/webhooks/receiver.py` on a
//! loopback port, checking each delivery's signature itself (Python's hmac),
//! failing as often as it is told, and listing what it got.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub struct Receiver {
    child: Child,
    pub url: String,
}

impl Receiver {
    pub fn start() -> Receiver {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/webhooks/receiver.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Debian's python3 runs");
        let stdout = child.stdout.take().unwrap();
        let (found, url) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("listening on ") {
                    let _ = found.send(url.to_string());
                }
            }
        });
        let url = url
            .recv_timeout(Duration::from_secs(30))
            .expect("the test receiver listens");
        Receiver { child, url }
    }

    /// Where webhooks point.
    pub fn hook(&self) -> String {
        format!("{}/hook", self.url)
    }

    /// Checks signatures with `secret`; fails the next `fail` deliveries with 500.
    pub async fn control(&self, secret: &str, fail: u32) {
        let answer = reqwest::Client::new()
            .post(format!("{}/control", self.url))
            .json(&json!({ "secret": secret, "fail": fail }))
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success());
    }

    /// Every request it got, in the order it got them.
    pub async fn received(&self) -> Vec<Value> {
        reqwest::get(format!("{}/received", self.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// What it got, once `done` says it is all there (a minute at most: the
    /// sender's waits double from one second).
    pub async fn until(&self, what: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let got = self.received().await;
            if done(&got) {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: never came; got {got:#?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
