//! Sign-in links by mail: an admin's invitation or new link, and "forgot
//! password" on the sign-in page, whose answer never says whether the address
//! belongs to anyone, and which nobody can use to flood a mailbox.

use std::time::Duration;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use cairn::ids::PersonId;
use rand::RngCore;
use serde::Deserialize;

use super::client::ClientAddress;
use super::server::LINK_VALID;
use crate::notices::{LinkMail, Postman};
use crate::storage::accounts::sessions::hex_sha256;
use crate::storage::{Db, StorageError, accounts, instance, notices};

/// How long a link asked for on the sign-in page works.
pub const RESET_VALID: Duration = Duration::from_secs(2 * 60 * 60);
/// Requests are counted over this window.
pub const REQUEST_WINDOW: Duration = Duration::from_secs(60 * 60);
/// Links one address gets mailed within the window; more requests send nothing.
pub const PER_ACCOUNT: i64 = 3;
/// Requests one client may make within the window before it must wait.
pub const PER_ADDRESS: i64 = 10;

fn ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// Makes a one-time sign-in link for `person` and, when mail is on, the mail
/// that carries it, both stored in one transaction. The token, and whether it
/// went by mail.
pub async fn mail_sign_in_link(
    db: &Db,
    postman: &Postman,
    actor: Option<PersonId>,
    person: PersonId,
    which: LinkMail,
) -> Result<(String, bool), StorageError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let valid = match which {
        LinkMail::Reset => RESET_VALID,
        LinkMail::Invitation | LinkMail::NewLink => LINK_VALID,
    };
    let letter = match notices::addressee(db, person).await? {
        Some(to) if postman.mail_on() => {
            let inviter = match actor {
                Some(actor) => notices::addressee(db, actor)
                    .await?
                    .map(|a| a.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            let organisation = instance::get(db).await?.name;
            let hours = i64::try_from(valid.as_secs() / 3600).unwrap_or(24);
            postman.sign_in_link(&to, which, &token, hours, &inviter, &organisation)
        }
        _ => None,
    };
    let hash = hex_sha256(token.as_bytes());
    accounts::create_sign_in_link_with(db, actor, person, &hash, ms(valid), letter.as_ref())
        .await?;
    Ok((token, letter.is_some()))
}

/// What asking for a link said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// The same answer whether or not the address is anyone's.
    Answered,
    /// This client asked too often: minutes to wait.
    TooMany { minutes: i64 },
    /// Mail is off here: an admin hands out links.
    MailOff,
}

impl Asked {
    /// The sign-in page's "forgot" address that says it.
    pub fn page(self) -> String {
        match self {
            Asked::Answered => "/sign-in/forgot?sent=1".to_string(),
            Asked::TooMany { minutes } => format!("/sign-in/forgot?wait={minutes}"),
            Asked::MailOff => "/sign-in/forgot?off=1".to_string(),
        }
    }
}

/// Asks for a sign-in link for `email` from `address`.
pub async fn ask(
    db: &Db,
    postman: &Postman,
    email: &str,
    address: &str,
) -> Result<Asked, StorageError> {
    if !postman.mail_on() {
        return Ok(Asked::MailOff);
    }
    let account = email.trim().to_lowercase();
    if account.is_empty() || account.chars().count() > 254 {
        return Ok(Asked::Answered);
    }
    let since = db.now_ms() - ms(REQUEST_WINDOW);
    let (by_account, by_address) =
        accounts::note_link_request(db, &account, address, since).await?;
    if by_address > PER_ADDRESS {
        return Ok(Asked::TooMany {
            minutes: ms(REQUEST_WINDOW) / 60_000,
        });
    }
    if by_account > PER_ACCOUNT {
        return Ok(Asked::Answered);
    }
    let person = accounts::credentials(db, &account)
        .await?
        .map(|credentials| credentials.person);
    if let Some(person) = person {
        mail_sign_in_link(db, postman, None, person, LinkMail::Reset).await?;
    }
    Ok(Asked::Answered)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// `POST /sign-in/forgot`: a sign-in link by mail, if the address is someone's.
pub async fn forgot(
    State(db): State<Db>,
    State(postman): State<Postman>,
    client: Option<axum::Extension<ClientAddress>>,
    Form(form): Form<ForgotForm>,
) -> Response {
    let address = client.map_or_else(|| "unknown".to_string(), |c| c.0.to_string());
    match ask(&db, &postman, &form.email, &address).await {
        Ok(asked) => Redirect::to(&asked.page()).into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot answer a request for a sign-in link");
            super::gate::unavailable_answer("/sign-in/forgot")
        }
    }
}
