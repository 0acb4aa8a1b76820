//! Who is asking: the client's address, for the rate limits and the logs.
//!
//! Behind a reverse proxy every request comes from the proxy; the proxy names the
//! client in `X-Forwarded-For`. That header is believed only when the connection
//! comes from a proxy the operator listed (`--trusted-proxies`), and then read from
//! the right, past every trusted proxy, so a client cannot name itself.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

/// The client's address, in every request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl std::fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Arc<[IpNet]>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        TrustedProxies(networks.into())
    }

    pub fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&address))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The client behind `peer`, the address the connection came from.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        for hop in hops.iter().rev() {
            let Some(address) = parse_hop(hop) else {
                // Garbage from further out than the last trusted proxy: stop there.
                break;
            };
            client = address;
            if !self.trusts(address) {
                break;
            }
        }
        client
    }
}

/// One entry of `X-Forwarded-For`: an address, maybe with a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// Puts the client's address into the request's extensions.
pub async fn client_address(trusted: TrustedProxies, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(peer) = peer {
        let client = trusted.client(peer, request.headers());
        // The request's log lines name it (the span declares the field).
        tracing::Span::current().record("client", tracing::field::display(client));
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in xff {
            map.append("x-forwarded-for", value.parse().unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("10.0.0.2"), &headers(&["1.2.3.4"])),
            ip("10.0.0.2")
        );
        let proxies = TrustedProxies::new(vec!["10.0.0.0/24".parse().unwrap()]);
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &headers(&["1.2.3.4"])),
            ip("1.2.3.4")
        );
        assert_eq!(
            proxies.client(ip("192.0.2.9"), &headers(&["1.2.3.4"])),
            ip("192.0.2.9"),
            "an untrusted peer names no one"
        );
    }

    #[test]
    fn a_client_cannot_name_itself_past_the_proxy() {
        let proxies = TrustedProxies::new(vec!["10.0.0.0/24".parse().unwrap()]);
        // The client sent "6.6.6.6" itself; the proxy appended what it saw.
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &headers(&["6.6.6.6, 1.2.3.4"])),
            ip("1.2.3.4")
        );
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &headers(&["6.6.6.6", "1.2.3.4, 10.0.0.3"])),
            ip("1.2.3.4")
        );
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &headers(&["garbage, 1.2.3.4:5555"])),
            ip("1.2.3.4")
        );
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &headers(&[])),
            ip("10.0.0.2")
        );
    }
}
