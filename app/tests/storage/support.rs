//! A fresh database per test: a SQLite file in a temp dir, or a new database on the
//! throwaway PostgreSQL server the test command starts (CAIRN_TEST_POSTGRES_URL).

use std::sync::atomic::{AtomicU32, Ordering};

pub use crate::writers::*;
use app::storage::Db;
use app::storage::org::{NewPerson, NewUnit, create_person, create_unit};
use app::storage::periods::{NewPeriod, create_period};
use cairn::grading::Commitment;
use cairn::ids::{PeriodId, PersonId, UnitId};
use cairn::model::{Objective, ObjectiveState, Owner, UnitKind};
use cairn::period::{PeriodKind, PeriodState, Span};
use cairn::values::{Email, Name, Title, Weight};
use sqlx::Connection;

/// Runs each listed test against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (db, _keep) = $crate::support::sqlite().await;
                    super::$name(db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::support::postgres().await;
                    super::$name(db).await;
                }
            )*
        }
    };
}

pub async fn sqlite() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open_sqlite_file(&dir.path().join("test.db"))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    (db, dir)
}

pub async fn postgres() -> Db {
    let db = Db::open(&empty_postgres().await).await.unwrap();
    db.migrate().await.unwrap();
    db
}

/// A new database with nothing in it, on the throwaway server; its URL.
pub async fn empty_postgres() -> String {
    let admin = std::env::var("CAIRN_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "storage tests run against PostgreSQL too: run them through `./x test`, which starts a \
             throwaway server, or point CAIRN_TEST_POSTGRES_URL at a server you may create databases on"
        )
    });
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "cairn_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros()
    );
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    match admin.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("CAIRN_TEST_POSTGRES_URL needs a database path"),
    }
}

/// A small organisation: one organisation unit, one team, two people, the year
/// 2026 and its second quarter, both active.
pub struct World {
    pub org: UnitId,
    pub team: UnitId,
    pub anna: PersonId,
    pub bram: PersonId,
    pub year: PeriodId,
    pub quarter: PeriodId,
}

pub fn title(text: &str) -> Title {
    Title::parse(text).unwrap()
}

pub fn weight(w: f64) -> Weight {
    Weight::parse(w).unwrap()
}

pub async fn world(db: &Db) -> World {
    let org = create_unit(
        db,
        None,
        NewUnit {
            parent: None,
            name: Name::parse("Gemeente Oosterhout").unwrap(),
            kind: UnitKind::Organisation,
        },
    )
    .await
    .unwrap();
    let team = create_unit(
        db,
        None,
        NewUnit {
            parent: Some(org.id),
            name: Name::parse("Team Data").unwrap(),
            kind: UnitKind::Team,
        },
    )
    .await
    .unwrap();
    let person = |name: &str, email: &str| NewPerson {
        name: Name::parse(name).unwrap(),
        email: Email::parse(email).unwrap(),
    };
    let anna = create_person(db, None, person("Anna de Vries", "anna@example.nl"))
        .await
        .unwrap();
    let bram = create_person(db, None, person("Bram Jansen", "bram@example.nl"))
        .await
        .unwrap();
    let year = create_period(
        db,
        None,
        NewPeriod {
            kind: PeriodKind::Year,
            name: cairn::values::Name::parse("2026").unwrap(),
            span: Some(Span::year(2026).unwrap()),
            parent: None,
            state: PeriodState::Active,
        },
    )
    .await
    .unwrap();
    let quarter = create_period(
        db,
        None,
        NewPeriod {
            kind: PeriodKind::Quarter,
            name: cairn::values::Name::parse("2026 Q2").unwrap(),
            span: Some(Span::quarter(2026, 2).unwrap()),
            parent: Some(year.id),
            state: PeriodState::Active,
        },
    )
    .await
    .unwrap();
    World {
        org: org.id,
        team: team.id,
        anna: anna.id,
        bram: bram.id,
        year: year.id,
        quarter: quarter.id,
    }
}

pub fn new_objective(period: PeriodId, owner: Owner, text: &str) -> NewObjective {
    NewObjective {
        period,
        owner,
        title: title(text),
        description: None,
        commitment: Commitment::Committed,
        state: ObjectiveState::Active,
        weight: weight(1.0),
        parent: None,
    }
}

pub async fn make_objective(db: &Db, period: PeriodId, owner: Owner, text: &str) -> Objective {
    create_objective(db, None, new_objective(period, owner, text))
        .await
        .unwrap()
}

/// Rows in a table, to prove that a refused change stored nothing.
pub async fn count(db: &Db, table: &str) -> i64 {
    db.count_rows(table).await.unwrap()
}
