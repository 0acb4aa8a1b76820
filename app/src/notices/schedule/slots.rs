//! A weekly moment in a time zone, as an instant: "Monday 09:00 in Amsterdam" is
//! 08:00 UTC in winter and 07:00 in summer.

use cairn::notify::Weekly;
use chrono::{Datelike, Duration, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// A time zone Cairn knows by its IANA name.
pub fn zone(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

/// Every IANA time zone name, for a unit's settings.
pub fn zone_names() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
}

/// The latest occurrence of `weekly` in `zone` at or before `now_ms` (ms since the
/// epoch, UTC). A moment that falls in a daylight-saving gap happens when the gap
/// ends; one that falls twice (the clock turned back) happens the first time.
pub fn latest(weekly: Weekly, zone: Tz, now_ms: i64) -> Option<i64> {
    let now = chrono::DateTime::from_timestamp_millis(now_ms)?.with_timezone(&zone);
    let local = now.naive_local();
    let back = (7 + local.weekday().num_days_from_monday() as i64 - i64::from(weekly.day)) % 7;
    let day = local.date() - Duration::days(back);
    let minute = i64::from(weekly.minute);
    for weeks_back in 0..3 {
        let date = day - Duration::days(7 * weeks_back);
        let at = instant(zone, date.and_hms_opt(0, 0, 0)? + Duration::minutes(minute))?;
        if at <= now_ms {
            return Some(at);
        }
    }
    None
}

fn instant(zone: Tz, local: NaiveDateTime) -> Option<i64> {
    if let Some(at) = zone.from_local_datetime(&local).earliest() {
        return Some(at.timestamp_millis());
    }
    // In a gap: the first minute that exists after it.
    (1..=180).find_map(|m| {
        zone.from_local_datetime(&(local + Duration::minutes(m)))
            .earliest()
            .map(|at| at.timestamp_millis())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_millis()
    }

    const MONDAY_NINE: Weekly = Weekly {
        day: 0,
        minute: 540,
    };

    #[test]
    fn monday_nine_in_amsterdam_follows_its_clock() {
        let amsterdam = zone("Europe/Amsterdam").unwrap();
        // Winter: UTC+1.
        assert_eq!(
            latest(MONDAY_NINE, amsterdam, utc("2026-11-18T12:00:00Z")),
            Some(utc("2026-11-16T08:00:00Z"))
        );
        // Summer: UTC+2.
        assert_eq!(
            latest(MONDAY_NINE, amsterdam, utc("2026-07-08T12:00:00Z")),
            Some(utc("2026-07-06T07:00:00Z"))
        );
        // Exactly at the moment, and a minute before it.
        assert_eq!(
            latest(MONDAY_NINE, amsterdam, utc("2026-11-16T08:00:00Z")),
            Some(utc("2026-11-16T08:00:00Z"))
        );
        assert_eq!(
            latest(MONDAY_NINE, amsterdam, utc("2026-11-16T07:59:00Z")),
            Some(utc("2026-11-09T08:00:00Z"))
        );
    }

    #[test]
    fn a_moment_in_the_spring_gap_happens_when_the_gap_ends() {
        let amsterdam = zone("Europe/Amsterdam").unwrap();
        // 29 March 2026, a Sunday: 02:00 jumps to 03:00.
        let sunday_half_past_two = Weekly {
            day: 6,
            minute: 150,
        };
        assert_eq!(
            latest(sunday_half_past_two, amsterdam, utc("2026-03-29T12:00:00Z")),
            Some(utc("2026-03-29T01:00:00Z"))
        );
    }

    #[test]
    fn zones_are_known_by_name() {
        assert!(zone("Asia/Kolkata").is_some() && zone("Mars/Olympus").is_none());
        assert!(zone_names().any(|n| n == "Europe/Amsterdam"));
    }
}
