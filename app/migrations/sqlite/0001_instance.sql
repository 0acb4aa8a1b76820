-- This installation of Cairn: exactly one row. Its name is how the portal greets
-- people until an organisation exists; created_at is when the database was born.
-- Times are stored as milliseconds since the Unix epoch (UTC) in every table, the
-- same on SQLite and PostgreSQL, so one query text serves both.
CREATE TABLE instance (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at INTEGER NOT NULL
);

INSERT INTO instance (id, name, created_at)
VALUES (1, 'Cairn', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
