//! Several nodes behind a real reverse proxy: PostgreSQL, two `cairn serve`
//! processes and nginx in front, configured by the example the repository ships
//! (dist/nginx.conf).

use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::sse::{Stream, check_in};
use crate::support::{BIN, Server, metric_key_result, run, scalar, site_root};

/// The address nginx connects to the nodes from, the only one they trust.
const PROXY_SOURCE: &str = "127.0.0.2";
/// The address the test's "browser" connects from.
const BROWSER: &str = "127.0.0.3";

/// nginx on a free loopback port, with the shipped example in its http block.
struct Nginx {
    child: Child,
    url: String,
    dir: tempfile::TempDir,
}

impl Nginx {
    fn start(nodes: [&str; 2]) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let example =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../dist/nginx.conf"))
                .unwrap();
        let site = example
            .replace("127.0.0.1:3000", nodes[0])
            .replace("127.0.0.1:3001", nodes[1])
            .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
            .replace(
                "# proxy_bind 127.0.0.1;",
                &format!("proxy_bind {PROXY_SOURCE};"),
            );
        assert_ne!(
            site, example,
            "the example's addresses are where the test expects"
        );
        let path = |name: &str| dir.path().join(name).display().to_string();
        std::fs::write(path("cairn.conf"), site).unwrap();
        let main = format!(
            "daemon off;\nworker_processes 1;\npid {pid};\nerror_log {error} info;\n{user}\
             events {{ worker_connections 1024; }}\n\
             http {{\n  access_log {access};\n  client_body_temp_path {tmp}/body;\n  \
             proxy_temp_path {tmp}/proxy;\n  fastcgi_temp_path {tmp}/fastcgi;\n  \
             uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n  include {site};\n}}\n",
            pid = path("nginx.pid"),
            error = path("error.log"),
            access = path("access.log"),
            tmp = dir.path().display(),
            site = path("cairn.conf"),
            // As root, the workers would otherwise drop to a user that cannot read here.
            user = if is_root() { "user root;\n" } else { "" },
        );
        std::fs::write(path("nginx.conf"), main).unwrap();
        let child = Command::new("nginx")
            .args([
                "-p",
                &dir.path().display().to_string(),
                "-c",
                &path("nginx.conf"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nginx is installed (./x test installs Debian's nginx)");
        // Ready when it accepts connections.
        let started = Instant::now();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "nginx did not listen: {}",
                std::fs::read_to_string(path("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Nginx {
            child,
            url: format!("http://127.0.0.1:{port}"),
            dir,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn node(url: &str, root: &Path, data: &Path) -> Server {
    let mut command = Command::new(BIN);
    command
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", url])
        .args(["--trusted-proxies", PROXY_SOURCE])
        .arg("--site-root")
        .arg(root)
        .arg("--data-dir")
        .arg(data);
    Server::spawn(&mut command)
}

/// A client that connects from `BROWSER`.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(BROWSER.parse::<IpAddr>().unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn request_id(response: &reqwest::Response) -> String {
    response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string()
}

/// The front page through the proxy, which must answer it; the request's id.
async fn front_page(client: &reqwest::Client, proxy: &Nginx, cookie: &str) -> String {
    let page = client
        .get(format!("{}/", proxy.url))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200, "{}", proxy.log());
    request_id(&page)
}

/// The line a node logged for the request with this id, if it served it.
fn logged(server: &Server, id: &str) -> Option<String> {
    server
        .output()
        .lines()
        .find(|line| line.contains(id) && line.contains("finished processing request"))
        .map(str::to_string)
}

/// Waits until one of the nodes logged the request; that line.
fn wait_logged(nodes: &[&Server], id: &str) -> String {
    let started = Instant::now();
    loop {
        if let Some(line) = nodes.iter().find_map(|node| logged(node, id)) {
            return line;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no node logged {id}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_behind_nginx_share_sessions_and_events_and_survive_one_dying() {
    let url = crate::support::fresh_postgres_database("cairn_cluster").await;
    let data = tempfile::tempdir().unwrap();
    let demo = run(&["demo", "--database-url", &url], data.path());
    assert!(demo.status.success(), "{}", demo.stderr);
    let kr = metric_key_result(&url).await;
    let (_site, root) = site_root();
    let mut one = node(&url, &root, data.path());
    let mut two = node(&url, &root, data.path());
    let addr = |server: &Server| server.url.trim_start_matches("http://").to_string();
    let proxy = Nginx::start([&addr(&one), &addr(&two)]);
    let cookie = one.session().await;
    let client = browser();

    // One session, every page answered, by both nodes in turn.
    let mut ids = Vec::new();
    for _ in 0..6 {
        ids.push(front_page(&client, &proxy, &cookie).await);
    }
    for id in &ids {
        wait_logged(&[&one, &two], id);
    }
    for (name, server) in [("one", &one), ("two", &two)] {
        assert!(
            ids.iter().any(|id| logged(server, id).is_some()),
            "node {name} served none of {ids:?}"
        );
    }

    // The proxy's X-Forwarded-For names the client; a client's own does not.
    for (through, base) in [("the proxy", &proxy.url), ("no proxy", &one.url)] {
        let claimed = client
            .get(format!("{base}/sign-in"))
            .header("x-forwarded-for", "9.9.9.9")
            .send()
            .await
            .unwrap();
        let line = wait_logged(&[&one, &two], &request_id(&claimed));
        assert!(
            line.contains(&format!("client={BROWSER}")),
            "{through}: {line}"
        );
        assert!(!line.contains("9.9.9.9"), "{through}: {line}");
    }

    // A check-in through the proxy reaches a stream through the proxy at once: the
    // proxy passes events on instead of buffering them.
    let mut stream = Stream::open(&proxy.url, &cookie, None).await;
    let stream_id = stream.request_id.clone().unwrap();
    wait_logged(&[&one, &two], &stream_id);
    let holder_is_one = logged(&one, &stream_id).is_some();
    let value = |event: &crate::support::sse::Sse| {
        let body: serde_json::Value = serde_json::from_str(&event.data).unwrap();
        body["change"]["value"].as_f64().unwrap()
    };
    check_in(&proxy.url, &cookie, kr, 31.0).await;
    let event = stream
        .next(Duration::from_secs(10))
        .await
        .expect("the event passes the proxy");
    assert_eq!(value(&event), 31.0);
    // And one made through the node the stream is not on reaches it too.
    let other = if holder_is_one { &two.url } else { &one.url };
    check_in(other, &cookie, kr, 31.5).await;
    let event = stream
        .next(Duration::from_secs(10))
        .await
        .expect("a check-in through the other node reaches the stream");
    assert_eq!(value(&event), 31.5);
    let seen = event.id.clone().unwrap();

    // The node holding the stream dies.
    let (dead, survivor) = if holder_is_one {
        (&mut one, &two)
    } else {
        (&mut two, &one)
    };
    dead.kill();
    assert!(
        stream.next(Duration::from_secs(10)).await.is_none(),
        "the stream ends with its node"
    );

    // Meanwhile the other keeps serving: a check-in while the browser is away ...
    let away = check_in(&proxy.url, &cookie, kr, 32.0).await;
    assert!(away["key_result_progress"].is_number(), "{away}");
    for _ in 0..4 {
        wait_logged(&[survivor], &front_page(&client, &proxy, &cookie).await);
    }
    // ... and the browser, reconnecting as EventSource does (Last-Event-ID), gets
    // exactly what it missed from the node still up.
    let mut back = Stream::open(&proxy.url, &cookie, Some(&seen)).await;
    let missed = back
        .next(Duration::from_secs(10))
        .await
        .expect("the missed check-in is replayed");
    assert_eq!(value(&missed), 32.0);
    assert!(back.next(Duration::from_millis(500)).await.is_none());
    let stored = scalar(
        &url,
        &format!("SELECT count(*) FROM check_ins WHERE key_result_id = {kr} AND note = 'live'"),
    )
    .await;
    assert_eq!(stored, 3, "each check-in stored once");
}

#[test]
fn nodes_starting_together_migrate_in_turn() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = runtime.block_on(crate::support::fresh_postgres_database(
        "cairn_migrate_together",
    ));
    let data = tempfile::tempdir().unwrap();
    let starting: Vec<Child> = (0..3)
        .map(|_| {
            Command::new(BIN)
                .args(["migrate", "--database-url", &url])
                .arg("--data-dir")
                .arg(data.path())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut applied = 0;
    for child in starting {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let count: usize = stdout
            .split("migrations_applied=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{stdout}"));
        applied += count;
    }
    let migrations = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../app/migrations/postgres"
    ))
    .unwrap()
    .count();
    assert_eq!(
        applied, migrations,
        "each migration ran once among the three"
    );
    let rows = runtime.block_on(scalar(&url, "SELECT count(*) FROM _sqlx_migrations"));
    assert_eq!(rows as usize, migrations);
}
