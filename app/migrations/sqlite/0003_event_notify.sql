-- SQLite runs in one process: the writer wakes its own listeners after each
-- commit, so there is nothing to add to the schema. This keeps both databases at
-- the same schema version.
SELECT 1;
