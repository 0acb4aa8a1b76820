//! The one clock the server reads "now" and "today" from.
//!
//! In production it is the system clock. An operator (or a test) can start the
//! server on another day (`--today`), and tests can hold time still and move it by
//! hand, so everything that depends on the date (expected pace, which period is
//! current, what the demo generates) is the same on any day the tests run.
//!
//! Sessions and their cookies keep to the real clock: a browser judges a cookie's
//! expiry by its own clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};

/// A shared clock: cheap to clone; every clone reads the same time.
#[derive(Clone, Debug)]
pub struct Clock(Arc<Kind>);

#[derive(Debug)]
enum Kind {
    System,
    /// Starts at noon (UTC) of the chosen day and runs at the real pace from there,
    /// so a test run has half a day before the date moves on.
    From {
        start_ms: i64,
        started: Instant,
    },
    /// Stands still until moved.
    Manual(AtomicI64),
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    pub fn system() -> Clock {
        Clock(Arc::new(Kind::System))
    }

    /// A clock that reads `day` at noon UTC now and runs on from there.
    pub fn starting_on(day: NaiveDate) -> Clock {
        Clock(Arc::new(Kind::From {
            start_ms: noon_ms(day),
            started: Instant::now(),
        }))
    }

    /// A clock that stands at `at_ms` until `set` or `advance` moves it.
    pub fn manual(at_ms: i64) -> Clock {
        Clock(Arc::new(Kind::Manual(AtomicI64::new(at_ms))))
    }

    /// A manual clock at noon UTC of `day`.
    pub fn manual_on(day: NaiveDate) -> Clock {
        Clock::manual(noon_ms(day))
    }

    /// Milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        match &*self.0 {
            Kind::System => Utc::now().timestamp_millis(),
            Kind::From { start_ms, started } => {
                start_ms + i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX / 2)
            }
            Kind::Manual(at) => at.load(Ordering::Acquire),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.now_ms()).unwrap_or_default()
    }

    /// Today's date in UTC.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Moves a manual clock to `at_ms`; other clocks ignore it.
    pub fn set(&self, at_ms: i64) {
        if let Kind::Manual(at) = &*self.0 {
            at.store(at_ms, Ordering::Release);
        }
    }

    /// Moves a manual clock on by `ms`; other clocks ignore it.
    pub fn advance(&self, ms: i64) {
        if let Kind::Manual(at) = &*self.0 {
            at.fetch_add(ms, Ordering::AcqRel);
        }
    }

    /// Whether this clock follows the system's.
    pub fn is_system(&self) -> bool {
        matches!(&*self.0, Kind::System)
    }
}

fn noon_ms(day: NaiveDate) -> i64 {
    day.and_hms_opt(12, 0, 0)
        .map(|t| t.and_utc().timestamp_millis())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_from_a_day_reads_that_day() {
        let day = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
        let clock = Clock::starting_on(day);
        assert_eq!(clock.today(), day);
        assert!(clock.now_ms() >= noon_ms(day));
    }

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let clock = Clock::manual_on(day);
        let copy = clock.clone();
        assert_eq!(clock.now_ms(), copy.now_ms());
        copy.advance(13 * 3_600_000);
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        clock.set(noon_ms(day));
        assert_eq!(copy.today(), day);
        assert!(!clock.is_system() && Clock::system().is_system());
    }
}
