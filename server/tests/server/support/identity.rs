//! A real OpenID provider for the tests: `tools/oidc/provider.mjs` (the certified
//! `oidc-provider` package) on a free loopback port, and a client that walks its
//! sign-in pages the way a browser would.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

/// The client Cairn is registered as at the provider.
pub const CLIENT_ID: &str = "cairn";
pub const CLIENT_SECRET: &str = "cairn-test-secret";

/// The provider process, stopped when dropped.
pub struct Provider {
    child: Child,
    pub issuer: String,
    control: PathBuf,
    _dir: tempfile::TempDir,
}

impl Provider {
    /// Starts the provider with these accounts (see `account`).
    pub fn start(accounts: Value) -> Provider {
        let dir = tempfile::tempdir().unwrap();
        let control = dir.path().join("control.json");
        std::fs::write(&control, json!({ "accounts": accounts }).to_string()).unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/oidc/provider.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .arg("--control")
            .arg(&control)
            .args(["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs the test provider (./x test installs tools/oidc)");
        let stdout = child.stdout.take().unwrap();
        let (found, issuer) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("listening on ") {
                    let _ = found.send(url.to_string());
                }
            }
        });
        let issuer = issuer
            .recv_timeout(Duration::from_secs(30))
            .expect("the test provider listens");
        Provider {
            child,
            issuer,
            control,
            _dir: dir,
        }
    }

    /// Replaces the control file: the accounts, and what to spoil (see the script).
    pub fn control(&self, control: Value) {
        std::fs::write(&self.control, control.to_string()).unwrap();
    }

    /// The flags that point Cairn at this provider, as provider `test`.
    pub fn flags(&self) -> Vec<String> {
        [
            "--oidc-id",
            "test",
            "--oidc-label",
            "Test IdP",
            "--oidc-issuer",
            &self.issuer,
            "--oidc-client-id",
            CLIENT_ID,
            "--oidc-client-secret",
            CLIENT_SECRET,
            "--oidc-scopes",
            "openid,email,profile,groups",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An account at the provider.
pub fn account(email: &str, verified: bool, name: &str, groups: &[&str]) -> Value {
    json!({ "email": email, "email_verified": verified, "name": name, "groups": groups })
}

/// A browser of its own: cookies kept per site, redirects reported, not followed.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Where a redirect answer points, made absolute against `from`.
fn location(response: &reqwest::Response) -> Option<String> {
    let to = response.headers().get("location")?.to_str().ok()?;
    Some(response.url().join(to).ok()?.to_string())
}

/// How the provider's sign-in page is answered.
pub enum AtProvider<'a> {
    SignIn(&'a str),
    Cancel,
}

/// Starts signing in at `cairn` through provider `test` and walks the provider's
/// pages; the address the provider sends the browser back to (Cairn's callback),
/// not yet visited.
pub async fn to_callback(browser: &reqwest::Client, cairn: &str, answer: AtProvider<'_>) -> String {
    let mut url = format!("{cairn}/sign-in/oidc/test");
    for _ in 0..12 {
        if url.contains("/sign-in/oidc/test/callback") {
            return url;
        }
        let response = browser.get(&url).send().await.unwrap();
        if let Some(next) = location(&response) {
            url = next;
            continue;
        }
        let page = response.text().await.unwrap();
        let uid = url
            .rsplit("/interaction/")
            .next()
            .unwrap_or_else(|| panic!("no redirect and no sign-in page at {url}:\n{page}"))
            .to_string();
        let base = url.split("/interaction/").next().unwrap();
        let form = match answer {
            AtProvider::SignIn(login) => browser
                .post(format!("{base}/interaction/{uid}/login"))
                .form(&[("login", login)]),
            AtProvider::Cancel => browser.post(format!("{base}/interaction/{uid}/abort")),
        };
        let response = form.send().await.unwrap();
        url = location(&response).unwrap_or_else(|| panic!("the provider's form did not redirect"));
    }
    panic!("too many redirects, last at {url}");
}

/// Visits Cairn's callback; where Cairn sends the browser then.
pub async fn finish(browser: &reqwest::Client, callback: &str) -> String {
    let response = browser.get(callback).send().await.unwrap();
    assert_eq!(response.status(), 303, "{callback}");
    location(&response).unwrap()
}

/// Signs in through the provider as `login`; where Cairn sends the browser.
pub async fn sign_in(browser: &reqwest::Client, cairn: &str, login: &str) -> String {
    let callback = to_callback(browser, cairn, AtProvider::SignIn(login)).await;
    finish(browser, &callback).await
}

/// Confirms signing out on the provider's end-session page at `url`; the
/// addresses it sends the browser to, up to one starting with `back` if given.
pub async fn sign_out_at(browser: &reqwest::Client, url: &str, back: Option<&str>) -> Vec<String> {
    let confirm = browser.get(url).send().await.unwrap();
    assert_eq!(confirm.status(), 200, "{url}");
    let form = confirm.text().await.unwrap();
    let xsrf = form
        .split(r#"name="xsrf" value=""#)
        .nth(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .unwrap_or_default();
    let action = form
        .split(r#"action=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no form at {url}:\n{form}"));
    let target = reqwest::Url::parse(url).unwrap().join(action).unwrap();
    let mut answer = browser
        .post(target)
        .form(&[("xsrf", xsrf.as_str()), ("logout", "yes")])
        .send()
        .await
        .unwrap();
    let mut seen = Vec::new();
    while let Some(next) = location(&answer) {
        seen.push(next.clone());
        if back.is_some_and(|back| next.starts_with(back)) {
            break;
        }
        answer = browser.get(&next).send().await.unwrap();
    }
    seen
}
