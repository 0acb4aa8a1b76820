-- Objectives sit among their siblings by position. Positions now lie far apart,
-- so that a move between two neighbours changes the moved objective alone.
UPDATE objectives SET position = position * 1024;
