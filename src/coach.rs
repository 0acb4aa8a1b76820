//! A gentle OKR coach: hints from the method while an objective is written. Two to
//! five key results; a key result is a result measured by a number from a start to
//! a target, not an activity ("Launch…", "Organise…" are initiatives); an objective
//! says what, not how much. Hints never block saving.

use crate::draft::ObjectiveDraft;

/// Fewer key results than this leaves an objective hard to judge.
pub const FEWEST_KEY_RESULTS: usize = 2;
/// More than this, and focus is lost.
pub const MOST_KEY_RESULTS: usize = 5;

/// Words an activity starts with, in English and Dutch: work to do, not a result.
const ACTIVITIES: &[&str] = &[
    // English
    "launch",
    "organise",
    "organize",
    "hold",
    "run",
    "write",
    "build",
    "create",
    "implement",
    "introduce",
    "start",
    "set up",
    "develop",
    "deliver",
    "ship",
    "publish",
    "roll out",
    "migrate",
    "hire",
    "plan",
    "prepare",
    "design",
    "host",
    "complete",
    "finish",
    "conduct",
    "train",
    "install",
    "research",
    "investigate",
    // Dutch
    "lanceer",
    "lanceren",
    "organiseer",
    "organiseren",
    "houd",
    "houden",
    "schrijf",
    "schrijven",
    "bouw",
    "bouwen",
    "maak",
    "maken",
    "implementeer",
    "implementeren",
    "introduceer",
    "introduceren",
    "start",
    "starten",
    "zet op",
    "opzetten",
    "ontwikkel",
    "ontwikkelen",
    "lever",
    "leveren",
    "publiceer",
    "publiceren",
    "rol uit",
    "uitrollen",
    "migreer",
    "migreren",
    "plan",
    "plannen",
    "bereid voor",
    "ontwerp",
    "ontwerpen",
    "voer uit",
    "uitvoeren",
    "voer in",
    "invoeren",
    "afronden",
    "rond af",
    "installeer",
    "installeren",
    "onderzoek",
    "onderzoeken",
    "train",
    "trainen",
    "werf",
    "werven",
];

/// One hint about a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// Fewer than two key results (`count` of them).
    TooFewKeyResults { count: usize },
    /// More than five.
    TooManyKeyResults { count: usize },
    /// The key result at `index` reads as an activity and is not measured by a
    /// number: an initiative, perhaps.
    Activity { index: usize },
    /// The objective's title holds a number: how much belongs in key results.
    NumberInObjective,
}

/// The hints for a draft, in the order the form shows its fields.
pub fn hints(draft: &ObjectiveDraft) -> Vec<Hint> {
    let mut hints = Vec::new();
    if draft.title.chars().any(|c| c.is_ascii_digit()) {
        hints.push(Hint::NumberInObjective);
    }
    let named: Vec<(usize, &str, &str)> = draft
        .key_results
        .iter()
        .enumerate()
        .filter(|(_, kr)| !kr.title.trim().is_empty())
        .map(|(i, kr)| (i, kr.title.as_str(), kr.kind.as_str()))
        .collect();
    let count = draft.key_results.len();
    if !draft.title.trim().is_empty() && count < FEWEST_KEY_RESULTS {
        hints.push(Hint::TooFewKeyResults { count });
    }
    if count > MOST_KEY_RESULTS {
        hints.push(Hint::TooManyKeyResults { count });
    }
    for (index, title, kind) in named {
        // A number or a duration from a start to a target is what a key result is.
        if !matches!(kind, "metric" | "duration") && is_activity(title) {
            hints.push(Hint::Activity { index });
        }
    }
    hints
}

/// Whether a title starts with an activity's word ("Launch the portal").
pub fn is_activity(title: &str) -> bool {
    let words: Vec<String> = title
        .split_whitespace()
        .take(3)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    ACTIVITIES.iter().any(|activity| {
        let wanted: Vec<&str> = activity.split(' ').collect();
        words.len() >= wanted.len() && words.iter().zip(&wanted).all(|(w, a)| w == a)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::KeyResultDraft;

    fn kr(title: &str, kind: &str) -> KeyResultDraft {
        KeyResultDraft {
            title: title.into(),
            kind: kind.into(),
            ..KeyResultDraft::default()
        }
    }

    fn draft(title: &str, krs: Vec<KeyResultDraft>) -> ObjectiveDraft {
        ObjectiveDraft {
            title: title.into(),
            key_results: krs,
            ..ObjectiveDraft::default()
        }
    }

    #[test]
    fn a_good_objective_gets_no_hints() {
        let good = draft(
            "Customers love our service",
            vec![
                kr("NPS from 30 to 50", "metric"),
                kr("First answer within 2 hours", "metric"),
                kr("Launch to 500 users", "metric"),
            ],
        );
        assert_eq!(hints(&good), []);
    }

    #[test]
    fn activities_counts_and_numbers_are_hinted() {
        let one = draft(
            "Grow revenue by 20%",
            vec![kr("Launch the new portal", "binary")],
        );
        assert_eq!(
            hints(&one),
            [
                Hint::NumberInObjective,
                Hint::TooFewKeyResults { count: 1 },
                Hint::Activity { index: 0 }
            ]
        );
        let many = draft(
            "Klanten zijn fan",
            (0..6)
                .map(|i| {
                    kr(
                        if i == 2 {
                            "Organiseer een klantpanel"
                        } else {
                            "NPS"
                        },
                        "milestones",
                    )
                })
                .collect(),
        );
        assert_eq!(
            hints(&many),
            [
                Hint::TooManyKeyResults { count: 6 },
                Hint::Activity { index: 2 }
            ]
        );
        assert!(is_activity("Zet op: een kennisbank"));
        assert!(is_activity("“Roll out” single sign-on"));
        assert!(!is_activity("Startups choose us"));
        assert!(!is_activity("Rollout done"));
        assert_eq!(
            hints(&draft("", vec![])),
            [],
            "an empty form is not hinted at"
        );
    }
}
