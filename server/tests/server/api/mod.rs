//! The public API (`/api/v1`) over HTTP on the demo organisation: tokens made
//! through the account page's form act within their scopes and their person's
//! rights; versions, retries, paging and bad input; the description.

mod access;
mod description;
mod forms;
mod input;
mod versions;

use serde_json::Value;

use crate::support::no_redirects;

/// An API client holding one token.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub token: String,
    client: reqwest::Client,
}

/// What the API answered.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    /// The problem's kind (`forbidden`, `invalid`, …), checking it is one.
    pub fn problem(&self) -> String {
        assert_eq!(
            self.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/problem+json"),
            "{} {}",
            self.status,
            self.text
        );
        assert_eq!(
            self.body["status"].as_u64(),
            Some(u64::from(self.status)),
            "{}",
            self.text
        );
        let kind = self.body["type"].as_str().unwrap_or_default();
        kind.strip_prefix("/api/v1/docs#problem-")
            .unwrap_or_else(|| panic!("not a problem type: {}", self.text))
            .to_string()
    }

    pub fn etag(&self) -> String {
        self.headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no ETag: {}", self.text))
            .to_string()
    }
}

impl Api {
    pub fn new(base: &str, token: &str) -> Api {
        Api {
            base: base.to_string(),
            token: token.to_string(),
            client: reqwest::Client::new(),
        }
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> Answer {
        let mut request = self
            .client
            .request(method.parse().unwrap(), format!("{}{path}", self.base));
        if !self.token.is_empty() {
            request = request.header("authorization", format!("Bearer {}", self.token));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        Answer {
            status,
            headers,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send("GET", path, &[], None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send("POST", path, &[], Some(body.to_string())).await
    }
}

/// Makes a token through a token form (`/account/tokens` or `/admin/tokens`)
/// as the holder of `cookie`, and reads its secret from the page the form
/// returns to (shown there once).
pub async fn make_token(
    base: &str,
    cookie: &str,
    form: &str,
    name: &str,
    scopes: &[&str],
    days: &str,
) -> String {
    let mut fields: Vec<(&str, &str)> = vec![("name", name), ("days", days)];
    for scope in scopes {
        fields.push(("scopes", scope));
    }
    let response = no_redirects()
        .post(format!("{base}{form}"))
        .header("cookie", cookie)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let back = response.headers()["location"].to_str().unwrap().to_string();
    let page = crate::support::page_with(&format!("{base}{back}"), cookie).await;
    let secret = page
        .split("<code id=\"new-token-secret\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| {
            panic!(
                "no new token on {back}: {}",
                page.split("id=\"tokens\"")
                    .nth(1)
                    .unwrap_or(&page[page.len().saturating_sub(3000)..])
            )
        })
        .to_string();
    assert!(secret.starts_with("cairn_"), "{secret}");
    // Shown once: the page does not show it again.
    let again = crate::support::page_with(&format!("{base}{back}"), cookie).await;
    assert!(!again.contains(&secret));
    secret
}
