-- Messages that must leave Cairn: mail now, webhook deliveries later, each
-- written in the same transaction as the change that causes it. A sender takes a
-- due message under a lease (on PostgreSQL with FOR UPDATE SKIP LOCKED, so two
-- nodes never hold the same one), tries it and records the attempt: sent, tried
-- again later (a temporary failure, with back-off), or failed for good (the
-- reason kept). Conventions as in 0002.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    channel     TEXT    NOT NULL CHECK (channel IN ('mail')),
    kind        TEXT    NOT NULL,
    recipient   TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until INTEGER,
    sent_at     INTEGER,
    failed_at   INTEGER,
    last_error  TEXT
);
CREATE INDEX outbox_due ON outbox (due_at);

-- Every attempt at a message, for the admin's outbox page.
CREATE TABLE outbox_attempts (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES outbox (id),
    at         INTEGER NOT NULL,
    outcome    TEXT    NOT NULL CHECK (outcome IN ('sent', 'retry', 'failed')),
    detail     TEXT    NOT NULL
);
CREATE INDEX outbox_attempts_message ON outbox_attempts (message_id);
