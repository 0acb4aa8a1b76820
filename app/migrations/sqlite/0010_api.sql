-- The public API (/api/v1): tokens people and admins make, what a check-in came
-- through, and which token each audited change came through. Conventions as in 0002.

-- A token works as its person (person_id), or, without one, as a service the
-- admins made; never beyond its scopes ('read check-in write admin', space
-- separated). Only the SHA-256 of the secret is kept; its first characters are
-- shown so people can tell their tokens apart.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER REFERENCES people (id),
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    prefix       TEXT    NOT NULL,
    scopes       TEXT    NOT NULL,
    created_by   INTEGER REFERENCES people (id),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

-- A check-in made through a token with an Idempotency-Key: a retry with the same
-- key finds it instead of checking in twice.
ALTER TABLE check_ins ADD COLUMN api_token_id INTEGER REFERENCES api_tokens (id);
ALTER TABLE check_ins ADD COLUMN request_key TEXT;
CREATE UNIQUE INDEX check_ins_request ON check_ins (api_token_id, request_key) WHERE request_key IS NOT NULL;

-- The token (by name) a change came through, when it came through the API.
ALTER TABLE audit_events ADD COLUMN via TEXT;
