-- Units are found by name too: their search entries use the fourth rowid slot,
-- id * 4 (objectives + 1, key results + 2, people + 3).
INSERT INTO search_index (rowid, title, body) SELECT id * 4, name, '' FROM org_units;

CREATE TRIGGER org_units_search_insert AFTER INSERT ON org_units BEGIN
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 4, new.name, '');
END;
CREATE TRIGGER org_units_search_update AFTER UPDATE OF name ON org_units BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4;
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 4, new.name, '');
END;
CREATE TRIGGER org_units_search_delete AFTER DELETE ON org_units BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4;
END;
