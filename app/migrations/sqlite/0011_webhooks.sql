-- Webhooks: URLs that hear of changes as they happen. Conventions as in 0002.

-- A subscription: a URL and the kinds of event it hears of ('check-ins
-- objectives', space separated), for the whole organisation (unit_id NULL, made
-- by an admin) or for one unit and the units below it (made by its lead). Its
-- secret signs every delivery. After repeated failure it is switched off
-- (active = 0) until its owner switches it on again.
CREATE TABLE webhooks (
    id             INTEGER PRIMARY KEY,
    url            TEXT    NOT NULL,
    kinds          TEXT    NOT NULL,
    unit_id        INTEGER REFERENCES org_units (id),
    secret         TEXT    NOT NULL,
    created_by     INTEGER REFERENCES people (id),
    created_at     INTEGER NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1,
    -- Failed attempts in a row; a success sets it back to 0.
    failures       INTEGER NOT NULL DEFAULT 0,
    disabled_at    INTEGER,
    -- Not before this moment (ms): the back-off after a failure.
    next_at        INTEGER NOT NULL DEFAULT 0,
    -- A node sending to it holds it until then (ms), so that its events go
    -- out one at a time, in order, from one node.
    lease_until    INTEGER NOT NULL DEFAULT 0
);

-- The outbox: one row per event a webhook is to hear of, written in the
-- transaction of the change (audit_event_id) or by "send a test event"
-- (audit_event_id NULL). Sent in id order per webhook.
CREATE TABLE webhook_deliveries (
    id             INTEGER PRIMARY KEY,
    webhook_id     INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    audit_event_id INTEGER REFERENCES audit_events (id),
    -- The event's type: the audited action ('check_in.create'), or 'webhook.test'.
    event_type     TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    -- queued, sent or skipped (outside the webhook's unit)
    state          TEXT    NOT NULL DEFAULT 'queued',
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_at        INTEGER,
    last_status    INTEGER,
    last_error     TEXT,
    sent_at        INTEGER
);
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (webhook_id, state, id);

-- A webhook's maker hears when it is switched off: a new kind of notice. SQLite
-- changes a CHECK by copying the table.
CREATE TABLE notice_preferences_next (
    person_id INTEGER NOT NULL REFERENCES people (id),
    kind      TEXT    NOT NULL CHECK (kind IN ('reminder', 'escalation', 'digest', 'mention', 'reply', 'grading', 'webhook')),
    delivery  TEXT    NOT NULL CHECK (delivery IN ('email', 'in_app', 'off')),
    PRIMARY KEY (person_id, kind)
);
INSERT INTO notice_preferences_next (person_id, kind, delivery)
    SELECT person_id, kind, delivery FROM notice_preferences;
DROP TABLE notice_preferences;
ALTER TABLE notice_preferences_next RENAME TO notice_preferences;

CREATE TABLE notices_next (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('reminder', 'escalation', 'digest', 'mention', 'reply', 'grading', 'webhook')),
    objective_id INTEGER REFERENCES objectives (id) ON DELETE SET NULL,
    payload      TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    read_at      INTEGER,
    mail_due     INTEGER NOT NULL DEFAULT 0 CHECK (mail_due IN (0, 1)),
    mailed_at    INTEGER
);
INSERT INTO notices_next (id, person_id, kind, objective_id, payload, created_at, read_at, mail_due, mailed_at)
    SELECT id, person_id, kind, objective_id, payload, created_at, read_at, mail_due, mailed_at FROM notices;
DROP TABLE notices;
ALTER TABLE notices_next RENAME TO notices;
CREATE INDEX notices_person ON notices (person_id, id);
CREATE INDEX notices_unread ON notices (person_id) WHERE read_at IS NULL;
CREATE INDEX notices_mail_due ON notices (person_id) WHERE mail_due = 1;
