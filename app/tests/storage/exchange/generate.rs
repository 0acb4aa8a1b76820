//! Random installations, written as exchange documents in the form export writes
//! them (every field, keys sorted, records by type and key), within every rule the
//! schema holds: one open primary alignment per objective, one carry per
//! objective, dates in order, an owner or a unit, and so on. Texts take any
//! character but NUL (which PostgreSQL cannot store), numbers any finite value.

use proptest::test_runner::{RngAlgorithm, TestRng};
use rand_core_compat::Below;
use serde_json::{Map, Value as Json, json};

/// The tiny random-number needs of the generator, on proptest's generator.
mod rand_core_compat {
    use proptest::prelude::Rng as RngCore;

    pub trait Below {
        fn below(&mut self, n: u64) -> u64;
        fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }
        fn unit(&mut self) -> f64 {
            self.below(1 << 53) as f64 / (1u64 << 53) as f64
        }
    }

    impl<R: RngCore> Below for R {
        fn below(&mut self, n: u64) -> u64 {
            self.next_u64() % n.max(1)
        }
    }
}

const TEXTS: &[&str] = &[
    "Klanten zijn fan",
    "Zorg voor een gezonde werkdruk",
    "Ünïcödé – “quotes” & <tags>",
    "emoji 🚀🌍",
    "tab\there, newline\nthere",
    "\u{7}bell and \u{1b}escape",
    "back\\slash \"quoted\"",
    "",
    "12.000,5",
    "日本語のテキスト",
    "\u{202e}right-to-left",
    "Ĳsselmeer",
];

pub struct Document {
    pub lines: Vec<String>,
}

impl Document {
    pub fn text(&self) -> String {
        let mut text = self.lines.join("\n");
        text.push('\n');
        text
    }
}

struct Gen {
    rng: TestRng,
    lines: Vec<String>,
    count: u64,
}

impl Gen {
    fn text(&mut self) -> String {
        let i = self.rng.below(TEXTS.len() as u64 + 1) as usize;
        match TEXTS.get(i) {
            Some(t) => t.to_string(),
            // Any characters but NUL.
            None => (0..self.rng.below(12))
                .filter_map(|_| char::from_u32(1 + self.rng.below(0x2FFFF) as u32))
                .collect(),
        }
    }

    /// A text that keeps the domain's rules: no control characters (but newlines
    /// and tabs where `multiline`), no spaces around it, not empty, at most `max`.
    fn kept(&mut self, max: usize, multiline: bool) -> String {
        let raw = self.text();
        let text: String = raw
            .chars()
            .filter(|c| !c.is_control() || (multiline && (*c == '\n' || *c == '\t')))
            .take(max)
            .collect();
        let text = text.trim();
        if text.is_empty() {
            "Doel".to_string()
        } else {
            text.to_string()
        }
    }

    fn title(&mut self) -> String {
        self.kept(200, false)
    }

    fn name(&mut self) -> String {
        self.kept(120, false)
    }

    fn maybe_long(&mut self) -> Json {
        if self.rng.chance(30) {
            Json::Null
        } else {
            self.kept(10_000, true).into()
        }
    }

    fn maybe_label(&mut self) -> Json {
        if self.rng.chance(30) {
            Json::Null
        } else {
            self.kept(24, false).into()
        }
    }

    fn maybe_text(&mut self) -> Json {
        if self.rng.chance(30) {
            Json::Null
        } else {
            self.text().into()
        }
    }

    fn real(&mut self) -> f64 {
        let v = match self.rng.below(6) {
            0 => 0.0,
            1 => 1e15 * self.rng.unit(),
            2 => -12_000.5,
            3 => 5e-324,
            4 => (self.rng.below(2_000_000) as f64) / 7.0,
            _ => self.rng.unit() * 100.0 - 50.0,
        };
        if v == 0.0 { 0.0 } else { v }
    }

    fn fraction(&mut self) -> f64 {
        match self.rng.below(4) {
            0 => 0.0,
            1 => 1.0,
            _ => self.rng.unit(),
        }
    }

    fn positive(&mut self) -> f64 {
        0.01 + self.rng.unit() * 10.0
    }

    fn time(&mut self) -> i64 {
        self.rng.below(4_000_000_000_000) as i64
    }

    fn maybe<T: Into<Json>>(&mut self, value: T) -> Json {
        if self.rng.chance(35) {
            Json::Null
        } else {
            value.into()
        }
    }

    fn maybe_time(&mut self) -> Json {
        let t = self.time();
        self.maybe(t)
    }

    fn maybe_fraction(&mut self) -> Json {
        let f = self.fraction();
        self.maybe(f)
    }

    fn maybe_real(&mut self) -> Json {
        let v = self.real();
        self.maybe(v)
    }

    fn maybe_confidence(&mut self) -> Json {
        let c = self.rng.below(11);
        self.maybe(c)
    }

    fn maybe_day(&mut self, year: u64) -> Json {
        let day = format!("{year}-0{}-1{}", 1 + self.rng.below(9), self.rng.below(10));
        self.maybe(day)
    }

    fn pick(&mut self, words: &[&str]) -> String {
        words[self.rng.below(words.len() as u64) as usize].to_string()
    }

    /// Ascending ids with gaps: `n` of them.
    fn ids(&mut self, n: u64) -> Vec<i64> {
        let mut id = 0;
        (0..n)
            .map(|_| {
                id += 1 + self.rng.below(3) as i64;
                id
            })
            .collect()
    }

    fn put(&mut self, kind: &str, value: Json) {
        let Json::Object(mut map) = value else {
            unreachable!("records are objects")
        };
        map.insert("type".into(), kind.into());
        self.lines.push(Json::Object(map).to_string());
        self.count += 1;
    }
}

/// A random installation from `seed`.
pub fn document(seed: u64) -> Document {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut g = Gen {
        rng: TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
        lines: Vec::new(),
        count: 0,
    };
    let mut header = Map::new();
    header.insert("format".into(), "cairn-exchange".into());
    header.insert("version".into(), 1.into());
    header.insert("name".into(), format!("Organisatie {}", g.text()).into());
    header.insert("created_at".into(), g.time().into());
    g.lines.push(Json::Object(header).to_string());

    // Units: parents in a random order, so some come after their children.
    let n = 1 + g.rng.below(5);
    let units = g.ids(n);
    let mut order: Vec<usize> = (0..units.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, g.rng.below(i as u64 + 1) as usize);
    }
    for (i, id) in units.iter().enumerate() {
        let rank = order.iter().position(|o| *o == i).unwrap_or(0);
        let parent: Json = if rank == 0 {
            Json::Null
        } else {
            units[order[g.rng.below(rank as u64) as usize]].into()
        };
        let r = json!({
            "id": id, "parent_id": parent, "name": g.name(),
            "kind": g.pick(&["organisation", "department", "team"]),
            "active": g.rng.chance(80), "version": 1 + g.rng.below(9), "created_at": g.time(),
        });
        g.put("unit", r);
    }

    let n = 1 + g.rng.below(6);
    let people = g.ids(n);
    for (i, id) in people.iter().enumerate() {
        let language = g.rng.below(3);
        let r = json!({
            "id": id, "name": g.name(), "email": format!("persoon{i}.{}@voorbeeld.nl", g.rng.below(1000)),
            "active": g.rng.chance(85), "version": 1 + g.rng.below(3), "created_at": g.time(),
            "language": match language { 0 => Json::Null, 1 => "en".into(), _ => "nl".into() },
        });
        g.put("person", r);
    }
    for id in people.clone() {
        if g.rng.chance(60) {
            let r = json!({
                "person_id": id, "is_admin": g.rng.chance(30), "created_at": g.time(),
                "password_changed_at": g.maybe_time(),
            });
            g.put("account", r);
        }
    }
    let mut identities: Vec<(String, String, i64)> = Vec::new();
    for p in people.clone() {
        if g.rng.chance(40) {
            identities.push((
                format!("https://id{}.example", g.rng.below(3)),
                format!("sub-{}-{p}", g.rng.below(99)),
                p,
            ));
        }
    }
    identities.sort();
    identities.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    for (provider, subject, person) in identities {
        let r = json!({
            "provider": provider, "subject": subject, "person_id": person,
            "email": format!("{subject}@idp.example"), "created_at": g.time(), "last_sign_in_at": g.time(),
        });
        g.put("identity", r);
    }
    for unit in units.clone() {
        for person in people.clone() {
            if g.rng.chance(30) {
                let r = json!({ "unit_id": unit, "person_id": person, "role": g.pick(&["member", "lead", "admin"]) });
                g.put("membership", r);
            }
        }
    }
    for unit in units.clone() {
        if g.rng.chance(40) {
            let r = json!({
                "unit_id": unit, "enabled": g.rng.chance(50), "time_zone": "Europe/Amsterdam",
                "reminder_day": g.rng.below(7), "reminder_minute": g.rng.below(1440),
                "digest_day": g.rng.below(7), "digest_minute": g.rng.below(1440),
                "grace": 1 + g.rng.below(10), "version": 1 + g.rng.below(4),
            });
            g.put("cadence", r);
        }
    }
    let mut kinds = [
        "digest",
        "escalation",
        "grading",
        "mention",
        "reminder",
        "reply",
        "webhook",
    ];
    kinds.sort();
    for person in people.clone() {
        for kind in kinds {
            if g.rng.chance(15) {
                let r = json!({ "person_id": person, "kind": kind, "delivery": g.pick(&["email", "in_app", "off"]) });
                g.put("preference", r);
            }
        }
    }

    // Periods: a year, some of its quarters, perhaps the backlog.
    let year = 2020 + g.rng.below(10);
    let quarters = g.rng.below(5);
    let backlog = g.rng.chance(50);
    let periods = g.ids(1 + quarters + u64::from(backlog));
    let states = ["planning", "active", "grading", "closed"];
    let r = json!({
        "id": periods[0], "kind": "year", "name": year.to_string(), "starts_on": format!("{year}-01-01"),
        "ends_on": format!("{year}-12-31"), "parent_id": null, "state": g.pick(&states), "version": 1,
    });
    g.put("period", r);
    for q in 0..quarters {
        let (start, end) = [
            ("01-01", "03-31"),
            ("04-01", "06-30"),
            ("07-01", "09-30"),
            ("10-01", "12-31"),
        ][q as usize];
        let r = json!({
            "id": periods[1 + q as usize], "kind": "quarter", "name": format!("{year} Q{}", q + 1),
            "starts_on": format!("{year}-{start}"), "ends_on": format!("{year}-{end}"),
            "parent_id": periods[0], "state": g.pick(&states), "version": 1 + g.rng.below(5),
        });
        g.put("period", r);
    }
    if backlog {
        let r = json!({
            "id": periods[periods.len() - 1], "kind": "backlog", "name": "Backlog", "starts_on": null,
            "ends_on": null, "parent_id": null, "state": "planning", "version": 1,
        });
        g.put("period", r);
    }

    let n = 1 + g.rng.below(8);
    let objectives = g.ids(n);
    let mut carried: Vec<i64> = Vec::new();
    for (i, id) in objectives.iter().enumerate() {
        let by_unit = g.rng.chance(60);
        let unit = units[g.rng.below(units.len() as u64) as usize];
        let person = people[g.rng.below(people.len() as u64) as usize];
        let carried_from: Json = match objectives[..i]
            .iter()
            .find(|o| !carried.contains(o) && g.rng.chance(30))
        {
            Some(o) => {
                carried.push(*o);
                (*o).into()
            }
            None => Json::Null,
        };
        let r = json!({
            "id": id, "period_id": periods[g.rng.below(periods.len() as u64) as usize],
            "owner_unit_id": if by_unit { unit.into() } else { Json::Null },
            "owner_person_id": if by_unit { Json::Null } else { person.into() },
            "title": g.title(), "description": g.maybe_long(),
            "commitment": g.pick(&["committed", "aspirational"]),
            "state": g.pick(&["draft", "active", "completed", "abandoned"]),
            "weight": g.positive(), "position": g.rng.below(1 << 40), "progress": g.fraction(),
            "grade": g.maybe_fraction(), "retrospective": g.maybe_long(),
            "version": 1 + g.rng.below(20), "created_at": g.time(), "updated_at": g.time(),
            "carried_from": carried_from,
        });
        g.put("objective", r);
    }

    let mut key_results: Vec<(i64, i64, String)> = Vec::new();
    let n = g.rng.below(12);
    for id in g.ids(n) {
        let objective = objectives[g.rng.below(objectives.len() as u64) as usize];
        let kind = g.pick(&["metric", "binary", "milestones"]);
        let metric = kind == "metric";
        let r = json!({
            "id": id, "objective_id": objective, "title": g.title(), "kind": kind,
            "direction": if metric { g.pick(&["increase", "decrease", "stay_at_or_above", "stay_at_or_below"]).into() } else { Json::Null },
            "start_value": if metric { g.real().into() } else { Json::Null },
            "target_value": if metric { g.real().into() } else { Json::Null },
            "unit_label": if metric { g.maybe_label() } else { Json::Null },
            "notation": if metric && g.rng.below(4) == 0 { "duration".into() } else { Json::Null },
            "weight": g.positive(),
            "owner_person_id": g.maybe(people[0]),
            "due_on": g.maybe_day(year),
            "position": g.rng.below(100_000), "current_value": g.maybe_real(),
            "progress": g.fraction(), "confidence": g.maybe_confidence(),
            "last_check_in_at": g.maybe_time(), "grade": g.maybe_fraction(),
            "grade_reason": g.maybe_long(), "version": 1 + g.rng.below(9), "created_at": g.time(), "updated_at": g.time(),
        });
        g.put("key_result", r);
        key_results.push((id, objective, kind));
    }
    let n = g.rng.below(6);
    for id in g.ids(n) {
        let Some(kr) = key_results
            .iter()
            .filter(|k| k.2 == "milestones")
            .map(|k| k.0)
            .nth(g.rng.below(3) as usize)
        else {
            break;
        };
        let r = json!({
            "id": id, "key_result_id": kr, "title": g.title(), "weight": g.positive(),
            "position": g.rng.below(1000), "done_at": g.maybe_time(),
        });
        g.put("milestone", r);
    }

    // Alignments: each objective at most one open primary, to an objective of a
    // lower id (or a key result of one), so the cascade has no cycle; and some history.
    let n = g.rng.below(10);
    let mut open_primary: Vec<i64> = Vec::new();
    for id in g.ids(n) {
        let child = objectives[g.rng.below(objectives.len() as u64) as usize];
        let lower: Vec<i64> = objectives.iter().copied().filter(|o| *o < child).collect();
        if lower.is_empty() {
            continue;
        }
        let parent = lower[g.rng.below(lower.len() as u64) as usize];
        let via_kr = key_results
            .iter()
            .find(|k| k.1 == parent)
            .map(|k| k.0)
            .filter(|_| g.rng.chance(40));
        let closed = open_primary.contains(&child) || g.rng.chance(30);
        let from = g.time();
        let primary = closed || g.rng.chance(80);
        if primary && !closed {
            open_primary.push(child);
        }
        let r = json!({
            "id": id, "child_id": child,
            "parent_objective_id": if via_kr.is_some() { Json::Null } else { parent.into() },
            "parent_key_result_id": via_kr.map_or(Json::Null, Json::from),
            "is_primary": primary, "valid_from": from,
            "valid_to": if closed { Json::from(from + g.rng.below(1_000_000) as i64) } else { Json::Null },
        });
        g.put("alignment", r);
    }
    let n = g.rng.below(6);
    for id in g.ids(n) {
        let r = json!({
            "id": id, "objective_id": objectives[g.rng.below(objectives.len() as u64) as usize],
            "title": g.title(), "done": g.rng.chance(50), "position": g.rng.below(9), "version": 1 + g.rng.below(3),
        });
        g.put("initiative", r);
    }
    let mut check_ins = Vec::new();
    if !key_results.is_empty() {
        let n = g.rng.below(15);
        for id in g.ids(n) {
            let kr = key_results[g.rng.below(key_results.len() as u64) as usize].0;
            let r = json!({
                "id": id, "key_result_id": kr, "author_id": g.maybe(people[people.len() - 1]),
                "at": g.time(), "value": g.maybe_real(),
                "milestones_done": g.maybe("1,2"), "confidence": g.rng.below(11), "note": g.maybe_long(),
                "source": g.pick(&["ui", "api", "import"]), "request_key": g.maybe(format!("req-{id}")),
            });
            g.put("check_in", r);
            check_ins.push(id);
        }
    }
    let n = g.rng.below(6);
    for id in g.ids(n) {
        let about: Json = match check_ins.get(g.rng.below(check_ins.len() as u64 + 2) as usize) {
            Some(c) => (*c).into(),
            None => Json::Null,
        };
        let r = json!({
            "id": id, "objective_id": objectives[g.rng.below(objectives.len() as u64) as usize],
            "author_id": g.maybe(people[0]), "at": g.time(), "body": g.kept(10_000, true), "check_in_id": about,
        });
        g.put("comment", r);
    }
    for person in people.clone() {
        for objective in objectives.clone() {
            if g.rng.chance(15) {
                let r =
                    json!({ "person_id": person, "objective_id": objective, "since": g.time() });
                g.put("follow", r);
            }
        }
    }
    let n = g.rng.below(6);
    for id in g.ids(n) {
        let r = json!({
            "id": id, "at": g.time(), "actor_id": g.maybe(people[0]),
            "action": g.pick(&["check_in.create", "objective.move", "period.close"]), "entity": "objective",
            "entity_id": g.rng.below(100), "before": g.maybe("{\"title\":\"old\"}"),
            "after": g.maybe_text(), "via": g.maybe("api token \"ci\""),
        });
        g.put("audit_event", r);
    }
    let end = json!({ "type": "end", "records": g.count });
    g.lines.push(end.to_string());
    Document { lines: g.lines }
}
