//! Periods: the next quarter planned once, ahead of time or by hand, and
//! siblings that may not overlap. On both databases.

use app::storage::Db;
use app::storage::StorageError;
use app::storage::periods::{NewPeriod, create_period, period};
use app::storage::planning::{create_next, plan_ahead};
use cairn::period::{PeriodKind, PeriodState, Span};

use crate::on_both;
use crate::support::*;

on_both!(the_next_quarter_is_planned_once_and_periods_do_not_overlap);

async fn the_next_quarter_is_planned_once_and_periods_do_not_overlap(db: Db) {
    let w = world(&db).await;
    let periods_now = count(&db, "periods").await;
    // 2026 Q2 ends on 30 June: 20 days before, a 14-day lead does nothing yet.
    let early = chrono::NaiveDate::from_ymd_opt(2026, 6, 10).unwrap();
    assert!(plan_ahead(&db, early, 14).await.unwrap().is_none());
    assert_eq!(count(&db, "periods").await, periods_now);
    let late = chrono::NaiveDate::from_ymd_opt(2026, 6, 20).unwrap();
    let made = plan_ahead(&db, late, 14)
        .await
        .unwrap()
        .expect("Q3 planned");
    assert_eq!(
        (made.name.as_str(), made.state),
        ("2026 Q3", PeriodState::Planning)
    );
    assert_eq!(made.parent, Some(w.year));
    assert_eq!(made.span, Span::quarter(2026, 3).ok());
    // Looking again (another node, a minute later) makes nothing more.
    assert!(plan_ahead(&db, late, 14).await.unwrap().is_none());
    assert_eq!(count(&db, "periods").await, periods_now + 1);
    // By hand, twice: the second is refused as an overlap.
    let again = create_next(&db, None, w.quarter).await;
    assert!(
        matches!(
            again,
            Err(StorageError::Rule(cairn::rules::Rule::Period(
                cairn::period::PeriodError::Overlap
            )))
        ),
        "{again:?}"
    );
    // Q4's next is 2027 Q1, in a year made with it.
    let q4 = create_next(&db, None, made.id).await.unwrap();
    let q1 = create_next(&db, None, q4.id).await.unwrap();
    assert_eq!(q1.name, "2027 Q1");
    let year = period(&db, q1.parent.expect("in its year")).await.unwrap();
    assert_eq!((year.name.as_str(), year.kind), ("2027", PeriodKind::Year));
    // Overlapping custom periods in one year, and a second backlog, are refused.
    let custom = |name: &str, from: (u32, u32), to: (u32, u32)| NewPeriod {
        kind: PeriodKind::Custom,
        name: cairn::values::Name::parse(name).unwrap(),
        span: Some(
            Span::new(
                chrono::NaiveDate::from_ymd_opt(2026, from.0, from.1).unwrap(),
                chrono::NaiveDate::from_ymd_opt(2026, to.0, to.1).unwrap(),
            )
            .unwrap(),
        ),
        parent: Some(w.year),
        state: PeriodState::Planning,
    };
    create_period(&db, None, custom("Sprint 1", (2, 1), (2, 28)))
        .await
        .unwrap();
    let before = count(&db, "periods").await;
    let overlap = create_period(&db, None, custom("Sprint 2", (2, 15), (3, 15))).await;
    assert!(overlap.is_err(), "{overlap:?}");
    create_period(&db, None, custom("Sprint 2", (3, 1), (3, 15)))
        .await
        .unwrap();
    let backlog = |name: &str| NewPeriod {
        kind: PeriodKind::Backlog,
        name: cairn::values::Name::parse(name).unwrap(),
        span: None,
        parent: None,
        state: PeriodState::Planning,
    };
    // A quarter lies inside its year.
    let astray = NewPeriod {
        kind: PeriodKind::Quarter,
        name: cairn::values::Name::parse("2027 Q2").unwrap(),
        span: Span::quarter(2027, 2).ok(),
        parent: Some(w.year),
        state: PeriodState::Planning,
    };
    let outside = create_period(&db, None, astray).await;
    assert!(
        matches!(
            outside,
            Err(StorageError::Rule(cairn::rules::Rule::OutsideParentPeriod))
        ),
        "{outside:?}"
    );
    create_period(&db, None, backlog("Backlog")).await.unwrap();
    assert!(create_period(&db, None, backlog("Another")).await.is_err());
    assert_eq!(count(&db, "periods").await, before + 2);
}
