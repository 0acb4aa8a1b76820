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
mod tests;
