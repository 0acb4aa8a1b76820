//! Where the live-event reader stands in the event log.
//!
//! SQLite commits events in id order. PostgreSQL hands out ids at insert time, so
//! a transaction that started later can commit first: id 12 may be readable while
//! 11 is not yet. The cursor delivers what it sees at once and keeps a mark, the
//! highest id below which nothing is still missing. An id that stays missing for
//! `GAP_WAIT` belonged to a rolled-back transaction and is given up.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// How long a missing id is waited for.
pub const GAP_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct Cursor {
    /// Every id up to here was delivered or given up.
    mark: i64,
    /// Delivered ids above the mark.
    seen: BTreeSet<i64>,
    /// Missing ids above the mark, with when they were first missed.
    gaps: BTreeMap<i64, Instant>,
}

impl Cursor {
    /// A cursor that has delivered everything up to `mark`.
    pub fn new(mark: i64) -> Cursor {
        Cursor {
            mark,
            seen: BTreeSet::new(),
            gaps: BTreeMap::new(),
        }
    }

    /// Everything up to this id was delivered (or given up).
    pub fn mark(&self) -> i64 {
        self.mark
    }

    /// Takes the ids read above the mark (ascending) and returns those not yet
    /// delivered, each with the mark that holds once it is delivered.
    pub fn take(&mut self, ids: impl IntoIterator<Item = i64>, now: Instant) -> Vec<(i64, i64)> {
        self.expire(now);
        let mut out = Vec::new();
        for id in ids {
            if id <= self.mark || self.seen.contains(&id) {
                continue;
            }
            let highest = self.seen.last().copied().unwrap_or(self.mark);
            for missing in (highest + 1)..id {
                self.gaps.entry(missing).or_insert(now);
            }
            self.gaps.remove(&id);
            self.seen.insert(id);
            self.advance(now);
            out.push((id, self.mark));
        }
        out
    }

    /// Gives up ids missing for longer than `GAP_WAIT`.
    pub fn expire(&mut self, now: Instant) {
        self.advance(now);
    }

    fn advance(&mut self, now: Instant) {
        loop {
            let next = self.mark + 1;
            if self.seen.remove(&next) {
                self.mark = next;
            } else if self
                .gaps
                .get(&next)
                .is_some_and(|since| now.duration_since(*since) >= GAP_WAIT)
            {
                self.gaps.remove(&next);
                tracing::warn!(id = next, "live event never committed; skipped");
                self.mark = next;
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_ids_move_the_mark_with_them() {
        let now = Instant::now();
        let mut cursor = Cursor::new(5);
        assert_eq!(cursor.take([6, 7, 8], now), vec![(6, 6), (7, 7), (8, 8)]);
        assert_eq!(cursor.take([7, 8], now), vec![], "nothing twice");
        assert_eq!(cursor.mark(), 8);
    }

    #[test]
    fn a_late_commit_is_delivered_once_and_holds_the_mark_back() {
        let now = Instant::now();
        let mut cursor = Cursor::new(10);
        // 12 committed before 11.
        assert_eq!(cursor.take([12], now), vec![(12, 10)]);
        assert_eq!(cursor.mark(), 10);
        assert_eq!(cursor.take([11, 12, 13], now), vec![(11, 12), (13, 13)]);
        assert_eq!(cursor.mark(), 13);
    }

    #[test]
    fn an_id_that_never_commits_is_given_up_after_the_wait() {
        let start = Instant::now();
        let mut cursor = Cursor::new(0);
        assert_eq!(cursor.take([2, 3], start), vec![(2, 0), (3, 0)]);
        cursor.expire(start + GAP_WAIT / 2);
        assert_eq!(cursor.mark(), 0, "still waiting for 1");
        cursor.expire(start + GAP_WAIT);
        assert_eq!(cursor.mark(), 3);
        assert_eq!(cursor.take([1], start + GAP_WAIT), vec![], "too late");
    }
}
