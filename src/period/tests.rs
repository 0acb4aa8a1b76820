use super::*;
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn period(id: i64, kind: PeriodKind, span: Option<Span>) -> Period {
    Period {
        id: PeriodId(id),
        kind,
        name: String::new(),
        span,
        parent: None,
        state: PeriodState::Active,
        version: 1,
    }
}

#[test]
fn the_next_quarter_and_year_follow_in_the_calendar() {
    let q4 = Span::quarter(2026, 4).unwrap();
    assert_eq!(
        q4.following(PeriodKind::Quarter),
        Span::quarter(2027, 1).ok()
    );
    let q1 = Span::quarter(2027, 1).unwrap();
    assert_eq!(
        q1.following(PeriodKind::Quarter),
        Span::quarter(2027, 2).ok()
    );
    let year = Span::year(2026).unwrap();
    assert_eq!(year.following(PeriodKind::Year), Span::year(2027).ok());
    let odd = Span::new(date(2026, 1, 15), date(2026, 3, 31)).unwrap();
    assert_eq!(odd.following(PeriodKind::Quarter), None);
    assert_eq!(q4.following(PeriodKind::Custom), None);
    assert_eq!(q4.following(PeriodKind::Year), None);
}

#[test]
fn spans_overlap_when_they_share_a_day() {
    let q1 = Span::quarter(2027, 1).unwrap();
    let q2 = Span::quarter(2027, 2).unwrap();
    assert!(!q1.overlaps(q2) && !q2.overlaps(q1));
    let straddle = Span::new(date(2027, 3, 31), date(2027, 4, 1)).unwrap();
    assert!(straddle.overlaps(q1) && straddle.overlaps(q2));
    assert!(Span::year(2027).unwrap().overlaps(q2));
}

#[test]
fn a_closed_period_reopens_only_for_grading() {
    assert_eq!(
        PeriodState::Closed.transition(PeriodState::Grading),
        Ok(PeriodState::Grading)
    );
    assert!(PeriodState::Closed.transition(PeriodState::Active).is_err());
    assert!(PeriodState::Active.transition(PeriodState::Closed).is_err());
}

#[test]
fn the_current_period_is_the_shortest_one_running_today() {
    let year = period(1, PeriodKind::Year, Some(Span::year(2026).unwrap()));
    let q2 = period(
        2,
        PeriodKind::Quarter,
        Some(Span::quarter(2026, 2).unwrap()),
    );
    let q3 = period(
        3,
        PeriodKind::Quarter,
        Some(Span::quarter(2026, 3).unwrap()),
    );
    let backlog = period(4, PeriodKind::Backlog, None);
    let all = [year, q2, q3, backlog];
    let id = |d| Period::current(&all, d).map(|p| p.id.0);
    assert_eq!(id(date(2026, 5, 10)), Some(2));
    assert_eq!(id(date(2026, 7, 1)), Some(3));
    assert_eq!(id(date(2025, 7, 1)), None);
    assert_eq!(
        Period::current(&all[..1], date(2026, 7, 1)).map(|p| p.id.0),
        Some(1)
    );
}

#[test]
fn quarters_tile_the_year() {
    let q = |n| Span::quarter(2028, n).unwrap();
    assert_eq!(q(1).start(), date(2028, 1, 1));
    assert_eq!(q(1).end(), date(2028, 3, 31));
    assert_eq!(q(2).end(), date(2028, 6, 30));
    assert_eq!(q(4).end(), date(2028, 12, 31));
    let days: i64 = (1..=4).map(|n| q(n).days()).sum();
    assert_eq!(
        days,
        Span::year(2028).unwrap().days(),
        "a leap year has 366 days"
    );
    assert_eq!(Span::quarter(2028, 5), Err(PeriodError::NoSuchQuarter));
    assert_eq!(Span::quarter(2028, 0), Err(PeriodError::NoSuchQuarter));
}

#[test]
fn elapsed_is_linear_and_clamped() {
    let q = Span::quarter(2026, 1).unwrap(); // 90 days
    assert_eq!(q.elapsed(date(2025, 12, 1)), 0.0);
    assert!((q.elapsed(date(2026, 1, 1)) - 1.0 / 90.0).abs() < 1e-12);
    assert_eq!(q.elapsed(date(2026, 3, 31)), 1.0);
    assert_eq!(q.elapsed(date(2027, 1, 1)), 1.0);
}

#[test]
fn spans_refuse_to_end_before_they_start() {
    assert_eq!(
        Span::new(date(2026, 2, 1), date(2026, 1, 1)),
        Err(PeriodError::EndsBeforeStart)
    );
    assert_eq!(
        Span::new(date(2026, 1, 1), date(2026, 1, 1))
            .unwrap()
            .days(),
        1
    );
}

#[test]
fn a_quarter_aligns_to_its_year_never_the_reverse() {
    let year = period(1, PeriodKind::Year, Some(Span::year(2026).unwrap()));
    let q2 = period(
        2,
        PeriodKind::Quarter,
        Some(Span::quarter(2026, 2).unwrap()),
    );
    let q3 = period(
        3,
        PeriodKind::Quarter,
        Some(Span::quarter(2026, 3).unwrap()),
    );
    let other_year = period(4, PeriodKind::Year, Some(Span::year(2027).unwrap()));
    let backlog = period(5, PeriodKind::Backlog, None);
    assert!(q2.may_align_to(&year));
    assert!(!year.may_align_to(&q2));
    assert!(!q2.may_align_to(&q3), "sibling quarters do not align");
    assert!(!q2.may_align_to(&other_year));
    assert!(q2.may_align_to(&q2));
    assert!(backlog.may_align_to(&year));
    assert!(!q2.may_align_to(&backlog));
}

#[test]
fn the_lifecycle_moves_forward_one_step() {
    use PeriodState::*;
    assert_eq!(Planning.transition(Active), Ok(Active));
    assert_eq!(Active.transition(Grading), Ok(Grading));
    assert_eq!(Grading.transition(Closed), Ok(Closed));
    assert_eq!(
        Grading.transition(Active),
        Ok(Active),
        "grading may be reopened"
    );
    assert!(Planning.transition(Closed).is_err());
    assert!(Closed.transition(Active).is_err());
    assert!(Active.transition(Planning).is_err());
    for s in PeriodState::ALL {
        assert_eq!(PeriodState::parse(s.as_str()), Some(s));
    }
}

#[test]
fn calendar_names() {
    assert_eq!(
        Period::calendar_name(PeriodKind::Quarter, Span::quarter(2026, 3).unwrap()),
        "2026 Q3"
    );
    assert_eq!(
        Period::calendar_name(PeriodKind::Year, Span::year(2026).unwrap()),
        "2026"
    );
}

proptest! {
    #[test]
    fn elapsed_never_decreases(a in 0i64..800, b in 0i64..800) {
        let q = Span::quarter(2026, 2).unwrap();
        let base = date(2026, 1, 1);
        let (x, y) = (a.min(b), a.max(b));
        let ex = q.elapsed(base + chrono::Duration::days(x));
        let ey = q.elapsed(base + chrono::Duration::days(y));
        prop_assert!((0.0..=1.0).contains(&ex));
        prop_assert!(ex <= ey);
    }

    #[test]
    fn every_quarter_lies_in_its_year(year in 1900i32..2200, quarter in 1u32..=4) {
        let q = Span::quarter(year, quarter).unwrap();
        prop_assert!(Span::year(year).unwrap().encloses(q));
    }
}
