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
    /// Signing in with a password is switched off here.
    PasswordOff,
    /// Signing in through an identity provider did not work, and why.
    Sso(SsoRefusal),
}

/// Why signing in through an identity provider was refused: one sentence each on
/// the sign-in page, and a label each in the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SsoRefusal {
    /// No provider of that id is set up.
    UnknownProvider,
    /// The provider cannot be reached (or its discovery document is wrong).
    Unavailable,
    /// No sign-in was started in this browser, it took too long, or it was used.
    NotStarted,
    /// The answer is not for the sign-in this browser started (`state` differs).
    StateMismatch,
    /// The provider said no (the person cancelled, or the provider refused).
    ProviderError,
    /// The provider would not exchange the code (used already, or expired).
    CodeRefused,
    /// The ID token is from another issuer than the one set up.
    WrongIssuer,
    /// The ID token is for another client.
    WrongAudience,
    /// The ID token has expired (or was issued in the future).
    TokenExpired,
    /// The ID token's signature, nonce or form is not right.
    TokenInvalid,
    /// The provider gave no usable email address.
    NoEmail,
    /// The provider has not verified the email address.
    Unverified,
    /// The email's domain may not sign up by itself.
    DomainNotAllowed,
    /// Nobody here has that email, and people may not arrive by themselves.
    NotInvited,
    /// The email is someone else's, linked to another account at the provider.
    LinkedElsewhere,
    /// The person is deactivated.
    Deactivated,
    /// A signed-in session was checked with the provider again, which no longer
    /// signs the person in: the session has ended.
    SessionEnded,
}

impl SsoRefusal {
    pub const ALL: &'static [SsoRefusal] = &[
        SsoRefusal::UnknownProvider,
        SsoRefusal::Unavailable,
        SsoRefusal::NotStarted,
        SsoRefusal::StateMismatch,
        SsoRefusal::ProviderError,
        SsoRefusal::CodeRefused,
        SsoRefusal::WrongIssuer,
        SsoRefusal::WrongAudience,
        SsoRefusal::TokenExpired,
        SsoRefusal::TokenInvalid,
        SsoRefusal::NoEmail,
        SsoRefusal::Unverified,
        SsoRefusal::DomainNotAllowed,
        SsoRefusal::NotInvited,
        SsoRefusal::LinkedElsewhere,
        SsoRefusal::Deactivated,
        SsoRefusal::SessionEnded,
    ];

    /// Its stable name, in the address and the metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            SsoRefusal::UnknownProvider => "unknown_provider",
            SsoRefusal::Unavailable => "unavailable",
            SsoRefusal::NotStarted => "not_started",
            SsoRefusal::StateMismatch => "state",
            SsoRefusal::ProviderError => "provider_error",
            SsoRefusal::CodeRefused => "code",
            SsoRefusal::WrongIssuer => "issuer",
            SsoRefusal::WrongAudience => "audience",
            SsoRefusal::TokenExpired => "expired",
            SsoRefusal::TokenInvalid => "token",
            SsoRefusal::NoEmail => "no_email",
            SsoRefusal::Unverified => "unverified",
            SsoRefusal::DomainNotAllowed => "domain",
            SsoRefusal::NotInvited => "not_invited",
            SsoRefusal::LinkedElsewhere => "linked_elsewhere",
            SsoRefusal::Deactivated => "deactivated",
            SsoRefusal::SessionEnded => "session_ended",
        }
    }

    pub fn parse(raw: &str) -> Option<SsoRefusal> {
        Self::ALL.iter().copied().find(|r| r.as_str() == raw)
    }
}

/// Text for a query parameter's value.
pub fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

impl SignInNotice {
    /// The query (without `?`) that says it.
    pub fn query(self) -> String {
        match self {
            SignInNotice::Wrong => "notice=wrong".into(),
            SignInNotice::TooMany { minutes } => format!("notice=too_many&wait={minutes}"),
            SignInNotice::LinkInvalid => "notice=link".into(),
            SignInNotice::SignedOut => "notice=signed_out".into(),
            SignInNotice::PasswordOff => "notice=password_off".into(),
            SignInNotice::Sso(why) => format!("notice=sso&why={}", why.as_str()),
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
            "password_off" => Some(SignInNotice::PasswordOff),
            "sso" => Some(SignInNotice::Sso(SsoRefusal::parse(&get("why")?)?)),
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
            SignInNotice::PasswordOff,
        ]
        .into_iter()
        .chain(SsoRefusal::ALL.iter().map(|r| SignInNotice::Sso(*r)))
        {
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
