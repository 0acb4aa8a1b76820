//! Sending one message over SMTP with `lettre`: STARTTLS, implicit TLS or plain
//! (for a relay on the same machine), with or without authentication. Every
//! answer is kept as the server said it; failures are temporary (4xx, no
//! connection: tried again) or permanent (5xx: not).

use std::time::Duration;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::Mail;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain first, then STARTTLS, which must succeed (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS at all: only for a relay on the same machine or network.
    None,
}

impl Security {
    pub fn default_port(self) -> u16 {
        match self {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

/// Where and how mail is sent.
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The From of every message: `Cairn <okr@example.com>`.
    pub from: Mailbox,
}

/// Why a message was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later: a 4xx answer, or no connection.
    #[error("temporary: {0}")]
    Temporary(String),
    /// Never worth trying again: a 5xx answer, or a message that cannot be made.
    #[error("permanent: {0}")]
    Permanent(String),
}

/// An SMTP connection's settings, ready to send.
#[derive(Clone)]
pub struct Sender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The host named in Message-IDs.
    domain: String,
}

impl Sender {
    pub fn new(settings: &MailSettings) -> Result<Sender, String> {
        let tls = || {
            TlsParameters::new(settings.host.clone())
                .map_err(|e| format!("cannot set up TLS for {}: {e}", settings.host))
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.clone())
                .port(settings.port)
                .timeout(Some(Duration::from_secs(30)))
                .tls(match settings.security {
                    Security::StartTls => Tls::Required(tls()?),
                    Security::Tls => Tls::Wrapper(tls()?),
                    Security::None => Tls::None,
                });
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        let domain = settings.from.email.domain().to_string();
        Ok(Sender {
            transport: builder.build(),
            from: settings.from.clone(),
            domain,
        })
    }

    /// Sends `mail` to `to`; the server's answer (`250 2.0.0 Ok: queued as ...`).
    /// With `id`, the Message-ID names it, so a message sent again after a crash
    /// can be recognised as the same one.
    pub async fn send(&self, to: &str, mail: &Mail, id: Option<i64>) -> Result<String, SendError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| SendError::Permanent(format!("the address {to:?} is not valid: {e}")))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone());
        if let Some(id) = id {
            builder = builder.message_id(Some(format!("<outbox-{id}@{}>", self.domain)));
        }
        if let Some(url) = &mail.unsubscribe {
            // RFC 2369 and RFC 8058: a mail program offers "unsubscribe", and one
            // POST to the address (no sign-in) stops this kind of mail.
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_string(),
                ));
        }
        let message = match &mail.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                html.clone(),
            )),
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(mail.text.clone()),
        }
        .map_err(|e| SendError::Permanent(format!("the message cannot be made: {e}")))?;
        match self.transport.send(message).await {
            Ok(answer) => Ok(format!(
                "{} {}",
                answer.code(),
                answer.message().collect::<Vec<_>>().join(" ")
            )),
            Err(error) if error.is_permanent() => Err(SendError::Permanent(describe(&error))),
            Err(error) => Err(SendError::Temporary(describe(&error))),
        }
    }
}

/// An SMTP error as one line: the server's code and words as it said them
/// (`550 5.1.1 No such mailbox`), or what kept the connection from being made.
fn describe(error: &lettre::transport::smtp::Error) -> String {
    let mut text = error.to_string();
    if let Some(code) = error.status()
        && let Some((_, said)) = text.split_once("): ")
    {
        text = format!("{code} {said}");
    }
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        let more = inner.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = inner.source();
    }
    text
}
