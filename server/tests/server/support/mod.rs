//! Runs the real `cairn` executable for tests: a fresh data directory, a free port.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

pub mod database;
pub mod identity;
pub mod postgres;
pub mod receiver;
pub mod roles;
pub mod smtp;
pub mod sse;

pub use database::{fresh_postgres_database, metric_key_result, scalar};

pub const BIN: &str = env!("CARGO_BIN_EXE_cairn");

/// How many migrations a fresh SQLite database receives: the files that define them.
pub fn sqlite_migrations() -> usize {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../app/migrations/sqlite");
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sql")
        })
        .count()
}

/// A `cairn serve` process, stopped with SIGTERM when dropped.
pub struct Server {
    child: Child,
    pub url: String,
    output: Arc<Mutex<String>>,
    /// The threads reading its output; they end when the process's pipes close.
    readers: Vec<thread::JoinHandle<()>>,
    pub data_dir: Option<tempfile::TempDir>,
}

impl Server {
    pub fn start(site_root: &Path) -> Server {
        let data_dir = tempfile::tempdir().unwrap();
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--bind", "127.0.0.1:0", "--log-level", "info"])
            .arg("--site-root")
            .arg(site_root)
            .arg("--data-dir")
            .arg(data_dir.path());
        let mut server = Server::spawn(&mut command);
        server.data_dir = Some(data_dir);
        server
    }

    /// Runs a prepared `cairn serve` command and waits until it listens.
    pub fn spawn(command: &mut Command) -> Server {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the cairn binary starts");

        let output = Arc::new(Mutex::new(String::new()));
        let (found, url) = mpsc::channel();
        let mut readers = Vec::new();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = Arc::clone(&output);
            let found = found.clone();
            readers.push(thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(at) = line.find("listening on http://") {
                        // A text line ends with the URL; a JSON one closes a string.
                        let url: String = line[at + "listening on ".len()..]
                            .chars()
                            .take_while(|c| !c.is_whitespace() && *c != '"')
                            .collect();
                        let _ = found.send(url);
                    }
                    output.lock().unwrap().push_str(&line);
                    output.lock().unwrap().push('\n');
                }
            }));
        }
        let url = url
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("server did not listen:\n{}", output.lock().unwrap()));
        Server {
            child,
            url,
            output,
            readers,
            data_dir: None,
        }
    }

    /// The first admin's one-time sign-in link, as `serve` printed it on first start.
    pub fn admin_link_token(&self) -> String {
        let output = self.output();
        let at = output
            .find("/sign-in/link/")
            .unwrap_or_else(|| panic!("no sign-in link printed:\n{output}"));
        output[at + "/sign-in/link/".len()..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect()
    }

    /// A session cookie (`cairn_session=...`) of the first admin, from the printed
    /// link: everything may be read and changed with it.
    pub async fn session(&self) -> String {
        let token = self.admin_link_token();
        let response = no_redirects()
            .post(format!("{}/sign-in/link", self.url))
            .form(&[("token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{:?}", response.text().await);
        session_cookie(&response)
    }

    /// Waits for a line of output containing `needle`; the line.
    pub fn wait_for_line(&self, needle: &str) -> String {
        let started = std::time::Instant::now();
        loop {
            if let Some(line) = self.output().lines().find(|l| l.contains(needle)) {
                return line.to_string();
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no line with {needle:?} in:\n{}",
                self.output()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Kills the process outright (SIGKILL): no shutdown, no flushing.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.read_to_end();
    }

    /// Sends SIGTERM and waits for the process to end, and for its last words
    /// to be read.
    pub fn terminate(&mut self) -> ExitStatus {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let status = self.child.wait().unwrap();
        self.read_to_end();
        status
    }

    /// Waits until everything the ended process wrote is in `output`.
    fn read_to_end(&mut self) {
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.terminate();
        }
    }
}

/// An HTTP client that reports redirects instead of following them.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A page's text as the holder of `cookie` gets it (redirects not followed).
pub async fn page_with(url: &str, cookie: &str) -> String {
    no_redirects()
        .get(url)
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A page as the holder of `cookie` reading `language` gets it, with the markers
/// the renderer leaves between texts removed (so a sentence reads as one).
pub async fn page_in(url: &str, cookie: &str, language: &str) -> String {
    reqwest::Client::new()
        .get(url)
        .header("cookie", cookie)
        .header("accept-language", language)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .replace("<!-- -->", "")
        .replace("<!>", "")
}

/// Where a response sends the browser next ("" when it does not redirect).
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The `cairn_session=...` pair a response sets.
pub fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("cairn_session="))
        .and_then(|v| v.split(';').next())
        .unwrap_or_else(|| panic!("no session cookie in {:?}", response.headers()))
        .to_string()
}

/// Signs in with an email and password; the session cookie.
pub async fn sign_in(base: &str, email: &str, password: &str) -> String {
    let response = no_redirects()
        .post(format!("{base}/sign-in"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    session_cookie(&response)
}

/// The outcome of a `cairn` run that is expected to end by itself.
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str], data_dir: &Path) -> Run {
    let output = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .output()
        .expect("the cairn binary runs");
    Run {
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A minimal site root with a bundle stylesheet and its brotli twin.
pub fn site_root() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("cairn.css"), "body { color: black }\n").unwrap();
    std::fs::write(pkg.join("cairn.css.br"), b"brotli bytes stand-in").unwrap();
    std::fs::write(
        dir.path().join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let path = dir.path().to_path_buf();
    (dir, path)
}

/// The demo organisation (SQLite), served with the given extra `serve` flags.
pub struct Demo {
    pub server: Server,
    /// The database's URL, for reading it directly.
    pub db: String,
    pub data: tempfile::TempDir,
    /// The site root's directory, kept while the server runs.
    _site: tempfile::TempDir,
    pub root: PathBuf,
    extra: Vec<String>,
}

impl Demo {
    /// On a SQLite file in a fresh data directory.
    pub fn start(extra: &[&str]) -> Demo {
        Self::start_on(None, extra)
    }

    /// On `database` (a PostgreSQL URL), or on SQLite with None.
    pub fn start_on(database: Option<&str>, extra: &[&str]) -> Demo {
        sqlx::any::install_default_drivers();
        let data = tempfile::tempdir().unwrap();
        // The demo's calendar follows the day the server runs on.
        let today = extra
            .iter()
            .position(|a| *a == "--today")
            .map(|at| extra[at + 1]);
        let mut extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let mut generate = vec!["demo"];
        if let Some(day) = today {
            generate.extend(["--today", day]);
        }
        if let Some(url) = database {
            generate.extend(["--database-url", url]);
            extra.extend(["--database-url".to_string(), url.to_string()]);
        }
        let demo = run(&generate, data.path());
        assert!(demo.status.success(), "{}", demo.stderr);
        let (site, root) = site_root();
        let server = Self::serve(&root, data.path(), &extra);
        let db = match database {
            Some(url) => url.to_string(),
            None => format!("sqlite://{}", data.path().join("cairn.db").display()),
        };
        Demo {
            server,
            db,
            data,
            _site: site,
            root,
            extra,
        }
    }

    fn serve(root: &Path, data: &Path, extra: &[String]) -> Server {
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .arg("--site-root")
            .arg(root)
            .arg("--data-dir")
            .arg(data)
            .args(extra);
        Server::spawn(&mut command)
    }

    /// Stops the server and starts it again on the same data.
    pub fn restart(&mut self) {
        self.server.terminate();
        self.server = Self::serve(&self.root, self.data.path(), &self.extra);
    }

    /// Starts the server again after it was killed.
    pub fn start_again(&mut self) {
        self.server = Self::serve(&self.root, self.data.path(), &self.extra);
    }

    pub fn is_postgres(&self) -> bool {
        self.db.starts_with("postgres")
    }

    pub fn url(&self) -> &str {
        &self.server.url
    }

    /// One number the database answers `sql` with.
    pub async fn scalar(&self, sql: &str) -> i64 {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&self.db).await.unwrap();
        sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
    }

    /// One text the database answers `sql` with.
    pub async fn text(&self, sql: &str) -> String {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&self.db).await.unwrap();
        sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
    }

    /// A metric key result of the running quarter and its objective.
    pub async fn running_metric(&self) -> (i64, i64) {
        let key_result = self
            .scalar(
                "SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id \
                 JOIN periods p ON p.id = o.period_id \
                 WHERE k.kind = 'metric' AND p.kind = 'quarter' AND p.state = 'active' \
                 ORDER BY k.id LIMIT 1",
            )
            .await;
        let objective = self
            .scalar(&format!(
                "SELECT objective_id FROM key_results WHERE id = {key_result}"
            ))
            .await;
        (key_result, objective)
    }
}

/// Sends one raw HTTP/1.1 request and resets the connection the moment it is
/// written, before any answer: a closed tab, a proxy time-out, a hostile client.
pub fn send_and_reset(base: &str, request: &str) {
    let address = base.trim_start_matches("http://");
    let stream = std::net::TcpStream::connect(address).unwrap();
    let socket = socket2::SockRef::from(&stream);
    socket.set_linger(Some(Duration::ZERO)).unwrap();
    use std::io::Write;
    (&stream).write_all(request.as_bytes()).unwrap();
    drop(stream);
}

/// A form POST as raw HTTP/1.1 text, with a session cookie.
pub fn raw_form_post(base: &str, path: &str, cookie: &str, body: &str) -> String {
    let host = base.trim_start_matches("http://");
    format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}
