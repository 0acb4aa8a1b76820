//! The weekly rhythm, told against both databases with a clock the test moves:
//! reminders only for what waits, escalation after the grace, digests only when
//! there is something to tell, mentions and replies batched, grading announced,
//! preferences kept, and each moment acted on once even with two nodes at it.

use app::clock::Clock;
use app::notices::schedule::{Report, Scheduler};
use app::notices::{Notice, Postman};
use app::storage::Db;
use app::storage::comments::add_comment;
use app::storage::key_results::check_ins::record_check_in;
use app::storage::notices::{self as store, Which, cadence};
use app::storage::org::set_membership;
use app::storage::periods::set_state_with;
use cairn::ids::PersonId;
use cairn::model::{Membership, Owner, Role};
use cairn::notify::{Cadence, Delivery, NoticeKind};
use cairn::period::PeriodState;
use cairn::values::LongText;

use crate::support::*;
use crate::{check_in, new_kr};

crate::on_both!(
    reminders_skip_the_updated_and_escalate_once_the_grace_is_used_up,
    preferences_decide_inbox_and_mail_and_rhythms_inherit_down_the_tree,
    a_digest_tells_the_week_and_nothing_when_nothing_happened,
    mentions_and_replies_reach_the_inbox_and_go_out_in_batches,
    grading_tells_each_owner_once,
    two_nodes_act_on_each_moment_once,
);

/// `2026-04-dd` at `hh:mm` UTC, in ms.
fn at(day: u32, hour: u32, minute: u32) -> i64 {
    on(4, day, hour, minute)
}

/// `2026-mm-dd` at `hh:mm` UTC, in ms.
fn on(month: u32, day: u32, hour: u32, minute: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(2026, month, day)
        .unwrap()
        .and_hms_opt(hour, minute, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

const MINUTE: i64 = 60_000;

/// The test's world on a clock that stands still on Wednesday 1 April 2026 (in
/// the second quarter): the organisation reminds on Mondays 09:00 and sends its
/// digest on Mondays 08:00, Amsterdam time (07:00 and 06:00 UTC in April).
/// Bram leads the team, Anna is a member.
struct Rhythm {
    db: Db,
    clock: Clock,
    w: World,
    scheduler: Scheduler,
}

async fn rhythm(db: Db, mail_on: bool) -> Rhythm {
    let clock = Clock::manual(at(1, 12, 0));
    let db = db.with_clock(clock.clone());
    let w = world(&db).await;
    cadence::set(&db, None, w.org, Some(&Cadence::standard()), None)
        .await
        .unwrap();
    for (person, role) in [(w.anna, Role::Member), (w.bram, Role::Lead)] {
        let membership = Membership {
            unit: w.team,
            person,
            role,
        };
        set_membership(&db, None, membership, None).await.unwrap();
    }
    let scheduler = Scheduler {
        db: db.clone(),
        postman: Postman::new("https://okr.example", "key", mail_on),
        batch_gap_ms: 15 * MINUTE,
        every: std::time::Duration::from_secs(60),
    };
    Rhythm {
        db,
        clock,
        w,
        scheduler,
    }
}

impl Rhythm {
    async fn tick_at(&self, when: i64) -> Report {
        self.clock.set(when);
        self.scheduler.tick().await.unwrap()
    }

    /// Everything in a person's inbox, newest first.
    async fn inbox(&self, person: PersonId) -> Vec<Notice> {
        store::inbox(&self.db, person, None, 100)
            .await
            .unwrap()
            .into_iter()
            .map(|item| item.notice)
            .collect()
    }

    /// A person's notices of one kind, newest first.
    async fn of_kind(&self, person: PersonId, kind: NoticeKind) -> Vec<Notice> {
        self.inbox(person)
            .await
            .into_iter()
            .filter(|n| n.kind() == kind)
            .collect()
    }

    /// The outbox's recipients of one kind of message, oldest first.
    async fn mailed(&self, kind: &str) -> Vec<String> {
        self.outbox()
            .await
            .into_iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, to)| to)
            .collect()
    }

    /// The outbox's messages: (kind, recipient), oldest first.
    async fn outbox(&self) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = app::storage::outbox::recent(&self.db, 1000)
            .await
            .unwrap()
            .into_iter()
            .map(|m| (m.kind, m.recipient))
            .collect();
        all.reverse();
        all
    }
}

/// The key results a reminder names, by title.
fn reminded(notice: &Notice) -> Vec<String> {
    match notice {
        Notice::Reminder { key_results }
        | Notice::Escalation {
            overdue: key_results,
            ..
        } => key_results
            .iter()
            .map(|k| k.key_result.title.clone())
            .collect(),
        other => panic!("not a reminder: {other:?}"),
    }
}

async fn reminders_skip_the_updated_and_escalate_once_the_grace_is_used_up(db: Db) {
    let r = rhythm(db, true).await;
    let (db, w) = (&r.db, &r.w);
    let team_goal = make_objective(db, w.quarter, Owner::Unit(w.team), "Open data").await;
    let first = create_key_result(db, None, new_kr(team_goal.id, "Datasets online", 1.0))
        .await
        .unwrap();
    create_key_result(db, None, new_kr(team_goal.id, "API callers", 1.0))
        .await
        .unwrap();
    let own = make_objective(db, w.quarter, Owner::Person(w.anna), "Leren").await;
    create_key_result(db, None, new_kr(own.id, "Cursussen", 1.0))
        .await
        .unwrap();
    // A planning period's key results are never reminded of.
    let later = app::storage::periods::create_period(
        db,
        None,
        app::storage::periods::NewPeriod {
            kind: cairn::period::PeriodKind::Quarter,
            name: cairn::values::Name::parse("2026 Q3").unwrap(),
            span: Some(cairn::period::Span::quarter(2026, 3).unwrap()),
            parent: Some(w.year),
            state: PeriodState::Planning,
        },
    )
    .await
    .unwrap();
    let draft = make_objective(db, later.id, Owner::Person(w.anna), "Volgend kwartaal").await;
    create_key_result(db, None, new_kr(draft.id, "Nog niet", 1.0))
        .await
        .unwrap();

    // Monday 6 April: everything is less than a week old.
    let first_monday = r.tick_at(at(6, 7, 5)).await;
    assert_eq!((first_monday.reminders, first_monday.escalations), (0, 0));
    assert!(
        first_monday.runs > 0,
        "the moment was acted on: {first_monday:?}"
    );
    assert!(r.of_kind(w.anna, NoticeKind::Reminder).await.is_empty());

    // Monday 13 April, 09:05 in Amsterdam: a week without check-ins. The team's
    // key results are its lead's to check in on, Anna's her own.
    let second = r.tick_at(at(13, 7, 5)).await;
    assert_eq!((second.reminders, second.escalations), (2, 0), "{second:?}");
    let bram = r.of_kind(w.bram, NoticeKind::Reminder).await;
    assert_eq!(bram.len(), 1);
    assert_eq!(reminded(&bram[0]), ["Datasets online", "API callers"]);
    let anna = r.of_kind(w.anna, NoticeKind::Reminder).await;
    assert_eq!(reminded(&anna[0]), ["Cursussen"]);
    // The same moment again (another tick, a restart): nothing more.
    assert_eq!(r.tick_at(at(13, 7, 30)).await.reminders, 0);
    assert_eq!(r.of_kind(w.bram, NoticeKind::Reminder).await.len(), 1);

    // Bram checks in on one on Wednesday; the next Monday skips it.
    r.clock.set(at(15, 10, 0));
    record_check_in(db, check_in(first.id, 10.0, 7))
        .await
        .unwrap();
    let third = r.tick_at(at(20, 7, 5)).await;
    assert_eq!((third.reminders, third.escalations), (2, 0), "{third:?}");
    let bram = r.of_kind(w.bram, NoticeKind::Reminder).await;
    assert_eq!(reminded(&bram[0]), ["API callers"]);

    // The third reminder in a row: the grace (two) is used up. Bram hears of
    // Anna's, not of his own: a lead is not told of what they let wait.
    let fourth = r.tick_at(at(27, 7, 5)).await;
    assert_eq!((fourth.reminders, fourth.escalations), (2, 1), "{fourth:?}");
    let bram = r.of_kind(w.bram, NoticeKind::Reminder).await;
    assert_eq!(reminded(&bram[0]), ["Datasets online", "API callers"]);
    let escalation = r
        .of_kind(w.bram, NoticeKind::Escalation)
        .await
        .pop()
        .expect("an escalation for the lead");
    assert_eq!(reminded(&escalation), ["Cursussen"]);
    if let Notice::Escalation { overdue, grace, .. } = &escalation {
        assert_eq!((overdue[0].reminders, *grace), (3, 2));
        assert_eq!(overdue[0].person, "Anna de Vries");
    }
    // Every notice went by mail too (mail is on, nobody chose otherwise); the
    // draft in planning was never in one.
    assert_eq!(r.mailed("reminder").await.len(), 6);
    assert_eq!(r.mailed("escalation").await, ["bram@example.nl"]);
    for notice in r.of_kind(w.anna, NoticeKind::Reminder).await {
        assert!(!reminded(&notice).contains(&"Nog niet".to_string()));
    }

    // A period in grading takes no reminders.
    let quarter = app::storage::periods::period(db, w.quarter).await.unwrap();
    app::storage::periods::set_state(db, None, w.quarter, quarter.version, PeriodState::Grading)
        .await
        .unwrap();
    let in_grading = r.tick_at(on(5, 4, 7, 5)).await;
    assert_eq!(in_grading.reminders, 0, "{in_grading:?}");
}

async fn preferences_decide_inbox_and_mail_and_rhythms_inherit_down_the_tree(db: Db) {
    let r = rhythm(db, true).await;
    let (db, w) = (&r.db, &r.w);
    let own = make_objective(db, w.quarter, Owner::Person(w.anna), "Leren").await;
    create_key_result(db, None, new_kr(own.id, "Cursussen", 1.0))
        .await
        .unwrap();
    let bram_goal = make_objective(db, w.quarter, Owner::Person(w.bram), "Lezen").await;
    create_key_result(db, None, new_kr(bram_goal.id, "Boeken", 1.0))
        .await
        .unwrap();
    // Anna wants reminders in the app only; Bram none at all.
    assert!(
        store::set_preference(
            db,
            Some(w.anna),
            w.anna,
            NoticeKind::Reminder,
            Delivery::InApp
        )
        .await
        .unwrap()
    );
    store::set_preference(
        db,
        Some(w.bram),
        w.bram,
        NoticeKind::Reminder,
        Delivery::Off,
    )
    .await
    .unwrap();
    let report = r.tick_at(at(13, 7, 5)).await;
    assert_eq!(report.reminders, 1, "{report:?}");
    assert_eq!(r.of_kind(w.anna, NoticeKind::Reminder).await.len(), 1);
    assert!(r.of_kind(w.bram, NoticeKind::Reminder).await.is_empty());
    assert!(
        r.mailed("reminder").await.is_empty(),
        "nobody wants them by mail"
    );
    let choices = store::preferences(db, w.anna).await.unwrap();
    assert!(choices.contains(&(NoticeKind::Reminder, Delivery::InApp)));
    assert!(choices.contains(&(NoticeKind::Digest, Delivery::Email)));

    // The team's own rhythm (Fridays, 17:00 in Kolkata) wins over the
    // organisation's; then the team turns reminders off; then follows again.
    let mut friday = Cadence::standard();
    friday.time_zone = "Asia/Kolkata".into();
    friday.reminder = cairn::notify::Weekly::new(4, 17 * 60).unwrap();
    cadence::set(db, Some(w.bram), w.team, Some(&friday), None)
        .await
        .unwrap();
    // Monday 20 April at the organisation's moment: not the team's any more.
    store::set_preference(
        db,
        Some(w.anna),
        w.anna,
        NoticeKind::Reminder,
        Delivery::Email,
    )
    .await
    .unwrap();
    assert_eq!(r.tick_at(at(20, 7, 5)).await.reminders, 0);
    // Friday 24 April, 17:00 in Kolkata is 11:30 UTC.
    assert_eq!(r.tick_at(at(24, 11, 29)).await.reminders, 0, "not yet");
    let on_friday = r.tick_at(at(24, 11, 31)).await;
    assert_eq!(
        (on_friday.reminders, on_friday.escalations),
        (1, 1),
        "{on_friday:?}"
    );
    assert_eq!(r.mailed("reminder").await, ["anna@example.nl"]);
    let stale = cadence::own(db, w.team).await.unwrap().unwrap();
    let mut off = friday.clone();
    off.enabled = false;
    let conflict = cadence::set(db, None, w.team, Some(&off), Some(stale.version + 5)).await;
    assert!(matches!(
        conflict,
        Err(app::storage::StorageError::Conflict { .. })
    ));
    cadence::set(db, None, w.team, Some(&off), Some(stale.version))
        .await
        .unwrap();
    assert_eq!(r.tick_at(on(5, 1, 11, 31)).await.reminders, 0, "turned off");
    cadence::set(db, None, w.team, None, Some(stale.version + 1))
        .await
        .unwrap();
    assert!(cadence::own(db, w.team).await.unwrap().is_none());
}

async fn a_digest_tells_the_week_and_nothing_when_nothing_happened(db: Db) {
    let r = rhythm(db, true).await;
    let (db, w) = (&r.db, &r.w);
    let team_goal = make_objective(db, w.quarter, Owner::Unit(w.team), "Open data").await;
    let kr = create_key_result(db, None, new_kr(team_goal.id, "Datasets online", 1.0))
        .await
        .unwrap();
    let elsewhere = make_objective(db, w.quarter, Owner::Unit(w.org), "Elders").await;
    // The first digest (Monday 6 April, 08:00 Amsterdam) sees the week the
    // objectives were made in: each member hears of the team's objective.
    let first = r.tick_at(at(6, 6, 5)).await;
    assert_eq!(first.digests, 2, "{first:?}");
    let Notice::Digest(digest) = &r.inbox(w.anna).await[0] else {
        panic!("a digest");
    };
    assert_eq!(digest.week_of, "2026-03-30");
    assert!(
        digest.at_risk.is_empty() && digest.to_do.is_empty(),
        "{digest:?}"
    );
    let titles: Vec<&str> = digest
        .changes
        .iter()
        .map(|c| c.objective.title.as_str())
        .collect();
    assert_eq!(titles, ["Open data"], "not the organisation's objective");
    // A quiet week: nothing changed and nothing is at risk. Bram, who checks in
    // on the team's key result, hears that it is due; Anna has nothing to hear.
    assert_eq!(r.tick_at(at(13, 6, 5)).await.digests, 1);
    assert_eq!(r.of_kind(w.anna, NoticeKind::Digest).await.len(), 1);
    let Notice::Digest(bram) = &r.inbox(w.bram).await[0] else {
        panic!("a digest");
    };
    assert!(bram.changes.is_empty() && bram.to_do.len() == 1, "{bram:?}");
    // Anna follows the organisation's objective; a check-in with low confidence
    // and a comment there make the next week worth telling.
    store::set_follow(db, w.anna, elsewhere.id.0, true)
        .await
        .unwrap();
    r.clock.set(at(15, 9, 0));
    record_check_in(db, check_in(kr.id, 5.0, 3)).await.unwrap();
    let body = LongText::parse("Goed bezig").unwrap();
    add_comment(db, &store::NoMail, w.bram, elsewhere.id, None, &body)
        .await
        .unwrap();
    let third = r.tick_at(at(20, 6, 5)).await;
    assert_eq!(third.digests, 2, "{third:?}");
    let Notice::Digest(digest) = &r.inbox(w.anna).await[0] else {
        panic!("a digest");
    };
    let change = |title: &str| {
        digest
            .changes
            .iter()
            .find(|c| c.objective.title == title)
            .unwrap_or_else(|| panic!("{title} in {digest:?}"))
    };
    assert_eq!(change("Open data").check_ins, 1);
    assert_eq!(change("Elders").comments, 1, "followed");
    assert_eq!(digest.at_risk.len(), 1, "confidence 3 is off track");
    assert_eq!(digest.at_risk[0].status, cairn::status::Status::OffTrack);
    // Digests off: Anna gets none.
    store::set_preference(db, Some(w.anna), w.anna, NoticeKind::Digest, Delivery::Off)
        .await
        .unwrap();
    r.clock.set(at(22, 9, 0));
    record_check_in(db, check_in(kr.id, 6.0, 8)).await.unwrap();
    let fourth = r.tick_at(at(27, 6, 5)).await;
    assert_eq!(fourth.digests, 1, "Bram only: {fourth:?}");
    assert_eq!(r.mailed("digest").await.len(), 6);
}

async fn mentions_and_replies_reach_the_inbox_and_go_out_in_batches(db: Db) {
    let r = rhythm(db, true).await;
    let (db, w) = (&r.db, &r.w);
    let postman = &r.scheduler.postman;
    let goal = make_objective(db, w.quarter, Owner::Unit(w.team), "Open data").await;
    let own = make_objective(db, w.quarter, Owner::Person(w.anna), "Leren").await;
    let say = |text: &str| LongText::parse(text).unwrap();
    // Anna mentions Bram on the team's objective: he leads the team, so he owns
    // it, but a mention wins; Anna herself is not told of her own comment.
    add_comment(db, postman, w.anna, goal.id, None, &say("Kijk even @bram."))
        .await
        .unwrap();
    let bram = r.inbox(w.bram).await;
    assert_eq!(bram.len(), 1);
    assert!(matches!(&bram[0], Notice::Mention(note) if note.author == "Anna de Vries"));
    assert!(r.inbox(w.anna).await.is_empty());
    assert_eq!(store::unread(db, w.bram).await.unwrap(), 1);
    // Bram answers on Anna's own objective: a reply for its owner.
    add_comment(db, postman, w.bram, own.id, None, &say("Mooi plan"))
        .await
        .unwrap();
    assert!(matches!(&r.inbox(w.anna).await[0], Notice::Reply(_)));

    // The first look mails each of them one message.
    let first = r.tick_at(at(1, 12, 1)).await;
    assert_eq!(first.batches, 2, "{first:?}");
    // More comments right after wait for the gap...
    add_comment(db, postman, w.anna, goal.id, None, &say("@bram nog één"))
        .await
        .unwrap();
    add_comment(db, postman, w.anna, goal.id, None, &say("@bram en nog één"))
        .await
        .unwrap();
    assert_eq!(r.tick_at(at(1, 12, 10)).await.batches, 0);
    // ...and then go in one mail.
    assert_eq!(r.tick_at(at(1, 12, 17)).await.batches, 1);
    let mail = r.outbox().await;
    let to_bram = mail
        .iter()
        .filter(|(_, to)| to == "bram@example.nl")
        .count();
    assert_eq!((mail.len(), to_bram), (3, 2), "{mail:?}");
    let last = &app::storage::outbox::recent(db, 1).await.unwrap()[0];
    assert_eq!(last.kind, "comments");

    // Mark read: one, then all; someone else's notice is not found.
    let items = store::inbox(db, w.bram, None, 10).await.unwrap();
    assert_eq!(
        store::mark_read(db, w.bram, Which::One(items[0].id))
            .await
            .unwrap(),
        2
    );
    let theirs = store::inbox(db, w.anna, None, 1).await.unwrap()[0].id;
    assert!(
        store::mark_read(db, w.bram, Which::One(theirs))
            .await
            .is_err()
    );
    assert_eq!(store::mark_read(db, w.bram, Which::All).await.unwrap(), 0);
    assert_eq!(store::unread(db, w.anna).await.unwrap(), 1);
    // A comment follows the objective for its author.
    assert!(store::follows(db, w.anna, goal.id.0).await.unwrap());
    assert!(!store::follows(db, w.bram, goal.id.0).await.unwrap());
}

async fn grading_tells_each_owner_once(db: Db) {
    let r = rhythm(db, true).await;
    let (db, w) = (&r.db, &r.w);
    make_objective(db, w.quarter, Owner::Unit(w.team), "Open data").await;
    make_objective(db, w.quarter, Owner::Unit(w.team), "Snelle vergunningen").await;
    make_objective(db, w.quarter, Owner::Person(w.anna), "Leren").await;
    let quarter = app::storage::periods::period(db, w.quarter).await.unwrap();
    let postman = &r.scheduler.postman;
    set_state_with(
        db,
        postman,
        None,
        w.quarter,
        quarter.version,
        PeriodState::Grading,
    )
    .await
    .unwrap();
    let objectives = |notice: &Notice| match notice {
        Notice::Grading {
            objectives,
            period_name,
            ..
        } => {
            assert_eq!(period_name, "2026 Q2");
            objectives
                .iter()
                .map(|o| o.title.clone())
                .collect::<Vec<_>>()
        }
        other => panic!("not grading: {other:?}"),
    };
    let bram = r.inbox(w.bram).await;
    assert_eq!(bram.len(), 1, "one notice for both of the team's");
    assert_eq!(objectives(&bram[0]), ["Open data", "Snelle vergunningen"]);
    assert_eq!(objectives(&r.inbox(w.anna).await[0]), ["Leren"]);
    assert_eq!(r.mailed("grading").await.len(), 2);
}

async fn two_nodes_act_on_each_moment_once(db: Db) {
    let r = rhythm(db, true).await;
    let (db, w) = (&r.db, &r.w);
    for (owner, title) in [
        (Owner::Person(w.anna), "Leren"),
        (Owner::Person(w.bram), "Lezen"),
        (Owner::Unit(w.team), "Open data"),
    ] {
        let goal = make_objective(db, w.quarter, owner, title).await;
        create_key_result(db, None, new_kr(goal.id, title, 1.0))
            .await
            .unwrap();
    }
    r.clock.set(at(13, 7, 5));
    let other = Scheduler {
        db: db.clone(),
        postman: Postman::new("https://okr.example", "key", true),
        batch_gap_ms: 15 * MINUTE,
        every: std::time::Duration::from_secs(60),
    };
    let (one, two) = tokio::join!(r.scheduler.tick(), other.tick());
    let (one, two) = (one.unwrap(), two.unwrap());
    assert_eq!(one.reminders + two.reminders, 2, "{one:?} {two:?}");
    assert_eq!(one.digests + two.digests, 2, "{one:?} {two:?}");
    assert_eq!(r.outbox().await.len(), 4);
    let runs = db.count_rows("schedule_runs").await.unwrap();
    // Reminder and digest moments of both units, once each.
    assert_eq!(runs, 4);
    // Open pages hear of it in one event per run that told anyone (the team's
    // two), each with the unread count of everyone it told.
    let events = app::storage::events::after(db, 0, 10_000).await.unwrap();
    let told: Vec<Vec<i64>> = events
        .iter()
        .filter(|e| e.kind == "notices")
        .map(|e| match serde_json::from_str(&e.payload).unwrap() {
            app::live::LiveChange::Notices { unread } => {
                unread.into_iter().map(|(person, _)| person).collect()
            }
            other => panic!("{other:?}"),
        })
        .collect();
    let mut both = vec![w.anna.0, w.bram.0];
    both.sort();
    assert_eq!(told, vec![both.clone(), both]);
}
