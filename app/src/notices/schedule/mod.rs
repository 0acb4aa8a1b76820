//! The weekly rhythm at work: each minute, every node looks for units whose
//! reminder or digest moment has come, and acts on each moment once (the run is
//! claimed in the transaction that delivers its notices and queues its mail); it
//! also mails the mentions and replies that waited for their batch.
//!
//! Everything runs off the database's clock, so a test can set the time and see
//! exactly what a moment sends.

mod digest;
mod reminders;
pub mod slots;

use std::collections::HashMap;
use std::time::Duration;

use cairn::ids::{PersonId, UnitId};
use cairn::model::Role;
use cairn::notify::{Cadence, NoticeKind, Weekly, inherited};

use crate::notices::letters::Postman;
use crate::storage::notices::cadence::{self, UnitNode};
use crate::storage::notices::schedule::{self, Job};
use crate::storage::notices::{self as store};
use crate::storage::{Db, StorageError};

/// A moment missed by more than this (every node was down) is skipped: a
/// reminder a day late helps nobody.
pub const CATCH_UP_MS: i64 = 12 * 60 * 60 * 1000;

/// What one look at the rhythm did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Runs claimed by this node (unit moments acted on).
    pub runs: usize,
    pub reminders: usize,
    pub escalations: usize,
    pub digests: usize,
    /// Mails of batched mentions and replies.
    pub batches: usize,
}

/// The scheduler of one node.
pub struct Scheduler {
    pub db: Db,
    pub postman: Postman,
    /// At most one mail of mentions and replies per person per this long.
    pub batch_gap_ms: i64,
    /// How often it looks.
    pub every: Duration,
}

impl Scheduler {
    /// Looks every `every` until `stop` resolves.
    pub async fn run(self, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            match self.tick().await {
                Ok(report) if report != Report::default() => {
                    tracing::info!(?report, "notices sent");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "the rhythm could not run"),
            }
            tokio::select! {
                _ = &mut stop => return,
                _ = tokio::time::sleep(self.every) => {}
            }
        }
    }

    /// One look: every unit moment now due, then the waiting batches.
    pub async fn tick(&self) -> Result<Report, StorageError> {
        let now = self.db.now_ms();
        let mut report = Report::default();
        let mut world = World::read(&self.db).await?;
        let reminders = world.due(&self.db, Job::Reminder, now).await?;
        let digests = world.due(&self.db, Job::Digest, now).await?;
        // Who belongs where is read only when a moment has come.
        if !reminders.is_empty() || !digests.is_empty() {
            world.read_people(&self.db).await?;
        }
        if !reminders.is_empty() {
            reminders::run(&self.db, &self.postman, &world, &reminders, &mut report).await?;
        }
        if !digests.is_empty() {
            digest::run(&self.db, &self.postman, &world, &digests, &mut report).await?;
        }
        if self.postman.mail_on() {
            report.batches = self.batches().await?;
        }
        Ok(report)
    }

    /// Mails each person's waiting mentions and replies in one message.
    async fn batches(&self) -> Result<usize, StorageError> {
        let mut sent = 0;
        for (person, items) in store::batches_due(&self.db, self.batch_gap_ms).await? {
            let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
            let at = self.db.now_ms();
            let mut tx = self.db.writer().begin().await?;
            let to = store::addressees(&mut tx, &[person]).await?;
            // Mail turned off since (or the person left): the notices stay in the inbox.
            let kinds = [NoticeKind::Mention, NoticeKind::Reply];
            let mut wanted = false;
            for kind in kinds {
                wanted |= store::deliveries(&mut tx, &[person], kind).await?[&person].by_mail();
            }
            let letter = to
                .get(&person)
                .filter(|_| wanted)
                .and_then(|to| self.postman.comments(to, &items));
            let Some(letter) = letter else {
                drop(tx);
                store::drop_batch(&self.db, &ids).await?;
                continue;
            };
            if !store::take_batch(&mut tx, at, &ids).await? {
                continue;
            }
            crate::storage::outbox::enqueue(&mut tx, at, &letter).await?;
            tx.commit().await?;
            sent += 1;
        }
        Ok(sent)
    }
}

/// A unit moment due now: the unit, the moment, and the rhythm it follows.
#[derive(Debug, Clone)]
pub struct Due {
    pub unit: UnitId,
    pub slot: i64,
    pub cadence: Cadence,
}

/// What every run of one look shares: the unit tree, rhythms and memberships.
pub struct World {
    pub units: HashMap<UnitId, UnitNode>,
    cadences: HashMap<UnitId, Cadence>,
    /// Each person's first unit: their own objectives follow its rhythm.
    pub home: HashMap<PersonId, UnitId>,
    pub member_of: HashMap<PersonId, Vec<UnitId>>,
    leads: HashMap<UnitId, Vec<PersonId>>,
}

impl World {
    /// The units and their rhythms (who belongs where: `read_people`).
    pub async fn read(db: &Db) -> Result<World, StorageError> {
        let units = cadence::unit_tree(db).await?;
        let cadences = cadence::all(db)
            .await?
            .into_iter()
            .map(|(unit, stored)| (unit, stored.cadence))
            .collect();
        Ok(World {
            units,
            cadences,
            home: HashMap::new(),
            member_of: HashMap::new(),
            leads: HashMap::new(),
        })
    }

    /// Who belongs to which unit, and who leads it.
    pub async fn read_people(&mut self, db: &Db) -> Result<(), StorageError> {
        for (person, unit, role) in schedule::memberships(db).await? {
            // Ordered by unit id: the first is the person's home.
            self.home.entry(person).or_insert(unit);
            self.member_of.entry(person).or_default().push(unit);
            if matches!(role, Role::Lead | Role::Admin) {
                self.leads.entry(unit).or_default().push(person);
            }
        }
        Ok(())
    }

    /// The rhythm a unit follows, if any.
    pub fn cadence(&self, unit: UnitId) -> Option<&Cadence> {
        self.source(unit).map(|(_, cadence)| cadence)
    }

    /// The rhythm a unit follows and the unit it comes from (itself or one above).
    pub fn source(&self, unit: UnitId) -> Option<(UnitId, &Cadence)> {
        inherited(
            unit,
            |u| self.units.get(&u).and_then(|node| node.parent),
            |u| self.cadences.get(&u),
        )
    }

    /// The leads of `unit`, or of the nearest unit above it that has any.
    pub fn leads(&self, unit: UnitId) -> &[PersonId] {
        let mut at = Some(unit);
        let mut steps = 0;
        while let Some(here) = at {
            if let Some(leads) = self.leads.get(&here).filter(|l| !l.is_empty()) {
                return leads;
            }
            at = self.units.get(&here).and_then(|node| node.parent);
            steps += 1;
            if steps > self.units.len() {
                break;
            }
        }
        &[]
    }

    /// The leads of `unit` itself.
    pub fn own_leads(&self, unit: UnitId) -> &[PersonId] {
        self.leads.get(&unit).map_or(&[], Vec::as_slice)
    }

    /// The unit moments of `job` due at `now` that no node has acted on.
    async fn due(&self, db: &Db, job: Job, now: i64) -> Result<Vec<Due>, StorageError> {
        let done = schedule::runs_since(db, job, now - CATCH_UP_MS - 1).await?;
        let mut due: Vec<Due> = self
            .units
            .iter()
            .filter(|(_, node)| node.active)
            .filter_map(|(unit, _)| {
                let cadence = self.cadence(*unit)?.clone();
                if !cadence.enabled {
                    return None;
                }
                let weekly: Weekly = match job {
                    Job::Reminder => cadence.reminder,
                    Job::Digest => cadence.digest,
                };
                let slot = slots::latest(weekly, slots::zone(&cadence.time_zone)?, now)?;
                (now - slot <= CATCH_UP_MS && !done.contains(&(*unit, slot))).then_some(Due {
                    unit: *unit,
                    slot,
                    cadence,
                })
            })
            .collect();
        due.sort_by_key(|d| (d.slot, d.unit.0));
        Ok(due)
    }
}

/// A unit moment this node acts on: the transaction that claims it holds
/// everything the moment delivers and queues, and commits it with the claim.
struct Run {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    at: i64,
    moment: Due,
    job: Job,
    /// Who it delivered a notice to.
    told: Vec<PersonId>,
}

impl Run {
    /// Claims `moment`; None when another node (or an earlier look) has.
    async fn claim(db: &Db, moment: &Due, job: Job) -> Result<Option<Run>, StorageError> {
        let at = db.now_ms();
        let mut tx = db.writer().begin().await?;
        if !schedule::claim_run(&mut tx, moment.unit, job, moment.slot, at).await? {
            return Ok(None);
        }
        Ok(Some(Run {
            tx,
            at,
            moment: moment.clone(),
            job,
            told: Vec::new(),
        }))
    }

    /// Hands a notice to a person as they want it; whether it was delivered.
    async fn hand_over(
        &mut self,
        postman: &Postman,
        to: &store::Addressee,
        delivery: cairn::notify::Delivery,
        notice: &crate::notices::Notice,
    ) -> Result<bool, StorageError> {
        let delivered =
            store::hand_over(&mut self.tx, self.at, postman, to, delivery, notice).await?;
        if delivered {
            self.told.push(to.person);
        }
        Ok(delivered)
    }

    /// Records how much the run delivered and commits it all.
    async fn finish(mut self, db: &Db, report: &mut Report) -> Result<(), StorageError> {
        let (unit, slot) = (self.moment.unit, self.moment.slot);
        store::tell_unread(&mut self.tx, self.at, &self.told).await?;
        let sent = self.told.len();
        schedule::finish_run(&mut self.tx, unit, self.job, slot, sent).await?;
        self.tx.commit().await?;
        if sent > 0 {
            db.committed();
        }
        report.runs += 1;
        Ok(())
    }
}
