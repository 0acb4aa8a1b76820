//! The event stream as a browser reads it: `/events`, its ids, reconnecting.

use std::time::Duration;

use serde_json::Value;

/// One server-sent event: its id and data.
#[derive(Debug, Clone)]
pub struct Sse {
    pub id: Option<String>,
    pub data: String,
}

/// An open /events stream.
pub struct Stream {
    /// The id the server (or the proxy in front) gave the request.
    pub request_id: Option<String>,
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    pub async fn open(base: &str, cookie: &str, last_event_id: Option<&str>) -> Stream {
        let mut request = reqwest::Client::new()
            .get(format!("{base}/events"))
            .header("cookie", cookie);
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        Stream {
            request_id: response
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            response,
            buffer: String::new(),
        }
    }

    /// The next event with data, or None if none comes within `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<Sse> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = Sse {
                    id: None,
                    data: String::new(),
                };
                for line in block.lines() {
                    if let Some(id) = line.strip_prefix("id:") {
                        event.id = Some(id.trim().to_string());
                    } else if let Some(data) = line.strip_prefix("data:") {
                        event.data.push_str(data.trim_start());
                    }
                }
                if !event.data.is_empty() {
                    return Some(event);
                }
                continue;
            }
            // Nothing within the wait, the stream ended, or the connection broke.
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

pub async fn check_in(base: &str, cookie: &str, key_result: i64, value: f64) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/check_in"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(format!(
            "key_result={key_result}&value={value}&confidence=7&note=live"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    response.json().await.unwrap()
}
