//! Listing and making tokens.

use base64::Engine;
use cairn::api::{Scope, Scopes, lifetime_days};
use cairn::draft::FieldProblem;
use cairn::ids::PersonId;
use cairn::values::Name;
use rand::RngCore;

use super::model::{TokenLine, Tokens};
use crate::auth::server::signed_in;
use crate::error::AppError;
use crate::forms::Done;
use crate::storage::Db;
use crate::storage::accounts::sessions::hex_sha256;
use crate::storage::tokens::{self, Holder, NewToken};

/// What a secret starts with: tells people (and secret scanners) what it is.
pub const SECRET_PREFIX: &str = "cairn_";

pub async fn tokens(db: &Db, service: bool) -> Result<Tokens, AppError> {
    let me = signed_in()?.actor;
    let holder = if service {
        if !me.admin {
            return Err(AppError::Forbidden);
        }
        Holder::Service
    } else {
        Holder::Person(me.person)
    };
    let now = db.now_ms();
    let lines = tokens::list(db, holder)
        .await?
        .into_iter()
        .map(|t| TokenLine {
            id: t.id,
            expired: t.revoked_at.is_none() && !t.works_at(now),
            revoked: t.revoked_at.is_some(),
            name: t.name,
            prefix: t.prefix,
            scopes: t.scopes.text(),
            created_ms: t.created_at,
            expires_ms: t.expires_at,
            last_used_ms: t.last_used_at,
        })
        .collect();
    Ok(Tokens {
        lines,
        outcome: crate::forms::take_outcome(|form| form == super::FORM).await,
    })
}

/// What the token form sends.
#[derive(Debug, Clone, Default)]
pub struct TokenForm {
    pub name: String,
    /// Each ticked scope (`scopes=read&scopes=write`).
    pub scopes: Vec<String>,
    /// Days it works; empty for no end.
    pub days: String,
}

impl TokenForm {
    /// The form's fields as sent; a field sent twice (other than a scope) keeps the last.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> TokenForm {
        let mut form = TokenForm::default();
        for (field, value) in pairs {
            match field.as_str() {
                "name" => form.name = value,
                "scopes" => form.scopes.push(value),
                "days" => form.days = value,
                _ => {}
            }
        }
        form
    }
}

/// Makes a token for `holder` from the form, as `actor`: its secret, shown once.
pub async fn make(
    db: &Db,
    actor: PersonId,
    holder: Holder,
    form: &TokenForm,
) -> Result<Done, AppError> {
    let name = Name::parse(&form.name).map_err(|e| AppError::invalid("name", &e))?;
    let mut chosen = Vec::new();
    for text in &form.scopes {
        chosen.push(Scope::parse(text).ok_or(AppError::Invalid {
            field: "scopes".into(),
            problem: FieldProblem::UnknownChoice,
        })?);
    }
    let scopes = Scopes::of(chosen).map_err(|_| AppError::Invalid {
        field: "scopes".into(),
        problem: FieldProblem::Missing,
    })?;
    let days = lifetime_days(&form.days).map_err(|e| AppError::invalid("days", &e))?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!(
        "{SECRET_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let prefix = format!("{}…", &secret[..SECRET_PREFIX.len() + 6]);
    tokens::create(
        db,
        Some(actor),
        NewToken {
            holder,
            name: name.clone(),
            scopes,
            expires_at: days.map(|d| db.now_ms() + d * 86_400_000),
            hash: hex_sha256(secret.as_bytes()),
            prefix,
        },
    )
    .await?;
    Ok(Done::NewToken {
        name: name.as_str().to_string(),
        secret,
    })
}

/// Revokes a token of `holder`'s, as `actor`.
pub async fn revoke(db: &Db, actor: PersonId, holder: Holder, id: i64) -> Result<Done, AppError> {
    tokens::revoke(db, Some(actor), holder, id).await?;
    Ok(Done::Saved)
}
