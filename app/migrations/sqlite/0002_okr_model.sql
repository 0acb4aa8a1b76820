-- The OKR model. Conventions shared with the PostgreSQL schema, so that one query
-- text serves both databases through sqlx's Any driver:
--   * ids and counters are 64-bit integers; flags are 0/1 integers;
--   * times are milliseconds since the Unix epoch (UTC); dates are 'YYYY-MM-DD';
--   * every row people edit has a version, raised by one on each change, for
--     optimistic concurrency.

CREATE TABLE org_units (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES org_units (id),
    name       TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('organisation', 'department', 'team')),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);
CREATE INDEX org_units_parent ON org_units (parent_id);

CREATE TABLE people (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    email      TEXT    NOT NULL UNIQUE,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

CREATE TABLE memberships (
    unit_id   INTEGER NOT NULL REFERENCES org_units (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    role      TEXT    NOT NULL CHECK (role IN ('member', 'lead', 'admin')),
    PRIMARY KEY (unit_id, person_id)
);
CREATE INDEX memberships_person ON memberships (person_id);

-- Years, quarters (parent_id: their year), custom spans, and the undated backlog.
CREATE TABLE periods (
    id        INTEGER PRIMARY KEY,
    kind      TEXT    NOT NULL CHECK (kind IN ('year', 'quarter', 'custom', 'backlog')),
    name      TEXT    NOT NULL,
    starts_on TEXT,
    ends_on   TEXT,
    parent_id INTEGER REFERENCES periods (id),
    state     TEXT    NOT NULL CHECK (state IN ('planning', 'active', 'grading', 'closed')),
    version   INTEGER NOT NULL DEFAULT 1,
    CHECK ((kind = 'backlog') = (starts_on IS NULL)),
    CHECK ((starts_on IS NULL) = (ends_on IS NULL)),
    CHECK (starts_on IS NULL OR starts_on <= ends_on)
);
CREATE INDEX periods_dates ON periods (starts_on, ends_on);

-- An objective belongs to exactly one owner: a unit or a person.
CREATE TABLE objectives (
    id              INTEGER PRIMARY KEY,
    period_id       INTEGER NOT NULL REFERENCES periods (id),
    owner_unit_id   INTEGER REFERENCES org_units (id),
    owner_person_id INTEGER REFERENCES people (id),
    title           TEXT    NOT NULL,
    description     TEXT,
    commitment      TEXT    NOT NULL CHECK (commitment IN ('committed', 'aspirational')),
    state           TEXT    NOT NULL CHECK (state IN ('draft', 'active', 'completed', 'abandoned')),
    weight          REAL    NOT NULL CHECK (weight > 0),
    position        INTEGER NOT NULL DEFAULT 0,
    -- Cached roll-up of the key results, kept current by every check-in.
    progress        REAL    NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    grade           REAL    CHECK (grade BETWEEN 0 AND 1),
    retrospective   TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK ((owner_unit_id IS NULL) <> (owner_person_id IS NULL))
);
CREATE INDEX objectives_period ON objectives (period_id, position);
CREATE INDEX objectives_unit ON objectives (owner_unit_id, period_id);
CREATE INDEX objectives_person ON objectives (owner_person_id, period_id);

CREATE TABLE key_results (
    id              INTEGER PRIMARY KEY,
    objective_id    INTEGER NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    title           TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('metric', 'binary', 'milestones')),
    direction       TEXT    CHECK (direction IN ('increase', 'decrease', 'stay_at_or_above', 'stay_at_or_below')),
    start_value     REAL,
    target_value    REAL,
    unit_label      TEXT,
    weight          REAL    NOT NULL CHECK (weight > 0),
    owner_person_id INTEGER REFERENCES people (id),
    due_on          TEXT,
    position        INTEGER NOT NULL DEFAULT 0,
    -- The latest reading (metric value, or 1/0 for binary), cached with its progress.
    current_value   REAL,
    progress        REAL    NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    confidence      INTEGER CHECK (confidence BETWEEN 0 AND 10),
    last_check_in_at INTEGER,
    grade           REAL    CHECK (grade BETWEEN 0 AND 1),
    grade_reason    TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK ((kind = 'metric') = (direction IS NOT NULL AND start_value IS NOT NULL AND target_value IS NOT NULL))
);
CREATE INDEX key_results_objective ON key_results (objective_id, position);

CREATE TABLE milestones (
    id            INTEGER PRIMARY KEY,
    key_result_id INTEGER NOT NULL REFERENCES key_results (id) ON DELETE CASCADE,
    title         TEXT    NOT NULL,
    weight        REAL    NOT NULL CHECK (weight > 0),
    position      INTEGER NOT NULL DEFAULT 0,
    done_at       INTEGER
);
CREATE INDEX milestones_key_result ON milestones (key_result_id, position);

-- A check-in: a metric value (or 1/0 for binary), or the milestones done at that
-- moment (a JSON array of milestone ids), with confidence and a note.
CREATE TABLE check_ins (
    id              INTEGER PRIMARY KEY,
    key_result_id   INTEGER NOT NULL REFERENCES key_results (id) ON DELETE CASCADE,
    author_id       INTEGER REFERENCES people (id),
    at              INTEGER NOT NULL,
    value           REAL,
    milestones_done TEXT,
    confidence      INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 10),
    note            TEXT,
    source          TEXT    NOT NULL CHECK (source IN ('ui', 'api', 'import'))
);
CREATE INDEX check_ins_key_result ON check_ins (key_result_id, at);
CREATE INDEX check_ins_author ON check_ins (author_id, at);

-- Versioned alignment: moving an objective closes its open link (valid_to) and
-- opens a new one, so the cascade of any past moment can be rebuilt. Exactly one
-- parent per link; at most one open primary link per child.
CREATE TABLE alignments (
    id                   INTEGER PRIMARY KEY,
    child_id             INTEGER NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    parent_objective_id  INTEGER REFERENCES objectives (id) ON DELETE CASCADE,
    parent_key_result_id INTEGER REFERENCES key_results (id) ON DELETE CASCADE,
    is_primary           INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
    valid_from           INTEGER NOT NULL,
    valid_to             INTEGER,
    CHECK ((parent_objective_id IS NULL) <> (parent_key_result_id IS NULL)),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX alignments_one_open_primary ON alignments (child_id) WHERE is_primary = 1 AND valid_to IS NULL;
CREATE INDEX alignments_child ON alignments (child_id, valid_from);
CREATE INDEX alignments_parent_objective ON alignments (parent_objective_id);
CREATE INDEX alignments_parent_key_result ON alignments (parent_key_result_id);

CREATE TABLE initiatives (
    id           INTEGER PRIMARY KEY,
    objective_id INTEGER NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    title        TEXT    NOT NULL,
    done         INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    position     INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX initiatives_objective ON initiatives (objective_id, position);

CREATE TABLE comments (
    id           INTEGER PRIMARY KEY,
    objective_id INTEGER NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    author_id    INTEGER REFERENCES people (id),
    at           INTEGER NOT NULL,
    body         TEXT    NOT NULL
);
CREATE INDEX comments_objective ON comments (objective_id, at);

-- Who changed what, and how it looked before and after (JSON).
CREATE TABLE audit_events (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor_id  INTEGER REFERENCES people (id),
    action    TEXT    NOT NULL,
    entity    TEXT    NOT NULL,
    entity_id INTEGER NOT NULL,
    before    TEXT,
    after     TEXT
);
CREATE INDEX audit_events_entity ON audit_events (entity, entity_id, at);
CREATE INDEX audit_events_actor ON audit_events (actor_id, at);

-- The change log live updates read. AUTOINCREMENT: ids only grow, never reused,
-- so a reconnecting browser can ask for everything after the last id it saw.
CREATE TABLE events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    kind      TEXT    NOT NULL,
    entity    TEXT    NOT NULL,
    entity_id INTEGER NOT NULL,
    payload   TEXT    NOT NULL
);

-- Full-text search over objectives, key results and people. The rowid encodes the
-- row: id * 4 + 1 (objective), + 2 (key result), + 3 (person), so triggers can
-- replace an entry without scanning. unicode61 with diacritics removed: "een"
-- finds "één", and Dutch and English are tokenised alike.
CREATE VIRTUAL TABLE search_index USING fts5 (
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER objectives_search_insert AFTER INSERT ON objectives BEGIN
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 4 + 1, new.title, coalesce(new.description, ''));
END;
CREATE TRIGGER objectives_search_update AFTER UPDATE OF title, description ON objectives BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 4 + 1, new.title, coalesce(new.description, ''));
END;
CREATE TRIGGER objectives_search_delete AFTER DELETE ON objectives BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
END;

CREATE TRIGGER key_results_search_insert AFTER INSERT ON key_results BEGIN
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 4 + 2, new.title, coalesce(new.unit_label, ''));
END;
CREATE TRIGGER key_results_search_update AFTER UPDATE OF title, unit_label ON key_results BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 4 + 2, new.title, coalesce(new.unit_label, ''));
END;
CREATE TRIGGER key_results_search_delete AFTER DELETE ON key_results BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
END;

CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 4 + 3, new.name, new.email);
END;
CREATE TRIGGER people_search_update AFTER UPDATE OF name, email ON people BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 4 + 3, new.name, new.email);
END;
CREATE TRIGGER people_search_delete AFTER DELETE ON people BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
END;
