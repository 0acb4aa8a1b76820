//! The Dutch interface uses one word for each idea: the glossary's words, never the
//! ones it lists as not used (outside the keys it names as exceptions).

use std::collections::{HashMap, HashSet};

const GLOSSARY: &str = include_str!("../locales/GLOSSARY.md");
const DUTCH: &str = include_str!("../locales/nl.json");

/// Lowercase words of a text: letters, digits and hyphens.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The terms (one or more words) the glossary's last column rules out.
fn not_used() -> Vec<Vec<String>> {
    GLOSSARY
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| English"))
        .filter_map(|l| l.trim_end_matches('|').rsplit('|').next())
        .flat_map(|cell| cell.split(','))
        .map(words)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Key to the terms it may use anyway.
fn exceptions() -> HashMap<String, HashSet<String>> {
    GLOSSARY
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .filter_map(|l| l.split_once(": "))
        .map(|(key, terms)| {
            (
                key.to_string(),
                terms.split(',').map(|t| t.trim().to_lowercase()).collect(),
            )
        })
        .collect()
}

#[test]
fn dutch_uses_the_glossarys_words() {
    let terms = not_used();
    assert!(terms.len() > 15, "the glossary's table is read: {terms:?}");
    let exceptions = exceptions();
    assert!(exceptions.contains_key("ogsm_goals"));
    let texts: HashMap<String, String> = serde_json::from_str(DUTCH).unwrap();
    let mut found = Vec::new();
    for (key, text) in &texts {
        let said = words(text);
        for term in &terms {
            let allowed = exceptions
                .get(key)
                .is_some_and(|e| e.contains(&term.join(" ")));
            if !allowed && said.windows(term.len()).any(|w| w == term.as_slice()) {
                found.push(format!("{key}: \"{}\" in {text:?}", term.join(" ")));
            }
        }
    }
    found.sort();
    assert!(
        found.is_empty(),
        "words the glossary does not use:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_finds_what_it_looks_for() {
    let terms = not_used();
    let said = words("Alle doelen van de periode, in de boom");
    assert!(
        terms
            .iter()
            .any(|t| said.windows(t.len()).any(|w| w == t.as_slice()))
    );
}
