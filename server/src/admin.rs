//! `cairn admin create` and the first start: an admin account, and a one-time
//! sign-in link to reach it.

use app::storage::org::{NewPerson, create_person};
use app::storage::{Db, StorageError, accounts};
use cairn::ids::PersonId;
use cairn::values::{Email, Name};

use crate::cli::{AdminCreateArgs, GlobalArgs};
use crate::database;
use crate::error::StartupError;

/// The first admin's email when nobody named one.
pub const FIRST_ADMIN_EMAIL: &str = "admin@cairn.local";

/// Makes `email` an admin (creating the person if there is none with that address)
/// and returns a one-time sign-in link's path.
pub async fn create(db: &Db, email: &Email, name: &Name) -> Result<String, StorageError> {
    let person = match accounts::person_by_email(db, email.as_str()).await? {
        Some(person) => person,
        None => {
            create_person(
                db,
                None,
                NewPerson {
                    name: name.clone(),
                    email: email.clone(),
                },
            )
            .await?
            .id
        }
    };
    accounts::grant_account(db, None, person, true, None).await?;
    link(db, person).await
}

async fn link(db: &Db, person: PersonId) -> Result<String, StorageError> {
    let token = app::auth::server::new_sign_in_link(db, None, person).await?;
    Ok(format!("/sign-in/link/{token}"))
}

/// On a database without an admin, creates the first one; returns the link path.
pub async fn first_start(db: &Db) -> Result<Option<String>, StorageError> {
    if accounts::has_admin(db).await? {
        return Ok(None);
    }
    let email = Email::parse(FIRST_ADMIN_EMAIL).map_err(StorageError::corrupt)?;
    let name = Name::parse("Administrator").map_err(StorageError::corrupt)?;
    create(db, &email, &name).await.map(Some)
}

/// `cairn admin create --email ... [--name ...]`.
pub async fn run_create(global: &GlobalArgs, args: &AdminCreateArgs) -> Result<(), StartupError> {
    let db = database::open(global).await?;
    let outcome = create(&db, &args.email, &args.name).await;
    db.close().await;
    let path = outcome?;
    println!(
        "{} is an admin. Sign in once, within 24 hours, at:\n{}{path}",
        args.email.as_str(),
        global.public_base()
    );
    Ok(())
}
