//! The mail Cairn writes: every notice and sign-in link as a letter in the
//! person's language, as plain text and HTML, saying why it came and linking to
//! where it is about, with a one-click unsubscribe in every mail people may stop.
//! The inbox tells each notice in the same words (`told`).

#[cfg(test)]
mod tests;
mod told;
mod words;

use cairn::notify::NoticeKind;

use crate::html::escape as esc;
use crate::mail::Mail;
use crate::notices::{Block, InboxEntry, InboxItem, Notice, Told};
use crate::storage::notices::Addressee;
use crate::storage::outbox::{Channel, MessageKind, Outgoing};

pub use words::{EN, NL, Words, fill, words};

/// A mail before it is written out: a greeting, what it tells, why it came.
struct Letter {
    words: &'static Words,
    told: Told,
    name: String,
    /// The kind people may stop, with its one-click address.
    unsubscribe: Option<(NoticeKind, String)>,
    preferences: Option<String>,
    base: String,
}

impl Letter {
    fn mail(self) -> Mail {
        Mail {
            subject: self.told.headline.clone(),
            text: self.text(),
            html: Some(self.html()),
            unsubscribe: self.unsubscribe.as_ref().map(|(_, url)| url.clone()),
        }
    }

    fn footer(&self) -> Vec<String> {
        let mut lines = vec![self.told.why.clone()];
        if let Some((kind, url)) = &self.unsubscribe {
            lines.push(fill(
                self.words.unsubscribe,
                &[("kind", self.words.kind_name(*kind)), ("url", url)],
            ));
        }
        if let Some(url) = &self.preferences {
            lines.push(fill(self.words.preferences, &[("url", url)]));
        }
        lines.push(fill(self.words.signature, &[("url", &self.base)]));
        lines
    }

    fn text(&self) -> String {
        let mut text = fill(self.words.greeting, &[("name", &self.name)]);
        text.push_str("\n\n");
        for block in &self.told.blocks {
            match block {
                Block::Text(line) | Block::Heading(line) => text.push_str(&format!("{line}\n\n")),
                Block::List(lines) => {
                    for (line, url) in lines {
                        text.push_str(&format!("- {line}\n"));
                        if let Some(url) = url {
                            text.push_str(&format!("  {url}\n"));
                        }
                    }
                    text.push('\n');
                }
            }
        }
        if let Some((label, url)) = &self.told.action {
            text.push_str(&format!("{label}: {url}\n\n"));
        }
        text.push_str("-- \n");
        for line in self.footer() {
            text.push_str(&line);
            text.push('\n');
        }
        text
    }

    fn html(&self) -> String {
        let greeting = fill(self.words.greeting, &[("name", &self.name)]);
        let mut body = format!("<p>{}</p>", esc(&greeting));
        for block in &self.told.blocks {
            body.push_str(&block_html(block));
        }
        if let Some((label, url)) = &self.told.action {
            body.push_str(&format!(
                "<p style=\"margin:24px 0\"><a href=\"{}\" style=\"background:#2f5d50;color:#fff;\
                 padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block\">{}</a></p>",
                esc(url),
                esc(label)
            ));
        }
        let footer: String = self
            .footer()
            .iter()
            .map(|line| format!("<p style=\"margin:4px 0\">{}</p>", linked(line)))
            .collect();
        format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
             <body style=\"margin:0;padding:24px;background:#f6f5f2;font-family:system-ui,sans-serif;\
             font-size:15px;line-height:1.5;color:#1f2624\"><div style=\"max-width:600px;margin:0 auto;\
             background:#fff;padding:24px;border-radius:8px\">{body}<div style=\"margin-top:32px;\
             border-top:1px solid #ddd;padding-top:12px;font-size:13px;color:#5b6561\">{footer}</div>\
             </div></body></html>",
            lang = self.words.lang,
            title = esc(&self.told.headline),
        )
    }
}

fn block_html(block: &Block) -> String {
    match block {
        Block::Text(line) => format!("<p>{}</p>", esc(line)),
        Block::Heading(line) => format!(
            "<h2 style=\"font-size:16px;margin:20px 0 8px\">{}</h2>",
            esc(line)
        ),
        Block::List(lines) => {
            let items: String = lines
                .iter()
                .map(|(line, url)| match url {
                    Some(url) => format!(
                        "<li style=\"margin:4px 0\"><a href=\"{}\">{}</a></li>",
                        esc(url),
                        esc(line)
                    ),
                    None => format!("<li style=\"margin:4px 0\">{}</li>", esc(line)),
                })
                .collect();
            format!("<ul style=\"padding-left:20px\">{items}</ul>")
        }
    }
}

/// A footer line with its address made a link (the address is its last word).
fn linked(line: &str) -> String {
    match line.rsplit_once(' ') {
        Some((text, url)) if url.starts_with("http") => {
            format!("{} <a href=\"{}\">{}</a>", esc(text), esc(url), esc(url))
        }
        _ => esc(line),
    }
}

/// Which mail carries a one-time sign-in link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkMail {
    /// A new person's first.
    Invitation,
    /// A new one an admin made.
    NewLink,
    /// One asked for on the sign-in page.
    Reset,
}

/// What writes Cairn's mail: where links point, the key unsubscribe links are
/// signed with, and whether mail is sent at all (when it is not, nothing is
/// written and notices stay in the inbox).
#[derive(Clone, Debug)]
pub struct Postman {
    base: String,
    key: std::sync::Arc<[u8]>,
    mail_on: bool,
}

impl Postman {
    /// `base`: the public URL (`https://okr.example.com`); `key`: the signing key.
    pub fn new(base: &str, key: &str, mail_on: bool) -> Postman {
        Postman {
            base: base.trim_end_matches('/').to_string(),
            key: key.as_bytes().into(),
            mail_on,
        }
    }

    pub fn mail_on(&self) -> bool {
        self.mail_on
    }

    /// The signature of an unsubscribe link for `person` and `kind`.
    fn signature(&self, person: i64, kind: NoticeKind) -> String {
        use hmac::Mac;
        let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.key) else {
            return String::new();
        };
        mac.update(format!("unsubscribe\0{person}\0{}", kind.as_str()).as_bytes());
        mac.finalize().into_bytes()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The address that stops `kind` by mail for `person`, without signing in.
    pub fn unsubscribe_url(&self, person: i64, kind: NoticeKind) -> String {
        format!(
            "{}/unsubscribe/{person}/{}/{}",
            self.base,
            kind.as_str(),
            self.signature(person, kind)
        )
    }

    /// Whether `signature` is the one this installation made for `person` and `kind`.
    pub fn verify(&self, person: i64, kind: NoticeKind, signature: &str) -> bool {
        let expected = self.signature(person, kind);
        // The same time for any signature of the right length.
        !expected.is_empty()
            && expected.len() == signature.len()
            && expected
                .bytes()
                .zip(signature.bytes())
                .fold(0u8, |diff, (a, b)| diff | (a ^ b))
                == 0
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn send(
        &self,
        to: &Addressee,
        kind: MessageKind,
        told: Told,
        unsubscribe: Option<NoticeKind>,
    ) -> Option<Outgoing> {
        let letter = Letter {
            words: words(to.language.as_deref()),
            told,
            name: to.name.clone(),
            unsubscribe: unsubscribe.map(|k| (k, self.unsubscribe_url(to.person.0, k))),
            // Sign-in links are asked for, not subscribed to: no preferences to point at.
            preferences: unsubscribe.map(|_| self.url("/account#notices")),
            base: self.base.clone(),
        };
        let payload = serde_json::to_string(&letter.mail()).ok()?;
        Some(Outgoing {
            channel: Channel::Mail,
            kind,
            recipient: to.email.clone(),
            payload,
        })
    }

    /// The mail that tells `to` of `notice`; None when mail is off.
    pub fn notice(&self, to: &Addressee, notice: &Notice) -> Option<Outgoing> {
        if !self.mail_on {
            return None;
        }
        if matches!(notice, Notice::Mention(_) | Notice::Reply(_)) {
            let item = InboxItem {
                id: 0,
                at: 0,
                read: false,
                notice: notice.clone(),
            };
            return self.comments(to, std::slice::from_ref(&item));
        }
        let kind = match notice {
            Notice::Reminder { .. } => MessageKind::Reminder,
            Notice::Escalation { .. } => MessageKind::Escalation,
            Notice::Digest(_) => MessageKind::Digest,
            Notice::WebhookOff { .. } => MessageKind::Webhook,
            _ => MessageKind::Grading,
        };
        let told = self.told(words(to.language.as_deref()), notice);
        self.send(to, kind, told, Some(notice.kind()))
    }

    /// One mail for a person's waiting mentions and replies.
    pub fn comments(&self, to: &Addressee, items: &[InboxItem]) -> Option<Outgoing> {
        if !self.mail_on {
            return None;
        }
        let (told, kind) = self.told_comments(words(to.language.as_deref()), items)?;
        self.send(to, MessageKind::Comments, told, Some(kind))
    }

    /// A notice as the inbox shows it, in `lang` (links within the site).
    pub fn entry(lang: Option<&str>, item: &InboxItem) -> InboxEntry {
        let here = Postman::new("", "", false);
        let w = words(lang);
        let told = match &item.notice {
            Notice::Mention(_) | Notice::Reply(_) => here
                .told_comments(w, std::slice::from_ref(item))
                .map(|(told, _)| told),
            other => Some(here.told(w, other)),
        };
        // The inbox itself needs no link to the inbox, nor a comment's one line
        // said twice: under its headline, the comment's words and where it is.
        let told = told.map(|mut told| {
            told.action = told.action.filter(|(_, href)| href != "/inbox");
            if let Notice::Mention(note) | Notice::Reply(note) = &item.notice
                && let Some(Block::List(lines)) = told.blocks.first_mut()
                && let Some((line, _)) = lines.first_mut()
            {
                *line = format!("“{}”", note.excerpt);
            }
            told
        });
        InboxEntry {
            id: item.id,
            at: item.at,
            read: item.read,
            kind: item.notice.kind(),
            told: told.unwrap_or_else(|| Told {
                headline: String::new(),
                blocks: Vec::new(),
                action: None,
                why: String::new(),
            }),
        }
    }

    /// The mail carrying a one-time sign-in link (`/sign-in/link/<token>`) valid
    /// for `hours`; None when mail is off. `inviter` names the admin.
    pub fn sign_in_link(
        &self,
        to: &Addressee,
        which: LinkMail,
        token: &str,
        hours: i64,
        inviter: &str,
        organisation: &str,
    ) -> Option<Outgoing> {
        if !self.mail_on {
            return None;
        }
        let w = words(to.language.as_deref());
        let values = [("inviter", inviter), ("organisation", organisation)];
        let (kind, subject, lead, why) = match which {
            LinkMail::Invitation => (
                MessageKind::Invitation,
                w.invitation_subject,
                w.invitation_lead,
                w.invitation_why,
            ),
            LinkMail::NewLink => (
                MessageKind::SignInLink,
                w.link_subject,
                w.link_lead,
                w.link_why,
            ),
            LinkMail::Reset => (
                MessageKind::PasswordReset,
                w.reset_subject,
                w.reset_lead,
                w.reset_why,
            ),
        };
        let told = Told {
            headline: fill(subject, &values),
            blocks: vec![
                Block::Text(fill(lead, &values)),
                Block::Text(fill(w.link_expiry, &[("hours", &hours.to_string())])),
            ],
            action: Some((
                w.sign_in_action.to_string(),
                self.url(&format!("/sign-in/link/{token}")),
            )),
            why: why.to_string(),
        };
        self.send(to, kind, told, None)
    }
}

impl crate::storage::notices::Letters for Postman {
    fn mail_on(&self) -> bool {
        self.mail_on
    }

    fn letter(&self, to: &Addressee, notice: &Notice) -> Option<Outgoing> {
        self.notice(to, notice)
    }
}
