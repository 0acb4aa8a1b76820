//! The smallest axum server: one static "hello". `./x load` measures it beside the
//! portal's pages, so their latency can be read against what the machine does for
//! nothing at all.

use std::net::SocketAddr;

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr: SocketAddr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_string())
        .parse()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    let app = Router::new().route("/", get(|| async { "hello" }));
    axum::serve(listener, app).await
}
