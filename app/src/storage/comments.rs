//! Comments on objectives, and the people they mention.

use std::collections::{BTreeMap, HashMap};

use cairn::audit::{Action, Entity};
use cairn::ids::{ObjectiveId, PersonId};
use cairn::notify::NoticeKind;
use cairn::values::LongText;
use sqlx::{Any, Row, Transaction};

use crate::notices::{CommentNote, Notice, Titled};
use crate::storage::notices::{self, Letters, MailPlan};

use crate::storage::changes::{Change, record};
use crate::storage::org::exists;
use crate::storage::{Db, StorageError};

/// Adds a comment by `author`; returns its id. Audited, and live for open pages.
/// `check_in`, when given, must be a check-in on one of the objective's key results.
pub async fn add_comment(
    db: &Db,
    letters: &dyn Letters,
    author: PersonId,
    objective: ObjectiveId,
    check_in: Option<i64>,
    body: &LongText,
) -> Result<i64, StorageError> {
    let at = db.now_ms();
    let mut tx = db.writer().begin().await?;
    exists(&mut tx, "objectives", objective.0).await?;
    if let Some(check_in) = check_in {
        let ours: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM check_ins c JOIN key_results k ON k.id = c.key_result_id \
             WHERE c.id = $1 AND k.objective_id = $2",
        )
        .bind(check_in)
        .bind(objective.0)
        .fetch_one(&mut *tx)
        .await?;
        if ours == 0 {
            return Err(StorageError::not_found("check_ins", check_in));
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO comments (objective_id, author_id, at, body, check_in_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(objective.0)
    .bind(author.0)
    .bind(at)
    .bind(body.as_str())
    .bind(check_in)
    .fetch_one(&mut *tx)
    .await?;
    let change = Change::created(
        Some(author),
        Action::CommentCreate,
        Entity::Objective,
        objective.0,
        &serde_json::json!({ "comment": id, "check_in": check_in, "body": body.as_str() }),
        Some(crate::live::LiveChange::Comment {
            objective: objective.0,
            comment: id,
        }),
    )?;
    record(&mut tx, at, change).await?;
    let said = Said {
        author,
        objective,
        check_in,
        comment: id,
        body: body.as_str(),
    };
    tell(&mut tx, at, letters, &said).await?;
    notices::follow_in(&mut tx, at, author, objective.0).await?;
    tx.commit().await?;
    db.committed();
    Ok(id)
}

/// A comment just written, for the people who hear of it.
struct Said<'a> {
    author: PersonId,
    objective: ObjectiveId,
    check_in: Option<i64>,
    comment: i64,
    body: &'a str,
}

/// Tells of a comment, in its transaction: the people it mentions, the
/// objective's owner (a unit's leads) and the author of the check-in it answers;
/// never its own author. Their mail waits for their next batch.
async fn tell(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    letters: &dyn Letters,
    said: &Said<'_>,
) -> Result<(), StorageError> {
    let handles = cairn::notify::mentioned_handles(said.body);
    let mentioned = handles_in(tx, &handles).await?;
    let objective =
        sqlx::query("SELECT title, owner_person_id, owner_unit_id FROM objectives WHERE id = $1")
            .bind(said.objective.0)
            .fetch_one(&mut **tx)
            .await?;
    let title: String = objective.try_get("title")?;
    let mut owners: Vec<PersonId> = Vec::new();
    if let Some(person) = objective.try_get::<Option<i64>, _>("owner_person_id")? {
        owners.push(PersonId(person));
    }
    if let Some(unit) = objective.try_get::<Option<i64>, _>("owner_unit_id")? {
        let leads: Vec<i64> = sqlx::query_scalar(
            "SELECT m.person_id FROM memberships m JOIN people p ON p.id = m.person_id \
             WHERE m.unit_id = $1 AND m.role IN ('lead', 'admin') AND p.active = 1",
        )
        .bind(unit)
        .fetch_all(&mut **tx)
        .await?;
        owners.extend(leads.into_iter().map(PersonId));
    }
    let answered: Option<i64> = match said.check_in {
        Some(check_in) => sqlx::query_scalar("SELECT author_id FROM check_ins WHERE id = $1")
            .bind(check_in)
            .fetch_optional(&mut **tx)
            .await?
            .flatten(),
        None => None,
    };
    // Each person hears once: a mention wins over a reply.
    let mut told: BTreeMap<PersonId, (NoticeKind, bool)> = BTreeMap::new();
    for (id, _) in mentioned.values() {
        told.insert(PersonId(*id), (NoticeKind::Mention, false));
    }
    if let Some(person) = answered {
        told.entry(PersonId(person))
            .or_insert((NoticeKind::Reply, true));
    }
    for owner in owners {
        told.entry(owner).or_insert((NoticeKind::Reply, false));
    }
    told.remove(&said.author);
    if told.is_empty() {
        return Ok(());
    }
    let author: String = sqlx::query_scalar("SELECT name FROM people WHERE id = $1")
        .bind(said.author.0)
        .fetch_one(&mut **tx)
        .await?;
    let people: Vec<PersonId> = told.keys().copied().collect();
    let mut choices = HashMap::new();
    for kind in [NoticeKind::Mention, NoticeKind::Reply] {
        choices.insert(kind, notices::deliveries(tx, &people, kind).await?);
    }
    let mut delivered = Vec::new();
    for (person, (kind, on_your_check_in)) in told {
        let delivery = choices[&kind][&person];
        if !delivery.in_inbox() {
            continue;
        }
        let note = CommentNote {
            comment: said.comment,
            objective: Titled {
                id: said.objective.0,
                title: title.clone(),
            },
            author: author.clone(),
            excerpt: excerpt(said.body),
            on_your_check_in,
        };
        let notice = match kind {
            NoticeKind::Mention => Notice::Mention(note),
            _ => Notice::Reply(note),
        };
        let plan = if delivery.by_mail() && letters.mail_on() {
            MailPlan::Batch
        } else {
            MailPlan::None
        };
        notices::deliver(tx, at, person, &notice, plan).await?;
        delivered.push(person);
    }
    notices::tell_unread(tx, at, &delivered).await
}

/// A comment's first words on one line, for a notice.
fn excerpt(body: &str) -> String {
    let line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= 200 {
        return line;
    }
    let cut: String = line.chars().take(199).collect();
    format!("{}…", cut.trim_end())
}

/// People by the first part of their email address (lower case), for mentions.
pub async fn people_by_handle(
    db: &Db,
    handles: &[String],
) -> Result<HashMap<String, (i64, String)>, StorageError> {
    let mut connection = db.reader().acquire().await?;
    handles_in(&mut connection, handles).await
}

async fn handles_in(
    connection: &mut sqlx::AnyConnection,
    handles: &[String],
) -> Result<HashMap<String, (i64, String)>, StorageError> {
    let mut found = HashMap::new();
    for handle in handles.iter().take(20) {
        let row = sqlx::query(
            "SELECT id, name FROM people WHERE lower(email) LIKE $1 AND active = 1 ORDER BY id LIMIT 1",
        )
        .bind(format!("{}@%", handle.replace(['%', '_'], "")))
        .fetch_optional(&mut *connection)
        .await?;
        if let Some(row) = row {
            found.insert(handle.clone(), (row.try_get("id")?, row.try_get("name")?));
        }
    }
    Ok(found)
}
