-- Units are found by name too.
ALTER TABLE org_units ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', name)) STORED;
CREATE INDEX org_units_search ON org_units USING gin (search);
