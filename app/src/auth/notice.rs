//! Why the sign-in page is shown again, as its address says: written by the sign-in
//! handlers and read by the page through this one type, so the two cannot drift.

/// What the sign-in page has to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInNotice {
    /// Unknown email, wrong password, or no password set: said alike, on purpose.
    Wrong,
    /// Too many attempts lately; try again after this many minutes.
    TooMany {
        minutes: i64,
    },
    /// A one-time link that is unknown, used or expired.
    LinkInvalid,
    SignedOut,
}

impl SignInNotice {
    /// The query (without `?`) that says it.
    pub fn query(self) -> String {
        match self {
            SignInNotice::Wrong => "notice=wrong".into(),
            SignInNotice::TooMany { minutes } => format!("notice=too_many&wait={minutes}"),
            SignInNotice::LinkInvalid => "notice=link".into(),
            SignInNotice::SignedOut => "notice=signed_out".into(),
        }
    }

    /// Reads it from a query's parameters; None for anything else.
    pub fn read(get: impl Fn(&str) -> Option<String>) -> Option<SignInNotice> {
        match get("notice")?.as_str() {
            "wrong" => Some(SignInNotice::Wrong),
            "too_many" => Some(SignInNotice::TooMany {
                minutes: get("wait")?.parse().ok()?,
            }),
            "link" => Some(SignInNotice::LinkInvalid),
            "signed_out" => Some(SignInNotice::SignedOut),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_reads_back_as_written() {
        for notice in [
            SignInNotice::Wrong,
            SignInNotice::TooMany { minutes: 14 },
            SignInNotice::LinkInvalid,
            SignInNotice::SignedOut,
        ] {
            let query = notice.query();
            let pairs: Vec<(String, String)> = query
                .split('&')
                .filter_map(|p| p.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
            assert_eq!(SignInNotice::read(get), Some(notice), "{query}");
        }
        assert_eq!(SignInNotice::read(|_| Some("else".into())), None);
    }
}
