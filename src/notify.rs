//! Notices: what Cairn tells people, how each person wants to hear of each kind,
//! and the weekly rhythm that decides when a key result needs a reminder and when
//! a unit's lead should hear that it went unanswered.

use serde::{Deserialize, Serialize};

use crate::named;

use crate::values::ValueError;

/// A week in milliseconds: the rhythm's period.
pub const WEEK_MS: i64 = 7 * 24 * 60 * 60 * 1000;

named! {
    /// A kind of notice a person can choose how to receive.
    NoticeKind {
        /// Key results of yours wait for this week's check-in.
        Reminder = "reminder",
        /// Key results in a unit you lead went unanswered after the grace period.
        Escalation = "escalation",
        /// The week in your units and the OKRs you own or follow.
        Digest = "digest",
        /// Someone mentioned you in a comment.
        Mention = "mention",
        /// Someone commented on your objective or answered your check-in.
        Reply = "reply",
        /// A period with your objectives in it entered grading.
        Grading = "grading",
        /// A webhook you made was switched off after failing again and again.
        Webhook = "webhook",
    }
}

named! {
    /// How a person wants to hear of one kind of notice.
    Delivery {
        /// In the inbox and by mail.
        Email = "email",
        /// In the inbox only.
        InApp = "in_app",
        /// Not at all.
        Off = "off",
    }
}

impl Delivery {
    /// Every kind starts out by mail (and in the inbox).
    pub const DEFAULT: Delivery = Delivery::Email;

    pub fn in_inbox(self) -> bool {
        self != Delivery::Off
    }

    pub fn by_mail(self) -> bool {
        self == Delivery::Email
    }
}

/// A day of the week (0 = Monday) and a minute of that day: a weekly moment in
/// some time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weekly {
    pub day: u8,
    pub minute: u16,
}

impl Weekly {
    pub fn new(day: i64, minute: i64) -> Result<Weekly, ValueError> {
        let day = u8::try_from(day)
            .ok()
            .filter(|d| *d <= 6)
            .ok_or(ValueError::OutOfRange { min: 0.0, max: 6.0 })?;
        let minute = u16::try_from(minute)
            .ok()
            .filter(|m| *m < 24 * 60)
            .ok_or(ValueError::NotATime)?;
        Ok(Weekly { day, minute })
    }

    /// Reads a time of day as people type it: `9:00`, `09:30`, `17.45`.
    pub fn parse_time(raw: &str) -> Result<u16, ValueError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(ValueError::Empty);
        }
        let (hours, minutes) = raw.split_once([':', '.']).ok_or(ValueError::NotATime)?;
        let number = |text: &str, below: u16| {
            let text = text.trim();
            if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ValueError::NotATime);
            }
            text.parse::<u16>()
                .ok()
                .filter(|n| *n < below)
                .ok_or(ValueError::NotATime)
        };
        Ok(number(hours, 24)? * 60 + number(minutes, 60)?)
    }

    /// `09:05`.
    pub fn time_text(self) -> String {
        format!("{:02}:{:02}", self.minute / 60, self.minute % 60)
    }
}

/// After how many unanswered reminders a unit's leads hear of a key result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grace(u8);

impl Grace {
    pub const DEFAULT: Grace = Grace(2);
    pub const MAX: u8 = 10;

    pub fn parse(raw: i64) -> Result<Grace, ValueError> {
        u8::try_from(raw)
            .ok()
            .filter(|g| (1..=Self::MAX).contains(g))
            .map(Grace)
            .ok_or(ValueError::OutOfRange {
                min: 1.0,
                max: f64::from(Self::MAX),
            })
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// A unit's weekly rhythm: when its people are reminded to check in and when
/// they get their digest, in which time zone, and the grace before escalation.
/// The time zone is an IANA name (`Europe/Amsterdam`); the server checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cadence {
    pub enabled: bool,
    pub time_zone: String,
    pub reminder: Weekly,
    pub digest: Weekly,
    pub grace: Grace,
}

impl Cadence {
    /// What a new installation's organisation starts with: Monday 09:00 reminders,
    /// Monday 08:00 digests, Amsterdam time, two reminders' grace.
    pub fn standard() -> Cadence {
        Cadence {
            enabled: true,
            time_zone: "Europe/Amsterdam".to_string(),
            reminder: Weekly {
                day: 0,
                minute: 9 * 60,
            },
            digest: Weekly {
                day: 0,
                minute: 8 * 60,
            },
            grace: Grace::DEFAULT,
        }
    }
}

/// The rhythm `unit` follows: its own, or the nearest unit's above it that has
/// one, with the unit it comes from. `parent` gives a unit's parent, `own` its own
/// rhythm. A loop in the tree ends the search.
pub fn inherited<'a, U: Copy + PartialEq>(
    unit: U,
    parent: impl Fn(U) -> Option<U>,
    own: impl Fn(U) -> Option<&'a Cadence>,
) -> Option<(U, &'a Cadence)> {
    let mut at = unit;
    let mut seen: Vec<U> = Vec::new();
    loop {
        if let Some(cadence) = own(at) {
            return Some((at, cadence));
        }
        seen.push(at);
        match parent(at) {
            Some(up) if !seen.contains(&up) => at = up,
            _ => return None,
        }
    }
}

/// Where a key result stands at a reminder moment `slot_ms`, given when it was
/// last checked in on (or, never checked in on, created): 0 when it needs no
/// reminder (checked in since the moment a week before), otherwise how many
/// reminders in a row it has had, this one included.
///
/// The moment a week before is the last reminder: a key result checked in on
/// since then is skipped; one that was not is reminded, and counts one more.
pub fn reminders_in_a_row(slot_ms: i64, last_reading_ms: i64) -> u32 {
    let quiet = slot_ms.saturating_sub(last_reading_ms);
    if quiet <= WEEK_MS {
        return 0;
    }
    // The weekly moments after the last reading, up to and including this one,
    // less the first (which came less than a week after it and found it fresh).
    let moments = quiet / WEEK_MS + i64::from(quiet % WEEK_MS != 0);
    u32::try_from(moments - 1).unwrap_or(u32::MAX)
}

/// Whether a key result reminded `in_a_row` times (this time included) is past
/// the unit's grace: its leads hear of it.
pub fn escalates(in_a_row: u32, grace: Grace) -> bool {
    in_a_row > u32::from(grace.get())
}

/// The handles a comment mentions: `@anna.de.vries` gives `anna.de.vries` (the
/// part of an email address before the `@`, lower case), each once, in order. An
/// `@` inside a word (an email address) mentions nobody.
pub fn mentioned_handles(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts =
            chars[i] == '@' && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '.'));
        if !starts {
            i += 1;
            continue;
        }
        let handle: String = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
            .collect();
        // A sentence's full stop is not part of the handle.
        let handle = handle.trim_end_matches(['.', '-', '_']).to_lowercase();
        if !handle.is_empty() && !found.contains(&handle) {
            found.push(handle.clone());
        }
        i += 1 + handle.chars().count();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * 60 * 60 * 1000;

    #[test]
    fn kinds_and_deliveries_read_back_their_own_text() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(*kind));
        }
        for delivery in Delivery::ALL {
            assert_eq!(Delivery::parse(delivery.as_str()), Some(*delivery));
        }
        assert_eq!(NoticeKind::parse("Reminder"), None);
        assert!(Delivery::InApp.in_inbox() && !Delivery::InApp.by_mail());
        assert!(!Delivery::Off.in_inbox());
    }

    #[test]
    fn a_key_result_checked_in_on_this_week_is_skipped() {
        let slot = 100 * WEEK_MS;
        assert_eq!(reminders_in_a_row(slot, slot - DAY), 0);
        assert_eq!(reminders_in_a_row(slot, slot - WEEK_MS), 0);
        assert_eq!(
            reminders_in_a_row(slot, slot + DAY),
            0,
            "a reading after the moment"
        );
    }

    #[test]
    fn each_week_without_a_check_in_counts_one_more_reminder() {
        let slot = 100 * WEEK_MS;
        assert_eq!(reminders_in_a_row(slot, slot - WEEK_MS - 1), 1);
        assert_eq!(reminders_in_a_row(slot, slot - 2 * WEEK_MS), 1);
        assert_eq!(reminders_in_a_row(slot, slot - 2 * WEEK_MS - DAY), 2);
        assert_eq!(reminders_in_a_row(slot, slot - 3 * WEEK_MS - DAY), 3);
        assert_eq!(reminders_in_a_row(slot, i64::MIN), u32::MAX);
    }

    #[test]
    fn leads_hear_once_the_grace_is_used_up() {
        let grace = Grace::DEFAULT;
        assert!(!escalates(1, grace) && !escalates(2, grace));
        assert!(escalates(3, grace));
        assert!(escalates(2, Grace::parse(1).unwrap()));
        assert!(Grace::parse(0).is_err() && Grace::parse(11).is_err());
    }

    #[test]
    fn a_unit_follows_the_nearest_rhythm_above_it() {
        let parent = |u: u32| match u {
            3 => Some(2),
            2 => Some(1),
            1 => None,
            9 => Some(9),
            _ => None,
        };
        let mut team = Cadence::standard();
        team.reminder.day = 4;
        let org = Cadence::standard();
        let own = |u: u32| match u {
            1 => Some(&org),
            3 => Some(&team),
            _ => None,
        };
        assert_eq!(inherited(3, parent, own), Some((3, &team)));
        assert_eq!(inherited(2, parent, own), Some((1, &org)));
        assert_eq!(inherited(9, parent, own), None, "a loop ends the search");
    }

    #[test]
    fn times_of_day_read_as_typed() {
        assert_eq!(Weekly::parse_time("9:00"), Ok(540));
        assert_eq!(Weekly::parse_time(" 17.45 "), Ok(17 * 60 + 45));
        assert_eq!(Weekly::parse_time("24:00"), Err(ValueError::NotATime));
        assert_eq!(Weekly::parse_time("9"), Err(ValueError::NotATime));
        assert_eq!(Weekly::parse_time("٩:00"), Err(ValueError::NotATime));
        assert_eq!(Weekly::parse_time(""), Err(ValueError::Empty));
        assert_eq!(Weekly::new(0, 540).unwrap().time_text(), "09:00");
        assert!(Weekly::new(7, 0).is_err() && Weekly::new(0, 1440).is_err());
    }

    #[test]
    fn mentions_are_found_once_each_without_trailing_punctuation() {
        assert_eq!(
            mentioned_handles("Thanks @Anna.de.Vries. And @bram, @anna.de.vries!"),
            vec!["anna.de.vries".to_string(), "bram".to_string()]
        );
        assert!(mentioned_handles("mail me at x@y.nl or @").is_empty());
        assert_eq!(mentioned_handles("@émile"), vec!["émile".to_string()]);
    }
}
