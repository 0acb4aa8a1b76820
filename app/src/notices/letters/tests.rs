//! The letters as people receive them.

use super::*;
use crate::notices::{DueKeyResult, Titled};
use crate::storage::notices::Addressee;
use cairn::ids::PersonId;

fn anna(language: &str) -> Addressee {
    Addressee {
        person: PersonId(7),
        name: "Anna <de Vries>".into(),
        email: "anna@waterland.example".into(),
        language: Some(language.into()),
    }
}

fn mail(outgoing: Option<Outgoing>) -> Mail {
    serde_json::from_str(&outgoing.unwrap().payload).unwrap()
}

#[test]
fn a_reminder_says_why_links_back_and_can_be_stopped() {
    let postman = Postman::new("https://okr.example.com/", "k", true);
    let notice = Notice::Reminder {
        key_results: vec![DueKeyResult {
            key_result: Titled {
                id: 3,
                title: "NPS 40 & up".into(),
            },
            objective: Titled {
                id: 2,
                title: "Klanten blij".into(),
            },
            person: "Anna".into(),
            reminders: 1,
            quiet_days: Some(9),
        }],
    };
    let nl = mail(postman.notice(&anna("nl"), &notice));
    assert_eq!(nl.subject, "Tijd voor je check-in: 1 kernresultaten");
    assert!(nl.text.contains("Hallo Anna <de Vries>,"), "{}", nl.text);
    assert!(nl.text.contains("al 9 dagen geen check-in"), "{}", nl.text);
    assert!(
        nl.text
            .contains("https://okr.example.com/objectives/2#kr-3")
    );
    let html = nl.html.unwrap();
    assert!(html.contains("Anna &lt;de Vries&gt;") && html.contains("NPS 40 &amp; up"));
    let stop = nl.unsubscribe.unwrap();
    assert!(stop.starts_with("https://okr.example.com/unsubscribe/7/reminder/"));
    let signature = stop.rsplit('/').next().unwrap();
    assert!(postman.verify(7, NoticeKind::Reminder, signature));
    assert!(!postman.verify(8, NoticeKind::Reminder, signature));
    assert!(!postman.verify(7, NoticeKind::Digest, signature));
    assert!(!Postman::new("x", "other key", true).verify(7, NoticeKind::Reminder, signature));
    let en = mail(postman.notice(&anna("en"), &notice));
    assert!(
        en.text.contains("no check-in for 9 days") && en.text.contains("Stop check-in reminders")
    );
    assert!(
        Postman::new("x", "k", false)
            .notice(&anna("en"), &notice)
            .is_none()
    );
}

#[test]
fn sign_in_links_carry_no_unsubscribe() {
    let postman = Postman::new("http://127.0.0.1:3000", "k", true);
    let reset = mail(postman.sign_in_link(&anna("en"), LinkMail::Reset, "abc", 2, "", "Waterland"));
    assert!(
        reset
            .text
            .contains("http://127.0.0.1:3000/sign-in/link/abc")
    );
    assert!(reset.text.contains("within 2 hours") && reset.unsubscribe.is_none());
}

#[test]
fn every_kind_of_notice_fills_in_every_value_in_both_languages() {
    use crate::notices::{AtRisk, CommentNote, Digest, DigestChange};
    let postman = Postman::new("https://okr.example.com", "k", true);
    let titled = |id: i64, title: &str| Titled {
        id,
        title: title.into(),
    };
    let due = DueKeyResult {
        key_result: titled(3, "NPS"),
        objective: titled(2, "Klanten"),
        person: "Anna".into(),
        reminders: 3,
        quiet_days: None,
    };
    let note = CommentNote {
        comment: 9,
        objective: titled(2, "Klanten"),
        author: "Bram".into(),
        excerpt: "Goed zo".into(),
        on_your_check_in: true,
    };
    let notices = [
        Notice::Reminder {
            key_results: vec![due.clone()],
        },
        Notice::Escalation {
            unit: 4,
            unit_name: "Team Noord".into(),
            grace: 2,
            overdue: vec![due.clone()],
        },
        Notice::Digest(Digest {
            week_of: "2026-11-23".into(),
            changes: vec![DigestChange {
                objective: titled(2, "Klanten"),
                check_ins: 2,
                comments: 1,
                moves: 0,
                edits: 1,
                progress: 0.456,
            }],
            more_changes: 4,
            at_risk: vec![AtRisk {
                key_result: titled(3, "NPS"),
                objective: titled(2, "Klanten"),
                status: cairn::status::Status::OffTrack,
                progress: 0.1,
            }],
            to_do: vec![due],
        }),
        Notice::Mention(note.clone()),
        Notice::Reply(note),
        Notice::Grading {
            period: 1,
            period_name: "2026 Q4".into(),
            objectives: vec![titled(2, "Klanten")],
        },
    ];
    for language in ["en", "nl"] {
        for notice in &notices {
            let sent = mail(postman.notice(&anna(language), notice));
            for text in [&sent.subject, &sent.text, sent.html.as_ref().unwrap()] {
                assert!(
                    !text.contains("{") && !text.contains("}"),
                    "{language} {notice:?}: {text}"
                );
            }
            assert!(sent.unsubscribe.is_some(), "{notice:?}");
            let entry = Postman::entry(
                Some(language),
                &InboxItem {
                    id: 1,
                    at: 0,
                    read: false,
                    notice: notice.clone(),
                },
            );
            assert_eq!(entry.told.headline, sent.subject);
        }
        for which in [LinkMail::Invitation, LinkMail::NewLink, LinkMail::Reset] {
            let sent =
                mail(postman.sign_in_link(&anna(language), which, "abc", 24, "Lea", "Waterland"));
            assert!(!sent.text.contains("{"), "{}", sent.text);
        }
    }
    let digest = mail(postman.notice(&anna("nl"), &notices[2]));
    assert!(
        digest
            .text
            .contains("Klanten: 2 check-ins, 1 reactie, 1 wijziging; nu op 46%"),
        "{}",
        digest.text
    );
    assert!(digest.text.contains("en nog 4") && digest.subject.contains("23 november 2026"));
}
