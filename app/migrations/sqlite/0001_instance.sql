-- This installation of Cairn: exactly one row. Its name is how the portal greets
-- people until an organisation tree exists; created_at is when the database was born.
CREATE TABLE instance (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at TEXT    NOT NULL  -- RFC 3339, UTC
);

INSERT INTO instance (id, name, created_at)
VALUES (1, 'Cairn', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
