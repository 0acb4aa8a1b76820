//! Periods: years, quarters nested in them, custom spans, and the undated backlog.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ids::PeriodId;

/// What kind of period this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Year,
    Quarter,
    Custom,
    /// Undated drafts, planned before they belong to a quarter.
    Backlog,
}

/// Where a period is in its life. Moves forward one step at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodState {
    /// OKRs are drafted; check-ins are not expected yet.
    Planning,
    /// The period runs: people check in.
    Active,
    /// The period is over: owners grade and write retrospectives.
    Grading,
    /// Read-only, except for audited corrections by an admin.
    Closed,
}

impl PeriodState {
    pub const ALL: [PeriodState; 4] = [Self::Planning, Self::Active, Self::Grading, Self::Closed];

    /// The state after this one, if any.
    pub fn next(self) -> Option<PeriodState> {
        match self {
            Self::Planning => Some(Self::Active),
            Self::Active => Some(Self::Grading),
            Self::Grading => Some(Self::Closed),
            Self::Closed => None,
        }
    }

    /// Forward one step, back from grading to active when grading started too early,
    /// or a closed period reopened for grading (an admin's, audited).
    pub fn transition(self, to: PeriodState) -> Result<PeriodState, PeriodError> {
        let allowed = self.next() == Some(to)
            || (self == Self::Grading && to == Self::Active)
            || (self == Self::Closed && to == Self::Grading);
        if allowed {
            Ok(to)
        } else {
            Err(PeriodError::Transition { from: self, to })
        }
    }

    /// Whether owners may still change objectives and key results (admins always may).
    pub fn is_open(self) -> bool {
        self != Self::Closed
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planning => "planning",
            Self::Active => "active",
            Self::Grading => "grading",
            Self::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

impl PeriodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Year => "year",
            Self::Quarter => "quarter",
            Self::Custom => "custom",
            Self::Backlog => "backlog",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Year, Self::Quarter, Self::Custom, Self::Backlog]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

/// Why a period or a date within it was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum PeriodError {
    #[error("a period cannot end before it starts")]
    EndsBeforeStart,
    #[error("a period cannot move from {from:?} to {to:?}")]
    Transition { from: PeriodState, to: PeriodState },
    #[error("the date {date} lies outside the period")]
    DateOutside { date: NaiveDate },
    #[error("quarter must be 1 to 4")]
    NoSuchQuarter,
    #[error("the year is out of range")]
    NoSuchYear,
    #[error("the period overlaps another of its kind in the same place")]
    Overlap,
    #[error("only calendar quarters and years have a next one")]
    NoNext,
}

/// A span of whole days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    start: NaiveDate,
    end: NaiveDate,
}

impl Span {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Span, PeriodError> {
        if end < start {
            Err(PeriodError::EndsBeforeStart)
        } else {
            Ok(Span { start, end })
        }
    }

    /// The calendar year.
    pub fn year(year: i32) -> Result<Span, PeriodError> {
        let start = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(PeriodError::NoSuchYear)?;
        let end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(PeriodError::NoSuchYear)?;
        Span::new(start, end)
    }

    /// Quarter 1 to 4 of the calendar year.
    pub fn quarter(year: i32, quarter: u32) -> Result<Span, PeriodError> {
        if !(1..=4).contains(&quarter) {
            return Err(PeriodError::NoSuchQuarter);
        }
        let first_month = (quarter - 1) * 3 + 1;
        let start = NaiveDate::from_ymd_opt(year, first_month, 1).ok_or(PeriodError::NoSuchYear)?;
        let end = if quarter == 4 {
            NaiveDate::from_ymd_opt(year, 12, 31)
        } else {
            NaiveDate::from_ymd_opt(year, first_month + 3, 1).and_then(|d| d.pred_opt())
        }
        .ok_or(PeriodError::NoSuchYear)?;
        Span::new(start, end)
    }

    pub fn start(self) -> NaiveDate {
        self.start
    }

    pub fn end(self) -> NaiveDate {
        self.end
    }

    /// Number of days, both ends included.
    pub fn days(self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    pub fn encloses(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two spans share a day.
    pub fn overlaps(self, other: Span) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// The calendar quarter or year right after this one, if `kind` is one of them
    /// and this span is a whole one.
    pub fn following(self, kind: PeriodKind) -> Option<Span> {
        let (year, month) = (self.start.year(), self.start.month());
        match kind {
            PeriodKind::Quarter if Span::quarter(year, (month - 1) / 3 + 1).ok()? == self => {
                let quarter = (month - 1) / 3 + 1;
                if quarter == 4 {
                    Span::quarter(year + 1, 1).ok()
                } else {
                    Span::quarter(year, quarter + 1).ok()
                }
            }
            PeriodKind::Year if Span::year(year).ok()? == self => Span::year(year + 1).ok(),
            _ => None,
        }
    }

    /// The share of the span that has passed at the end of `today`: 0 before it
    /// starts, 1 from its last day on. This is the expected pace of linear progress.
    pub fn elapsed(self, today: NaiveDate) -> f64 {
        let done = (today - self.start).num_days() + 1;
        (done as f64 / self.days() as f64).clamp(0.0, 1.0)
    }

    /// A date inside the span, or an error naming it.
    pub fn check(self, date: NaiveDate) -> Result<NaiveDate, PeriodError> {
        if self.contains(date) {
            Ok(date)
        } else {
            Err(PeriodError::DateOutside { date })
        }
    }
}

/// A period as the domain sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    pub id: PeriodId,
    pub kind: PeriodKind,
    pub name: String,
    /// None only for the backlog.
    pub span: Option<Span>,
    /// The year a quarter belongs to.
    pub parent: Option<PeriodId>,
    pub state: PeriodState,
    pub version: i64,
}

impl Period {
    /// Whether an objective of `self` may align to an objective of `parent`: the same
    /// period, or one that encloses it (a quarter to its year, never the reverse).
    /// Backlog drafts may align to anything; nothing aligns to a backlog draft but
    /// another draft.
    pub fn may_align_to(&self, parent: &Period) -> bool {
        if self.id == parent.id || self.kind == PeriodKind::Backlog {
            return true;
        }
        match (self.span, parent.span) {
            (Some(child), Some(outer)) => outer.encloses(child) && outer.days() > child.days(),
            _ => false,
        }
    }

    /// The period people mean by "now": of those containing `today`, the one that
    /// ends first (a quarter before its year), and of those the latest to start.
    pub fn current(periods: &[Period], today: NaiveDate) -> Option<&Period> {
        periods
            .iter()
            .filter_map(|p| p.span.filter(|s| s.contains(today)).map(|s| (p, s)))
            .min_by_key(|(_, s)| (s.end(), std::cmp::Reverse(s.start())))
            .map(|(p, _)| p)
    }

    /// The quarter label, "2026 Q3", or the year, "2026", for calendar periods.
    pub fn calendar_name(kind: PeriodKind, span: Span) -> String {
        match kind {
            PeriodKind::Quarter => {
                format!("{} Q{}", span.start.year(), span.start.month0() / 3 + 1)
            }
            _ => span.start.year().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
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
}
