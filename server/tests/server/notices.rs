//! Every kind of mail Cairn sends, through the real executable to a real SMTP
//! server (tools/smtp), in English and Dutch, each exactly once; the one-click
//! unsubscribe; "forgot password" refusing to say who exists, and holding a flood.
//!
//! Two teams, each with a lead and a member, and a reader of each language in
//! every role, are written into a fresh database through Cairn's own storage on
//! Wednesday 4 November 2026. The executable then starts on Monday 30 November,
//! after the organisation's Monday 09:00 (Amsterdam) reminder and 08:00 digest:
//! nobody checked in for almost four weeks, past the grace of two reminders.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use app::clock::Clock;
use app::storage::Db;
use app::storage::objectives::editing::{Placement, save_objective};
use app::storage::org::{NewPerson, NewUnit, create_person, create_unit, set_membership};
use app::storage::periods::{NewPeriod, create_period};
use app::storage::{accounts, notices};
use cairn::draft::{ValidKeyResult, ValidObjective};
use cairn::grading::Commitment;
use cairn::ids::{PeriodId, PersonId, UnitId};
use cairn::key_result::{Direction, Measure};
use cairn::model::{Membership, ObjectiveState, Owner, Role, UnitKind};
use cairn::notify::Cadence;
use cairn::period::{PeriodKind, PeriodState, Span};
use cairn::values::{Email, Name, Title, Value, Weight};

use crate::support::smtp::{Received, Smtp};
use crate::support::{BIN, Server, no_redirects, scalar, site_root};

struct Team {
    unit: i64,
    objective: i64,
    period: i64,
}

/// The password every town person signs in with.
const PASSWORD: &str = "a long town password";

struct Town {
    people: BTreeMap<&'static str, (PersonId, &'static str)>,
    teams: Vec<Team>,
}

fn name(text: &str) -> Name {
    Name::parse(text).unwrap()
}

async fn objective(db: &Db, period: PeriodId, owner: Owner, title: &str) -> i64 {
    let valid = ValidObjective {
        title: Title::parse(title).unwrap(),
        description: None,
        commitment: Commitment::Committed,
        state: ObjectiveState::Active,
        weight: Weight::parse(1.0).unwrap(),
        key_results: vec![ValidKeyResult {
            id: None,
            title: Title::parse(&format!("{title}: result")).unwrap(),
            measure: Measure::metric(
                Value::parse(0.0).unwrap(),
                Value::parse(100.0).unwrap(),
                Direction::Increase,
                None,
            )
            .unwrap(),
            weight: Weight::parse(1.0).unwrap(),
            milestones: vec![],
            owner: None,
            due: None,
        }],
        initiatives: vec![],
    };
    let placement = Placement::New {
        period,
        owner,
        parent: None,
    };
    save_objective(db, None, placement, &valid)
        .await
        .unwrap()
        .objective
        .0
}

/// The town, written on Wednesday 4 November 2026 into `data`/cairn.db.
async fn town(data: &Path) -> Town {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 4).unwrap();
    let db = Db::open_sqlite_file(&data.join("cairn.db"))
        .await
        .unwrap()
        .with_clock(Clock::manual_on(day));
    db.migrate().await.unwrap();
    let unit = |parent: Option<UnitId>, text: &str, kind| NewUnit {
        parent,
        name: name(text),
        kind,
    };
    let org = create_unit(&db, None, unit(None, "Waterland", UnitKind::Organisation))
        .await
        .unwrap()
        .id;
    notices::cadence::set(&db, None, org, Some(&Cadence::standard()), None)
        .await
        .unwrap();
    let year = create_period(
        &db,
        None,
        NewPeriod {
            kind: PeriodKind::Year,
            name: name("2026"),
            span: Some(Span::year(2026).unwrap()),
            parent: None,
            state: PeriodState::Active,
        },
    )
    .await
    .unwrap();
    let quarter = create_period(
        &db,
        None,
        NewPeriod {
            kind: PeriodKind::Quarter,
            name: name("2026 Q4"),
            span: Some(Span::quarter(2026, 4).unwrap()),
            parent: Some(year.id),
            state: PeriodState::Active,
        },
    )
    .await
    .unwrap();
    let mut people = BTreeMap::new();
    let mut teams = Vec::new();
    // Noord: a Dutch lead and an English member; Zuid the other way round.
    for (team, lead, member) in [
        ("Noord", ("lea", "nl"), ("anna", "en")),
        ("Zuid", ("lee", "en"), ("bram", "nl")),
    ] {
        let unit = create_unit(&db, None, unit(Some(org), team, UnitKind::Team))
            .await
            .unwrap()
            .id;
        for ((handle, language), role) in [(lead, Role::Lead), (member, Role::Member)] {
            let person = create_person(
                &db,
                None,
                NewPerson {
                    name: name(&format!("{handle} {team}")),
                    email: Email::parse(&format!("{handle}@waterland.example")).unwrap(),
                },
            )
            .await
            .unwrap()
            .id;
            accounts::grant_account(&db, None, person, false, None)
                .await
                .unwrap();
            let password = cairn::access::Password::parse(PASSWORD).unwrap();
            let hash = app::auth::server::hash_password(&password).await.unwrap();
            accounts::set_password(&db, None, person, &hash, None)
                .await
                .unwrap();
            notices::set_language(&db, person, language).await.unwrap();
            set_membership(&db, None, Membership { unit, person, role }, None)
                .await
                .unwrap();
            people.insert(handle, (person, language));
            if role == Role::Member {
                objective(
                    &db,
                    quarter.id,
                    Owner::Person(person),
                    &format!("{handle}'s own"),
                )
                .await;
            }
        }
        teams.push(Team {
            unit: unit.0,
            objective: objective(&db, quarter.id, Owner::Unit(unit), &format!("{team} goal")).await,
            period: quarter.id.0,
        });
    }
    db.close().await;
    Town { people, teams }
}

/// The subject's first words that say which kind of mail it is, by language.
fn kind_of(mail: &Received) -> &'static str {
    let s = mail.subject.as_str();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| s.starts_with(p));
    if starts(&["Check-in due", "Tijd voor je check-in"]) {
        "reminder"
    } else if s.contains("without a check-in") || s.contains("zonder check-in") {
        "escalation"
    } else if starts(&["Your week in Cairn", "Jouw week in Cairn"]) {
        "digest"
    } else if s.contains("mentioned you") || s.contains("noemde je") {
        "mention"
    } else if s.contains("commented on") || s.contains("reageerde op") {
        "reply"
    } else if starts(&["Time to grade", "Tijd om te beoordelen"]) {
        "grading"
    } else if starts(&["You are invited", "Je bent uitgenodigd"]) {
        "invitation"
    } else if starts(&["Your sign-in link", "Je aanmeldlink"]) {
        "link"
    } else if starts(&["Sign in to Cairn and choose", "Meld je aan bij Cairn"]) {
        "reset"
    } else {
        panic!("a mail of no known kind: {s}")
    }
}

/// Whether a mail is written in Dutch (its greeting says so).
fn language(mail: &Received) -> &'static str {
    if mail.text.starts_with("Hallo ") {
        "nl"
    } else {
        assert!(mail.text.starts_with("Hello "), "{}", mail.text);
        "en"
    }
}

/// Waits until the mailbox holds `count` messages, then a moment more to see
/// that nothing else comes (a repeat would show).
fn settle(smtp: &Smtp, count: usize) -> Vec<Received> {
    smtp.wait_for(count);
    std::thread::sleep(std::time::Duration::from_secs(6));
    smtp.received()
}

fn serve(data: &Path, root: &Path, smtp: &Smtp) -> Server {
    let mut command = Command::new(BIN);
    command
        .args(["serve", "--bind", "127.0.0.1:0", "--today", "2026-11-30"])
        .arg("--site-root")
        .arg(root)
        .arg("--data-dir")
        .arg(data)
        .args(["--mail-retry-seconds", "1", "--mail-batch-minutes", "1"])
        .args(smtp.flags());
    Server::spawn(&mut command)
}

async fn post(server: &Server, cookie: &str, path: &str, form: &[(&str, &str)]) -> u16 {
    no_redirects()
        .post(format!("{}{path}", server.url))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn every_kind_of_mail_arrives_once_in_both_languages() {
    let smtp = Smtp::start();
    let data = tempfile::tempdir().unwrap();
    let town = town(data.path()).await;
    let (_site, root) = site_root();
    let server = serve(data.path(), &root, &smtp);
    let admin = server.session().await;

    // The Monday moments: four reminders, two escalations (each lead hears of
    // their member's own key result), four digests (each has a check-in to do).
    let monday = settle(&smtp, 10);
    // Comments: a mention for each member, a reply for each team's lead.
    for (team, member) in town.teams.iter().zip(["anna", "bram"]) {
        let body = format!("Hoe staat het, @{member}?");
        let path = format!("/objectives/{}/comments", team.objective);
        assert_eq!(post(&server, &admin, &path, &[("body", &body)]).await, 303);
    }
    // Grading: the quarter moves on; four owners hear of it.
    let version = scalar(
        &format!("sqlite://{}", data.path().join("cairn.db").display()),
        &format!(
            "SELECT version FROM periods WHERE id = {}",
            town.teams[0].period
        ),
    )
    .await;
    let moved = post(
        &server,
        &admin,
        "/api/advance_period",
        &[
            ("period", &town.teams[0].period.to_string()),
            ("version", &version.to_string()),
        ],
    )
    .await;
    assert_eq!(moved, 200);
    // Invitations in both languages, new links, "forgot password".
    for (person, language) in [("Nina Noord", "nl"), ("Noah Zuid", "en")] {
        let email = format!(
            "{}@waterland.example",
            person.split(' ').next().unwrap().to_lowercase()
        );
        let form = [("name", person), ("email", &email), ("language", language)];
        assert_eq!(post(&server, &admin, "/admin/people", &form).await, 303);
    }
    let db_url = format!("sqlite://{}", data.path().join("cairn.db").display());
    for handle in ["anna", "bram"] {
        let person = town.people[handle].0.0;
        let version = scalar(
            &db_url,
            &format!("SELECT version FROM people WHERE id = {person}"),
        )
        .await;
        let path = format!("/admin/people/{person}");
        let form = [("action", "link"), ("version", &version.to_string())];
        assert_eq!(post(&server, &admin, &path, &form).await, 303);
    }
    for handle in ["lea", "lee"] {
        let email = format!("{handle}@waterland.example");
        assert_eq!(
            post(&server, "", "/sign-in/forgot", &[("email", &email)]).await,
            303
        );
    }
    let all = settle(&smtp, 10 + 4 + 4 + 2 + 2 + 2);

    // Each person got each kind once, in their own language.
    let mut got: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for mail in &all {
        let to = mail.to.join(",");
        let handle = to.split('@').next().unwrap().to_string();
        let want = match town.people.get(handle.as_str()) {
            Some((_, language)) => *language,
            None if handle == "nina" => "nl",
            None => "en",
        };
        assert_eq!(language(mail), want, "{} to {to}", mail.subject);
        *got.entry((handle, kind_of(mail))).or_default() += 1;
    }
    let expected: Vec<(&str, &str)> = vec![
        ("anna", "digest"),
        ("anna", "grading"),
        ("anna", "link"),
        ("anna", "mention"),
        ("anna", "reminder"),
        ("bram", "digest"),
        ("bram", "grading"),
        ("bram", "link"),
        ("bram", "mention"),
        ("bram", "reminder"),
        ("lea", "digest"),
        ("lea", "escalation"),
        ("lea", "grading"),
        ("lea", "reminder"),
        ("lea", "reply"),
        ("lea", "reset"),
        ("lee", "digest"),
        ("lee", "escalation"),
        ("lee", "grading"),
        ("lee", "reminder"),
        ("lee", "reply"),
        ("lee", "reset"),
        ("nina", "invitation"),
        ("noah", "invitation"),
    ];
    let got_keys: Vec<(&str, &str)> = got.keys().map(|(h, k)| (h.as_str(), *k)).collect();
    assert_eq!(got_keys, expected);
    assert!(got.values().all(|n| *n == 1), "each exactly once: {got:?}");
    assert_eq!(monday.len(), 10);

    // What the mail says: why it came, where it leads, how to stop it.
    let reminder = all
        .iter()
        .find(|m| kind_of(m) == "reminder" && m.to[0].starts_with("anna"))
        .unwrap();
    assert!(
        reminder
            .text
            .contains("You get this because you check in on these key results")
    );
    assert!(reminder.text.contains("anna's own: result"));
    assert!(
        reminder.html.contains("anna&#39;s own: result"),
        "{}",
        reminder.html
    );
    let stop = reminder.headers.get("List-Unsubscribe").unwrap();
    assert!(
        stop.starts_with("<http://127.0.0.1:") && stop.contains("/unsubscribe/"),
        "{stop}"
    );
    assert_eq!(
        reminder
            .headers
            .get("List-Unsubscribe-Post")
            .map(String::as_str),
        Some("List-Unsubscribe=One-Click")
    );
    let escalation = all
        .iter()
        .find(|m| kind_of(m) == "escalation" && m.to[0].starts_with("lea"))
        .unwrap();
    assert!(
        escalation.text.contains("anna's own: result")
            && escalation.text.contains("3 herinneringen")
    );
    assert!(
        !escalation.text.contains("Noord goal"),
        "the lead's own key result is not escalated to her"
    );
    let reset = all.iter().find(|m| kind_of(m) == "reset").unwrap();
    assert!(
        !reset.headers.contains_key("List-Unsubscribe"),
        "asked for, not subscribed"
    );
    assert!(reset.text.contains("/sign-in/link/"));

    // The one-click unsubscribe works without signing in, for that kind only.
    let url = stop.trim_matches(['<', '>']);
    let done = reqwest::Client::new()
        .post(url)
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    let anna = town.people["anna"].0;
    let choices: Vec<(String, String)> = {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&db_url).await.unwrap();
        sqlx::query_as(&format!(
            "SELECT kind, delivery FROM notice_preferences WHERE person_id = {}",
            anna.0
        ))
        .fetch_all(&mut conn)
        .await
        .unwrap()
    };
    assert_eq!(choices, [("reminder".to_string(), "in_app".to_string())]);
    // A link with its signature changed stops nothing.
    let last = if url.ends_with('0') { "1" } else { "0" };
    let forged = format!("{}{last}", &url[..url.len() - 1]);
    let refused = reqwest::Client::new()
        .post(&forged)
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
}

#[tokio::test]
async fn forgot_password_says_nothing_of_who_exists_and_holds_a_flood() {
    let smtp = Smtp::start();
    let data = tempfile::tempdir().unwrap();
    town(data.path()).await;
    let (_site, root) = site_root();
    let server = serve(data.path(), &root, &smtp);
    let before = settle(&smtp, 10).len();
    let ask = |email: &'static str| {
        let server_url = server.url.clone();
        async move {
            no_redirects()
                .post(format!("{server_url}/sign-in/forgot"))
                .form(&[("email", email)])
                .send()
                .await
                .unwrap()
                .headers()
                .get("location")
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        }
    };
    // Someone and no one get the same answer.
    assert_eq!(ask("lea@waterland.example").await, "/sign-in/forgot?sent=1");
    assert_eq!(
        ask("nobody@waterland.example").await,
        "/sign-in/forgot?sent=1"
    );
    // Three links an hour reach one address; more asking sends nothing more.
    for _ in 0..4 {
        assert_eq!(ask("LEA@waterland.example").await, "/sign-in/forgot?sent=1");
    }
    // Ten requests an hour from one place; the eleventh waits.
    for _ in 0..4 {
        assert_eq!(ask("lee@waterland.example").await, "/sign-in/forgot?sent=1");
    }
    assert_eq!(
        ask("lee@waterland.example").await,
        "/sign-in/forgot?wait=60"
    );
    let after = settle(&smtp, before + 6).len();
    assert_eq!(after - before, 6, "three for Lea, three for Lee");
    // The link signs Lea in, once.
    let mail = smtp
        .received()
        .into_iter()
        .rev()
        .find(|m| m.to[0].starts_with("lea"))
        .unwrap();
    let token = mail.text.split("/sign-in/link/").nth(1).unwrap();
    let token: String = token.chars().take_while(char::is_ascii_hexdigit).collect();
    let used = no_redirects()
        .post(format!("{}/sign-in/link", server.url))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(used.status(), 303);
    assert!(crate::support::session_cookie(&used).starts_with("cairn_session="));
}

/// Rows of the database an answer must leave as they were.
async fn rows(db: &str, sql: &str) -> Vec<String> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(db).await.unwrap();
    sqlx::query_scalar(sql).fetch_all(&mut conn).await.unwrap()
}

#[tokio::test]
async fn leads_set_a_units_rhythm_and_every_bad_form_stores_nothing() {
    let smtp = Smtp::start();
    let data = tempfile::tempdir().unwrap();
    let town = town(data.path()).await;
    let db = format!("sqlite://{}", data.path().join("cairn.db").display());
    let (_site, root) = site_root();
    let server = serve(data.path(), &root, &smtp);
    let lea = crate::support::sign_in(&server.url, "lea@waterland.example", PASSWORD).await;
    let anna = crate::support::sign_in(&server.url, "anna@waterland.example", PASSWORD).await;
    let noord = town.teams[0].unit;
    let rhythm = format!("/units/{noord}/rhythm");
    let own = format!(
        "SELECT time_zone || ' ' || reminder_day || ' ' || reminder_minute || ' ' || grace \
         FROM unit_cadences WHERE unit_id = {noord}"
    );
    let form = |time: &'static str, zone: &'static str, version: &'static str| {
        vec![
            ("action", "save"),
            ("enabled", "1"),
            ("time_zone", zone),
            ("reminder_day", "4"),
            ("reminder_time", time),
            ("digest_day", "0"),
            ("digest_time", "08:00"),
            ("grace", "3"),
            ("version", version),
        ]
    };
    // A member may not; nobody signed in is sent to sign in first.
    assert_eq!(
        post(
            &server,
            &anna,
            &rhythm,
            &form("17:00", "Europe/Amsterdam", "")
        )
        .await,
        403
    );
    assert_eq!(
        post(&server, "", &rhythm, &form("17:00", "Europe/Amsterdam", "")).await,
        303
    );
    assert!(rows(&db, &own).await.is_empty());
    // The lead: a time that is none, a zone that is none, a grace out of range.
    for bad in [
        form("25:00", "Europe/Amsterdam", ""),
        form("17:00", "Mars/Olympus", ""),
        form("17:00\u{7}", "Europe/Amsterdam", ""),
    ] {
        assert_eq!(post(&server, &lea, &rhythm, &bad).await, 303);
        assert!(rows(&db, &own).await.is_empty(), "{bad:?}");
    }
    let mut zero_grace = form("17:00", "Europe/Amsterdam", "");
    zero_grace[7] = ("grace", "0");
    assert_eq!(post(&server, &lea, &rhythm, &zero_grace).await, 303);
    let page = crate::support::page_with(&format!("{}/units/{noord}", server.url), &lea).await;
    let section = page.split("id=\"rhythm\"").nth(1).unwrap_or(&page);
    assert!(
        section.contains("This number is out of range."),
        "the refusal is said beside the form: {section}"
    );
    assert!(
        section.contains("<option value=\"Europe/Amsterdam\"></option>"),
        "a lead's form lists the time zones: {section}"
    );
    assert!(rows(&db, &own).await.is_empty());
    // Then a good one, on Fridays at 17:00; the page says so.
    assert_eq!(
        post(
            &server,
            &lea,
            &rhythm,
            &form("17:00", "Europe/Amsterdam", "")
        )
        .await,
        303
    );
    assert_eq!(rows(&db, &own).await, ["Europe/Amsterdam 4 1020 3"]);
    let page = crate::support::page_with(&format!("{}/units/{noord}", server.url), &anna).await;
    let rhythm_text = page.split("id=\"rhythm\"").nth(1).unwrap_or_default();
    assert!(
        rhythm_text.contains("Friday") && rhythm_text.contains("17:00"),
        "everyone reads the rhythm: {rhythm_text}"
    );
    // What the page keeps between visits is the same for everyone; whether the
    // form is offered is the reader's own.
    assert!(
        !rhythm_text.contains("rhythm-form")
            && !rhythm_text.contains("Europe/Amsterdam\"></option>"),
        "a member is offered no form: {rhythm_text}"
    );
    // A form made before that change is a conflict and changes nothing.
    assert_eq!(
        post(
            &server,
            &lea,
            &rhythm,
            &form("09:30", "Europe/Amsterdam", "")
        )
        .await,
        303
    );
    assert_eq!(rows(&db, &own).await, ["Europe/Amsterdam 4 1020 3"]);

    // Following, the inbox and the settings refuse what is not theirs to take.
    let follow = format!("/objectives/{}/follow", town.teams[0].objective);
    assert_eq!(
        post(&server, &anna, &follow, &[("follow", "maybe")]).await,
        400
    );
    assert_eq!(post(&server, &anna, &follow, &[("follow", "1")]).await, 303);
    assert_eq!(
        post(
            &server,
            &anna,
            "/objectives/999999/follow",
            &[("follow", "1")]
        )
        .await,
        404
    );
    let anna_id = town.people["anna"].0.0;
    let follows =
        format!("SELECT CAST(objective_id AS TEXT) FROM follows WHERE person_id = {anna_id}");
    assert_eq!(
        rows(&db, &follows).await,
        [town.teams[0].objective.to_string()]
    );
    assert_eq!(
        post(&server, &anna, "/inbox/read", &[("id", "abc")]).await,
        400
    );
    assert_eq!(
        post(&server, &anna, "/inbox/read", &[("id", "999999")]).await,
        404
    );
    let choices = format!(
        "SELECT kind || '=' || delivery FROM notice_preferences WHERE person_id = {anna_id}"
    );
    let settings = [("digest", "off"), ("mention", "sometimes")];
    assert_eq!(
        post(&server, &anna, "/account/notices", &settings).await,
        303
    );
    assert!(
        rows(&db, &choices).await.is_empty(),
        "one bad choice stores nothing"
    );
    let settings = [("digest", "off"), ("language", "fr")];
    assert_eq!(
        post(&server, &anna, "/account/notices", &settings).await,
        303
    );
    assert!(rows(&db, &choices).await.is_empty());
    let settings = [("digest", "off"), ("mention", "in_app"), ("language", "nl")];
    assert_eq!(
        post(&server, &anna, "/account/notices", &settings).await,
        303
    );
    let mut stored = rows(&db, &choices).await;
    stored.sort();
    assert_eq!(stored, ["digest=off", "mention=in_app"]);
    let language = format!("SELECT language FROM people WHERE id = {anna_id}");
    assert_eq!(rows(&db, &language).await, ["nl"]);
}
