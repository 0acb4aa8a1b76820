//! A real SMTP server for the tests: `tools/smtp/server.py` (aiosmtpd) on a
//! loopback port, storing what it accepts as files, told how to answer by a
//! control file, and stopped and started again to be down for a while.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Smtp {
    child: Option<Child>,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl Smtp {
    pub fn start() -> Smtp {
        let dir = tempfile::tempdir().unwrap();
        let mut smtp = Smtp {
            child: None,
            port: 0,
            dir,
        };
        smtp.set_mode("accept");
        smtp.up();
        smtp
    }

    /// Starts the process (again, on the same port once it had one).
    pub fn up(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/smtp/server.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg("--dir")
            .arg(self.mailbox())
            .arg("--control")
            .arg(self.dir.path().join("control.json"))
            .args(["--port", &self.port.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Debian's python3 with aiosmtpd runs (./x test installs python3-aiosmtpd)");
        let stdout = child.stdout.take().unwrap();
        let (found, port) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(port) = line.strip_prefix("listening on smtp://127.0.0.1:") {
                    let _ = found.send(port.parse::<u16>().unwrap());
                }
            }
        });
        self.port = port
            .recv_timeout(Duration::from_secs(30))
            .expect("the test SMTP server listens");
        self.child = Some(child);
    }

    /// Stops the process: connections are refused until `up`.
    pub fn down(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// `accept`, `temporary` (451) or `permanent` (550), from the next message on.
    pub fn set_mode(&self, mode: &str) {
        let control = self.dir.path().join("control.json");
        let part = self.dir.path().join("control.json.part");
        std::fs::write(&part, format!("{{\"mode\": \"{mode}\"}}")).unwrap();
        std::fs::rename(part, control).unwrap();
    }

    fn mailbox(&self) -> PathBuf {
        self.dir.path().join("mailbox")
    }

    /// Every message received so far, as sent.
    pub fn messages(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.mailbox()) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    /// Every message received so far, as a mail program reads it.
    pub fn received(&self) -> Vec<Received> {
        let count = self.messages().len();
        (1..=count)
            .map(|n| {
                let path = self.mailbox().join(format!("{n}.json"));
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
            })
            .collect()
    }

    /// Waits until `count` messages have arrived; them.
    pub fn wait_for(&self, count: usize) -> Vec<String> {
        let started = Instant::now();
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{} of {count} messages arrived",
                messages.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The flags that send Cairn's mail here.
    pub fn flags(&self) -> Vec<String> {
        [
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            &self.port.to_string(),
            "--smtp-security",
            "none",
            "--mail-from",
            "Cairn <okr@waterland.example>",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        self.down();
    }
}

/// A message as a mail program reads it (see tools/smtp/server.py).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Received {
    pub to: Vec<String>,
    pub subject: String,
    pub headers: std::collections::HashMap<String, String>,
    pub text: String,
    pub html: String,
}

/// A header's value in a message as sent.
pub fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    message.lines().take_while(|l| !l.is_empty()).find_map(|l| {
        l.split_once(':')
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    })
}
