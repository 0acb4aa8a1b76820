-- Wakes every app node listening on "cairn_events" when events are committed.
-- PostgreSQL delivers notifications at commit, and only for committed work; the
-- listeners then read the events table, which stays the source of truth.
CREATE FUNCTION cairn_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cairn_events', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_notify AFTER INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION cairn_notify_events();
