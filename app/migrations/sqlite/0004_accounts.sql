-- Accounts, sessions and sign-in. Everyone signed in reads everything; an account
-- is how a person proves who they are. Conventions as in 0002.

-- A person's way in. No password yet (NULL) until they set one through a one-time
-- sign-in link. Admins edit everything; the first start creates one.
CREATE TABLE accounts (
    person_id           INTEGER PRIMARY KEY REFERENCES people (id),
    password_hash       TEXT,
    is_admin            INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    created_at          INTEGER NOT NULL,
    password_changed_at INTEGER
);

-- Signed-in browsers. The id is the SHA-256 (hex) of the cookie's session id, so
-- the table alone does not let anyone in. person_id is copied out of the data so a
-- person's sessions can be ended together (sign out everywhere, deactivation).
CREATE TABLE sessions (
    id         TEXT    PRIMARY KEY,
    person_id  INTEGER REFERENCES people (id),
    data       TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- One-time sign-in links (first admin, new people, forgotten passwords): the token
-- is stored hashed, used once, and expires.
CREATE TABLE sign_in_links (
    token_hash TEXT    PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX sign_in_links_person ON sign_in_links (person_id);

-- Failed sign-ins, counted per account (the email as typed, lower case) and per
-- client address over a sliding window; rows older than the window are pruned.
CREATE TABLE sign_in_failures (
    id      INTEGER PRIMARY KEY,
    account TEXT    NOT NULL,
    address TEXT    NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_account ON sign_in_failures (account, at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);
