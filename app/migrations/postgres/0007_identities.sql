-- People signing in through an OpenID provider (PostgreSQL twin of the SQLite migration). The provider's subject id is the
-- stable key: a changed email at the provider still finds the same person. The
-- email is the one the provider last vouched for. Conventions as in 0002.
CREATE TABLE identities (
    provider        TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    person_id       BIGINT  NOT NULL REFERENCES people (id),
    email           TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    last_sign_in_at BIGINT  NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX identities_person ON identities (person_id);
