-- What Cairn tells people, and how each wants to hear it: the language mail is
-- written in, a choice per kind of notice (email, in the app only, or off), the
-- "for you" inbox, the weekly rhythm of each unit (inherited down the unit tree),
-- which of its moments have been acted on, and the objectives people follow.
-- Conventions as in 0002.

-- NULL until the person signs in or chooses: mail then goes in English.
ALTER TABLE people ADD COLUMN language TEXT CHECK (language IN ('en', 'nl'));

-- The key unsubscribe links are signed with; made on first use.
ALTER TABLE instance ADD COLUMN secret TEXT;

-- A missing row is the default: email.
CREATE TABLE notice_preferences (
    person_id INTEGER NOT NULL REFERENCES people (id),
    kind      TEXT    NOT NULL CHECK (kind IN ('reminder', 'escalation', 'digest', 'mention', 'reply', 'grading')),
    delivery  TEXT    NOT NULL CHECK (delivery IN ('email', 'in_app', 'off')),
    PRIMARY KEY (person_id, kind)
);

-- The inbox. payload is the notice itself (JSON, typed in app/src/notices);
-- mail_due is 1 while a notice still has to go out by mail in a batch (mentions
-- and replies), mailed_at when it went.
CREATE TABLE notices (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('reminder', 'escalation', 'digest', 'mention', 'reply', 'grading')),
    objective_id INTEGER REFERENCES objectives (id) ON DELETE SET NULL,
    payload      TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    read_at      INTEGER,
    mail_due     INTEGER NOT NULL DEFAULT 0 CHECK (mail_due IN (0, 1)),
    mailed_at    INTEGER
);
CREATE INDEX notices_person ON notices (person_id, id);
CREATE INDEX notices_unread ON notices (person_id) WHERE read_at IS NULL;
CREATE INDEX notices_mail_due ON notices (person_id) WHERE mail_due = 1;

-- A unit's weekly rhythm, for itself and the units below that set none: the
-- check-in reminder and the digest (day 0 = Monday, minute of the day, in the
-- unit's time zone), and after how many unanswered reminders its leads hear of
-- it. enabled = 0 turns both off for the unit and those below it.
CREATE TABLE unit_cadences (
    unit_id         INTEGER PRIMARY KEY REFERENCES org_units (id),
    enabled         INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    time_zone       TEXT    NOT NULL,
    reminder_day    INTEGER NOT NULL CHECK (reminder_day BETWEEN 0 AND 6),
    reminder_minute INTEGER NOT NULL CHECK (reminder_minute BETWEEN 0 AND 1439),
    digest_day      INTEGER NOT NULL CHECK (digest_day BETWEEN 0 AND 6),
    digest_minute   INTEGER NOT NULL CHECK (digest_minute BETWEEN 0 AND 1439),
    grace           INTEGER NOT NULL CHECK (grace BETWEEN 1 AND 10),
    version         INTEGER NOT NULL DEFAULT 1
);

-- Each moment of a unit's rhythm is acted on once, by one node: the row is
-- written in the transaction that queues its messages.
CREATE TABLE schedule_runs (
    unit_id INTEGER NOT NULL REFERENCES org_units (id),
    job     TEXT    NOT NULL CHECK (job IN ('reminder', 'digest')),
    slot_at INTEGER NOT NULL,
    ran_at  INTEGER NOT NULL,
    sent    INTEGER NOT NULL,
    PRIMARY KEY (unit_id, job, slot_at)
);
-- Each look asks which moments of the last hours were acted on.
CREATE INDEX schedule_runs_recent ON schedule_runs (job, slot_at);

-- Objectives a person follows, for the digest (commenting follows, too).
CREATE TABLE follows (
    person_id    INTEGER NOT NULL REFERENCES people (id),
    objective_id INTEGER NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    since        INTEGER NOT NULL,
    PRIMARY KEY (person_id, objective_id)
);
CREATE INDEX follows_objective ON follows (objective_id);

-- Requests for a sign-in link by mail ("forgot password"), counted per address
-- and per account so nobody can make Cairn flood a mailbox.
CREATE TABLE link_requests (
    id      INTEGER PRIMARY KEY,
    account TEXT    NOT NULL,
    address TEXT    NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX link_requests_account ON link_requests (account, at);
CREATE INDEX link_requests_address ON link_requests (address, at);

-- The digest reads a week of the audit trail at once.
CREATE INDEX audit_events_at ON audit_events (at);
