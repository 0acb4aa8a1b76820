-- A comment may answer a check-in: the conversation around a weekly number.
ALTER TABLE comments ADD COLUMN check_in_id BIGINT REFERENCES check_ins (id) ON DELETE SET NULL;
