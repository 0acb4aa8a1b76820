-- The quarterly cycle: a carried objective remembers the one it continues (once
-- each), and a calendar year or quarter exists once (so two nodes planning the
-- next quarter at the same moment make one). Conventions as in 0002.

ALTER TABLE objectives ADD COLUMN carried_from INTEGER REFERENCES objectives (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX objectives_carried_from ON objectives (carried_from);

CREATE UNIQUE INDEX periods_calendar ON periods (kind, starts_on) WHERE kind IN ('year', 'quarter');
