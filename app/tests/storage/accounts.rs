//! Accounts: sign-in links, failed attempts and sessions. On both databases.

use app::storage::{Db, accounts, accounts::attempts};

use crate::on_both;
use crate::support::*;

on_both!(accounts_links_and_failures);

async fn accounts_links_and_failures(db: Db) {
    let w = world(&db).await;
    accounts::grant_account(&db, None, w.anna, false, None)
        .await
        .unwrap();
    assert!(!accounts::has_admin(&db).await.unwrap());
    accounts::grant_account(&db, None, w.bram, true, None)
        .await
        .unwrap();
    assert!(accounts::has_admin(&db).await.unwrap());
    let anna = accounts::signed_in(&db, w.anna).await.unwrap().unwrap();
    assert!(!anna.actor.admin);
    assert!(
        accounts::credentials(&db, "ANNA@example.nl")
            .await
            .unwrap()
            .is_some()
    );

    accounts::create_sign_in_link(&db, None, w.anna, "hash-1", 60_000)
        .await
        .unwrap();
    assert_eq!(
        accounts::redeem_sign_in_link(&db, "hash-1").await.unwrap(),
        Some(w.anna)
    );
    assert_eq!(
        accounts::redeem_sign_in_link(&db, "hash-1").await.unwrap(),
        None,
        "once"
    );
    accounts::create_sign_in_link(&db, None, w.anna, "hash-2", -1)
        .await
        .unwrap();
    assert_eq!(
        accounts::redeem_sign_in_link(&db, "hash-2").await.unwrap(),
        None,
        "expired"
    );

    let limits = attempts::Limits {
        window_ms: 60_000,
        per_account: 3,
        per_address: 5,
    };
    for _ in 0..3 {
        attempts::begin(&db, "Anna@example.nl", "10.0.0.1", limits)
            .await
            .unwrap()
            .unwrap();
    }
    assert_eq!(
        attempts::counted(&db, "anna@EXAMPLE.nl", "10.0.0.1")
            .await
            .unwrap(),
        (3, 3)
    );
    let wait = attempts::begin(&db, "anna@example.nl", "10.0.0.1", limits)
        .await
        .unwrap()
        .unwrap_err();
    assert!(wait.until_ms > db.now_ms(), "{wait:?}");
    // From another address the account is not held up; a good password there
    // forgets that address's failures only.
    let elsewhere = attempts::begin(&db, "anna@example.nl", "10.0.0.9", limits)
        .await
        .unwrap()
        .unwrap();
    attempts::succeeded(&db, elsewhere, "anna@example.nl", "10.0.0.9")
        .await
        .unwrap();
    assert_eq!(
        attempts::counted(&db, "anna@example.nl", "10.0.0.9")
            .await
            .unwrap(),
        (0, 0)
    );
    assert_eq!(
        attempts::counted(&db, "anna@example.nl", "10.0.0.1")
            .await
            .unwrap(),
        (3, 3)
    );

    accounts::set_password(&db, Some(w.anna), w.anna, "$argon2id$stand-in", None)
        .await
        .unwrap();
    assert_eq!(
        accounts::password_hash(&db, w.anna)
            .await
            .unwrap()
            .as_deref(),
        Some("$argon2id$stand-in")
    );
}
