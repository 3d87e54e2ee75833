-- The life of the customer's id a row describes: 1 for its first, one more each time the id is
-- provisioned again (after a purge, or brought back from ARCHIVED). Events of an earlier
-- generation are kept in the timeline, with theirs, and change nothing else.
ALTER TABLE customer ADD COLUMN generation INTEGER NOT NULL DEFAULT 1;
ALTER TABLE timeline ADD COLUMN generation INTEGER NOT NULL DEFAULT 1;
