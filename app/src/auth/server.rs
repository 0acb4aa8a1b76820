//! Passwords, sign-in rules and the signed-in person of a request.

use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use cairn::access::{Actor, Password};
use cairn::ids::{ObjectiveId, PersonId};
use cairn::model::Owner;
use rand::RngCore;

use crate::error::AppError;
use crate::storage::accounts::sessions::hex_sha256;
use crate::storage::accounts::{self, SignedIn};
use crate::storage::{Db, StorageError, accounts::attempts};

/// Failed sign-ins counted per account and per address over this window.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures an account may have within the window before it must wait.
pub const ACCOUNT_LIMIT: i64 = 5;
/// Failures one address may have within the window (many accounts, one machine).
pub const ADDRESS_LIMIT: i64 = 30;
/// How long a one-time sign-in link works.
pub const LINK_VALID: Duration = Duration::from_secs(24 * 60 * 60);
/// How long a session lasts after signing in.
pub const SESSION_DAYS: i64 = 30;

/// The signed-in person of the request being served (set by the gate).
pub fn signed_in() -> Result<SignedIn, AppError> {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<SignedIn>().cloned())
        .ok_or(AppError::Unauthenticated)
}

/// The signed-in person, allowed to edit the objective; Forbidden otherwise.
pub async fn may_edit(db: &Db, objective: ObjectiveId) -> Result<Actor, AppError> {
    let me = signed_in()?.actor;
    check_edit(db, &me, objective).await?;
    Ok(me)
}

/// Whether `actor` (a page's reader or an API token's) may edit the objective:
/// Forbidden otherwise. The one check pages and the API share.
pub async fn check_edit(db: &Db, actor: &Actor, objective: ObjectiveId) -> Result<(), AppError> {
    let ownership = accounts::ownership(db, objective).await?;
    if actor.may_edit(&ownership) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in person, allowed to write objectives for `owner`; Forbidden otherwise.
pub async fn may_edit_for(db: &Db, owner: Owner) -> Result<Actor, AppError> {
    let me = signed_in()?.actor;
    check_edit_for(db, &me, owner).await?;
    Ok(me)
}

/// Whether `actor` may write objectives for `owner`: Forbidden otherwise.
pub async fn check_edit_for(db: &Db, actor: &Actor, owner: Owner) -> Result<(), AppError> {
    let ownership = accounts::owner_ownership(db, owner).await?;
    if actor.may_edit(&ownership) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in person, allowed to check in on a key result of the objective.
pub async fn may_check_in(
    db: &Db,
    objective: ObjectiveId,
    key_result_owner: Option<PersonId>,
) -> Result<Actor, AppError> {
    let me = signed_in()?.actor;
    check_check_in(db, &me, objective, key_result_owner).await?;
    Ok(me)
}

/// Whether `actor` may check in on a key result of the objective: Forbidden otherwise.
pub async fn check_check_in(
    db: &Db,
    actor: &Actor,
    objective: ObjectiveId,
    key_result_owner: Option<PersonId>,
) -> Result<(), AppError> {
    let ownership = accounts::ownership(db, objective).await?;
    if actor.may_check_in(&ownership, key_result_owner) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in admin; Forbidden for everyone else.
pub fn admin() -> Result<Actor, AppError> {
    let me = signed_in()?.actor;
    if me.admin {
        Ok(me)
    } else {
        Err(AppError::Forbidden)
    }
}

/// An argon2id hash (PHC string) of a password, made off the async threads: it
/// takes tens of milliseconds by design.
pub async fn hash_password(password: &Password) -> Result<String, AppError> {
    let password = password.as_str().to_string();
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt).map_err(|_| AppError::Unavailable)?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|_| AppError::Unavailable)
    })
    .await
    .map_err(|_| AppError::Unavailable)?
}

/// Whether `candidate` matches the stored hash. With no hash (unknown account, or no
/// password set yet) a dummy hash is checked, so both take equally long.
pub async fn verify_password(hash: Option<String>, candidate: &str) -> bool {
    let candidate = candidate.to_string();
    let known = hash.is_some();
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.to_string());
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        Argon2::default()
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok()
            && known
    })
    .await
    .unwrap_or(false)
}

/// An argon2id hash of a random password nobody knows, with the default costs.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$Oj6mXTd0l4Y4oZkq5VJWvU0x9jQ0OYf1G8z2k4nE6dI";

/// Why a sign-in was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInRefused {
    /// Unknown email, wrong password, or no password set: said alike, on purpose.
    Wrong,
    /// Too many failures lately; try again after this many minutes.
    TooMany { minutes: i64 },
}

/// The limits on password attempts.
pub fn limits() -> attempts::Limits {
    attempts::Limits {
        window_ms: i64::try_from(WINDOW.as_millis()).unwrap_or(i64::MAX),
        per_account: ACCOUNT_LIMIT,
        per_address: ADDRESS_LIMIT,
    }
}

/// Checks a password for `account` (an email address) within the rate limits:
/// the attempt is counted first, atomically with the check of the limits, and
/// taken back when `check` says the password was right.
pub async fn limited<T>(
    db: &Db,
    account: &str,
    address: &str,
    check: impl std::future::Future<Output = Result<Option<T>, StorageError>>,
) -> Result<Result<T, SignInRefused>, StorageError> {
    let attempt = match attempts::begin(db, account, address, limits()).await? {
        Ok(attempt) => attempt,
        Err(wait) => {
            let wait_ms = (wait.until_ms - db.now_ms()).max(0);
            return Ok(Err(SignInRefused::TooMany {
                minutes: ((wait_ms + 59_999) / 60_000).max(1),
            }));
        }
    };
    match check.await? {
        Some(value) => {
            attempts::succeeded(db, attempt, account, address).await?;
            Ok(Ok(value))
        }
        None => Ok(Err(SignInRefused::Wrong)),
    }
}

/// Checks an email and password against the account, within the rate limits.
pub async fn check_sign_in(
    db: &Db,
    email: &str,
    password: &str,
    address: &str,
) -> Result<Result<PersonId, SignInRefused>, StorageError> {
    let account = email.trim().to_lowercase();
    let check = async {
        let credentials = if account.is_empty() || account.chars().count() > 254 {
            None
        } else {
            accounts::credentials(db, &account).await?
        };
        let hash = credentials.as_ref().and_then(|c| c.password_hash.clone());
        let candidate: String = password.chars().take(Password::MAX + 1).collect();
        Ok(if verify_password(hash, &candidate).await {
            credentials.map(|c| c.person)
        } else {
            None
        })
    };
    limited(db, &account, address, check).await
}

/// Makes a one-time sign-in link's token for `person` and stores its hash.
pub async fn new_sign_in_link(
    db: &Db,
    actor: Option<PersonId>,
    person: PersonId,
) -> Result<String, StorageError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let valid = i64::try_from(LINK_VALID.as_millis()).unwrap_or(i64::MAX);
    accounts::create_sign_in_link(db, actor, person, &hex_sha256(token.as_bytes()), valid).await?;
    Ok(token)
}

/// The person a sign-in link was made for, if it is still good; it is used up.
pub async fn redeem_sign_in_link(db: &Db, token: &str) -> Result<Option<PersonId>, StorageError> {
    let token = token.trim();
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    accounts::redeem_sign_in_link(db, &hex_sha256(token.as_bytes())).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_their_password_only() {
        let password = Password::parse("correct horse battery").unwrap();
        let hash = hash_password(&password).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password(Some(hash.clone()), "correct horse battery").await);
        assert!(!verify_password(Some(hash), "correct horse battery!").await);
        // No hash: nothing matches, not even the dummy's own password.
        assert!(!verify_password(None, "").await);
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
