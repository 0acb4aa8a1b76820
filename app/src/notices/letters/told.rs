//! What each kind of notice says, for its mail and its place in the inbox.

use cairn::notify::NoticeKind;
use cairn::status::Status;

use super::Postman;
use super::words::{Words, fill};
use crate::notices::{
    Block, CommentNote, Digest, DigestChange, DueKeyResult, InboxItem, Notice, Told,
};

/// A title, shortened for a subject line.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// A ratio as a percentage: `45%`.
fn percent(ratio: f64) -> String {
    format!("{:.0}%", (ratio.clamp(0.0, 1.0) * 100.0).round())
}

impl Postman {
    /// What `notice` says (mentions and replies: see `told_comments`).
    pub(super) fn told(&self, w: &'static Words, notice: &Notice) -> Told {
        match notice {
            Notice::Reminder { key_results } => self.reminder(w, key_results),
            Notice::Escalation {
                unit,
                unit_name,
                grace,
                overdue,
            } => self.escalation(w, (*unit, unit_name), *grace, overdue),
            Notice::Digest(digest) => self.digest(w, digest),
            Notice::Grading {
                period_name,
                objectives,
                ..
            } => Told {
                headline: fill(w.grading_subject, &[("period", period_name)]),
                blocks: vec![
                    Block::Text(fill(w.grading_lead, &[("period", period_name)])),
                    Block::List(
                        objectives
                            .iter()
                            .map(|o| {
                                let url = self.url(&format!("/objectives/{}/grade", o.id));
                                (o.title.clone(), Some(url))
                            })
                            .collect(),
                    ),
                ],
                action: None,
                why: w.grading_why.to_string(),
            },
            Notice::WebhookOff {
                webhook,
                url,
                failures,
            } => Told {
                headline: fill(w.webhook_subject, &[("url", &short(url, 60))]),
                blocks: vec![Block::Text(fill(
                    w.webhook_lead,
                    &[("url", url), ("failures", &failures.to_string())],
                ))],
                action: Some((
                    w.webhook_action.to_string(),
                    self.url(&format!("/webhooks/{webhook}")),
                )),
                why: w.webhook_why.to_string(),
            },
            Notice::Mention(_) | Notice::Reply(_) => {
                let item = InboxItem {
                    id: 0,
                    at: 0,
                    read: false,
                    notice: notice.clone(),
                };
                self.told_comments(w, std::slice::from_ref(&item))
                    .map(|(told, _)| told)
                    .unwrap_or_else(|| Told {
                        headline: String::new(),
                        blocks: Vec::new(),
                        action: None,
                        why: String::new(),
                    })
            }
        }
    }

    fn reminder(&self, w: &Words, due: &[DueKeyResult]) -> Told {
        let count = due.len().to_string();
        Told {
            headline: fill(w.reminder_subject, &[("count", &count)]),
            blocks: vec![
                Block::Text(w.reminder_lead.to_string()),
                Block::List(
                    due.iter()
                        .map(|d| (due_line(w, d), Some(self.objective_url(d))))
                        .collect(),
                ),
            ],
            action: Some((w.reminder_action.to_string(), self.url("/my"))),
            why: w.reminder_why.to_string(),
        }
    }

    fn objective_url(&self, due: &DueKeyResult) -> String {
        self.url(&format!(
            "/objectives/{}#kr-{}",
            due.objective.id, due.key_result.id
        ))
    }

    fn escalation(
        &self,
        w: &Words,
        (unit, unit_name): (i64, &str),
        grace: u8,
        overdue: &[DueKeyResult],
    ) -> Told {
        let count = overdue.len().to_string();
        let grace = grace.to_string();
        let lines = overdue
            .iter()
            .map(|d| {
                let reminders = d.reminders.to_string();
                let line = fill(
                    w.escalation_item,
                    &[
                        ("key_result", &d.key_result.title),
                        ("objective", &d.objective.title),
                        ("person", &d.person),
                        ("reminders", &reminders),
                    ],
                );
                (line, Some(self.objective_url(d)))
            })
            .collect();
        Told {
            headline: fill(
                w.escalation_subject,
                &[("unit", unit_name), ("count", &count)],
            ),
            blocks: vec![
                Block::Text(fill(
                    w.escalation_lead,
                    &[("unit", unit_name), ("grace", &grace)],
                )),
                Block::List(lines),
            ],
            action: Some((
                fill(w.escalation_action, &[("unit", unit_name)]),
                self.url(&format!("/units/{unit}")),
            )),
            why: fill(w.escalation_why, &[("unit", unit_name)]),
        }
    }

    fn digest(&self, w: &Words, digest: &Digest) -> Told {
        let week = digest
            .week_of
            .parse::<chrono::NaiveDate>()
            .map(|day| w.date(day))
            .unwrap_or_else(|_| digest.week_of.clone());
        let mut blocks = vec![Block::Text(fill(w.digest_lead, &[("week", &week)]))];
        if !digest.changes.is_empty() {
            blocks.push(Block::Heading(w.digest_changes.to_string()));
            let mut lines: Vec<(String, Option<String>)> = digest
                .changes
                .iter()
                .map(|c| {
                    let url = self.url(&format!("/objectives/{}", c.objective.id));
                    (change_line(w, c), Some(url))
                })
                .collect();
            if digest.more_changes > 0 {
                let more = digest.more_changes.to_string();
                lines.push((fill(w.digest_more, &[("count", &more)]), None));
            }
            blocks.push(Block::List(lines));
        }
        if !digest.at_risk.is_empty() {
            blocks.push(Block::Heading(w.digest_at_risk.to_string()));
            let lines = digest
                .at_risk
                .iter()
                .map(|r| {
                    let template = match r.status {
                        Status::OffTrack => w.digest_off_track_item,
                        _ => w.digest_at_risk_item,
                    };
                    let progress = percent(r.progress);
                    let line = fill(
                        template,
                        &[
                            ("key_result", &r.key_result.title),
                            ("objective", &r.objective.title),
                            ("progress", &progress),
                        ],
                    );
                    let url = format!("/objectives/{}#kr-{}", r.objective.id, r.key_result.id);
                    (line, Some(self.url(&url)))
                })
                .collect();
            blocks.push(Block::List(lines));
        }
        if !digest.to_do.is_empty() {
            blocks.push(Block::Heading(w.digest_to_do.to_string()));
            blocks.push(Block::List(
                digest
                    .to_do
                    .iter()
                    .map(|d| (due_line(w, d), Some(self.objective_url(d))))
                    .collect(),
            ));
        }
        Told {
            headline: fill(w.digest_subject, &[("week", &week)]),
            blocks,
            action: Some((w.digest_action.to_string(), self.url("/"))),
            why: w.digest_why.to_string(),
        }
    }

    /// What a person's waiting mentions and replies say together, and the kind
    /// the mail is mostly about (the one its unsubscribe link stops). None when
    /// there are none.
    pub(super) fn told_comments(
        &self,
        w: &Words,
        items: &[InboxItem],
    ) -> Option<(Told, NoticeKind)> {
        let notes: Vec<(bool, &CommentNote)> = items
            .iter()
            .filter_map(|item| match &item.notice {
                Notice::Mention(note) => Some((true, note)),
                Notice::Reply(note) => Some((false, note)),
                _ => None,
            })
            .collect();
        let (first_mention, first) = *notes.first()?;
        let headline = if notes.len() == 1 {
            let template = if first_mention {
                w.mention_subject
            } else {
                w.reply_subject
            };
            let title = short(&first.objective.title, 60);
            fill(
                template,
                &[("author", &first.author), ("objective", &title)],
            )
        } else {
            fill(w.comments_subject, &[("count", &notes.len().to_string())])
        };
        let lines = notes
            .iter()
            .map(|(mention, note)| {
                let template = match (mention, note.on_your_check_in) {
                    (true, _) => w.mention_line,
                    (false, true) => w.reply_check_in_line,
                    (false, false) => w.reply_line,
                };
                let line = fill(
                    template,
                    &[
                        ("author", &note.author),
                        ("objective", &note.objective.title),
                        ("excerpt", &note.excerpt),
                    ],
                );
                let url = format!("/objectives/{}#comment-{}", note.objective.id, note.comment);
                (line, Some(self.url(&url)))
            })
            .collect();
        let mentions = notes.iter().filter(|(m, _)| *m).count();
        let kind = if mentions * 2 >= notes.len() {
            NoticeKind::Mention
        } else {
            NoticeKind::Reply
        };
        let why = match kind {
            NoticeKind::Mention => w.mention_why,
            _ => w.reply_why,
        };
        let told = Told {
            headline,
            blocks: vec![Block::List(lines)],
            action: Some((w.comments_action.to_string(), self.url("/inbox"))),
            why: why.to_string(),
        };
        Some((told, kind))
    }
}

fn due_line(w: &Words, due: &DueKeyResult) -> String {
    let days = due.quiet_days.map(|d| d.to_string());
    let values = [
        ("key_result", due.key_result.title.as_str()),
        ("objective", due.objective.title.as_str()),
        ("days", days.as_deref().unwrap_or("")),
    ];
    match due.quiet_days {
        Some(_) => fill(w.reminder_item, &values),
        None => fill(w.reminder_item_never, &values),
    }
}

fn change_line(w: &Words, change: &DigestChange) -> String {
    let en = w.lang == "en";
    let mut parts = Vec::new();
    let mut count = |n: u32, en_words: (&str, &str), nl_words: (&str, &str)| {
        if n > 0 {
            let (one, many) = if en { en_words } else { nl_words };
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    };
    count(
        change.check_ins,
        ("check-in", "check-ins"),
        ("check-in", "check-ins"),
    );
    count(
        change.comments,
        ("comment", "comments"),
        ("reactie", "reacties"),
    );
    count(
        change.moves,
        ("move", "moves"),
        ("verplaatsing", "verplaatsingen"),
    );
    count(
        change.edits,
        ("edit", "edits"),
        ("wijziging", "wijzigingen"),
    );
    let what = parts.join(", ");
    let progress = percent(change.progress);
    fill(
        w.digest_change,
        &[
            ("objective", &change.objective.title),
            ("what", &what),
            ("progress", &progress),
        ],
    )
}
