//! The shape of a demo organisation, and the people and units in it.

use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

use super::vocab;

/// How big the demo organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Size {
    /// About 200 people, 600 objectives, 1,800 key results.
    Default,
    /// About 10,000 people, 30,000 objectives, 100,000 key results, 1,000,000 check-ins.
    Large,
}

/// Counts that follow from a size.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub departments: usize,
    pub teams: usize,
    pub people: usize,
    pub org_per_year: usize,
    pub org_per_quarter: usize,
    pub per_department: usize,
    pub per_team: usize,
    pub personal_per_quarter: usize,
    /// Chance of a fourth key result (three is the rule).
    pub fourth_key_result: f64,
    /// Chance that an owner checks in in a given week.
    pub weekly_check_in: f64,
}

impl Shape {
    pub fn of(size: Size) -> Shape {
        match size {
            Size::Default => Shape {
                departments: 6,
                teams: 25,
                people: 200,
                org_per_year: 5,
                org_per_quarter: 4,
                per_department: 3,
                per_team: 2,
                personal_per_quarter: 2,
                fourth_key_result: 0.0,
                weekly_check_in: 0.85,
            },
            Size::Large => Shape {
                departments: 40,
                teams: 1_250,
                people: 10_000,
                org_per_year: 5,
                org_per_quarter: 5,
                per_department: 4,
                per_team: 2,
                personal_per_quarter: 1_084,
                fourth_key_result: 0.33,
                weekly_check_in: 0.78,
            },
        }
    }
}

pub struct Department {
    pub id: i64,
    pub name: String,
    pub teams: Vec<usize>,
    pub lead: i64,
}

pub struct Team {
    pub id: i64,
    pub department: usize,
    pub name: String,
    pub members: Vec<i64>,
}

pub struct Person {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub team: usize,
}

pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub departments: Vec<Department>,
    pub teams: Vec<Team>,
    pub people: Vec<Person>,
}

const REGIONS: &[&str] = &[
    "", " Noord", " Zuid", " Oost", " West", " Benelux", " DACH", " Nordics",
];

/// Units and people, ids from 1 in creation order.
pub fn organisation(shape: Shape, rng: &mut ChaCha8Rng) -> Organisation {
    let name = vocab::ORGANISATIONS
        .choose(rng)
        .copied()
        .unwrap_or("Cairn Demo")
        .to_string();
    let domain = format!("{}.example", slug(name.split(' ').next().unwrap_or("demo")));
    let mut next_unit = 2; // 1 is the organisation
    let mut departments = Vec::with_capacity(shape.departments);
    for d in 0..shape.departments {
        let (base, _) = vocab::DEPARTMENTS[d % vocab::DEPARTMENTS.len()];
        let region = REGIONS[(d / vocab::DEPARTMENTS.len()) % REGIONS.len()];
        departments.push(Department {
            id: next_unit,
            name: format!("{base}{region}"),
            teams: vec![],
            lead: 0,
        });
        next_unit += 1;
    }
    let mut teams = Vec::with_capacity(shape.teams);
    for t in 0..shape.teams {
        let d = t % shape.departments;
        let (_, names) = vocab::DEPARTMENTS[d % vocab::DEPARTMENTS.len()];
        let round = departments[d].teams.len();
        let base = names[round % names.len()];
        let name = match round / names.len() {
            0 => base.to_string(),
            n => format!("{base} {}", n + 1),
        };
        departments[d].teams.push(t);
        teams.push(Team {
            id: next_unit,
            department: d,
            name,
            members: vec![],
        });
        next_unit += 1;
    }
    let mut used = HashSet::new();
    let mut people = Vec::with_capacity(shape.people);
    for p in 0..shape.people {
        let first = vocab::FIRST_NAMES.choose(rng).copied().unwrap_or("Anna");
        let last = vocab::LAST_NAMES.choose(rng).copied().unwrap_or("Jansen");
        let local = format!("{}.{}", slug(first), slug(last));
        let mut email = format!("{local}@{domain}");
        let mut n = 2;
        while !used.insert(email.clone()) {
            email = format!("{local}{n}@{domain}");
            n += 1;
        }
        let team = p % shape.teams;
        let id = p as i64 + 1;
        teams[team].members.push(id);
        people.push(Person {
            id,
            name: format!("{first} {last}"),
            email,
            team,
        });
    }
    for dept in &mut departments {
        // The department lead is the lead of its first team.
        dept.lead = dept
            .teams
            .first()
            .and_then(|t| teams[*t].members.first().copied())
            .unwrap_or(1);
    }
    Organisation {
        id: 1,
        name,
        departments,
        teams,
        people,
    }
}

/// Lowercase ASCII letters only, for email addresses.
pub fn slug(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            'ë' | 'é' | 'è' => Some('e'),
            'ö' => Some('o'),
            'ı' => Some('i'),
            'í' | 'ï' => Some('i'),
            'á' | 'à' => Some('a'),
            'ü' | 'ú' => Some('u'),
            'ç' => Some('c'),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn the_default_shape_has_the_promised_people() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let org = organisation(Shape::of(Size::Default), &mut rng);
        assert_eq!(org.people.len(), 200);
        assert_eq!(org.teams.len(), 25);
        assert_eq!(org.departments.len(), 6);
        let emails: HashSet<_> = org.people.iter().map(|p| &p.email).collect();
        assert_eq!(emails.len(), 200, "every email is unique");
        assert!(org.teams.iter().all(|t| !t.members.is_empty()));
    }

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(slug("Zoë"), "zoe");
        assert_eq!(slug("van den Berg"), "vandenberg");
        assert_eq!(slug("Yılmaz"), "yilmaz");
    }
}
