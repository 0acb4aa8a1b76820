-- A metric may be a duration: its values are seconds, written 2:37 or 1:05:00.
-- PostgreSQL twin of the SQLite migration.
ALTER TABLE key_results ADD COLUMN notation TEXT CHECK (notation IN ('duration'));
