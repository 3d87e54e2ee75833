-- The restore rehearsal of a completed backup: how many tables and rows its archive gave back in a
-- scratch database (equal, table by table, to what the archive holds). NULL for a backup reported
-- before rehearsals.
ALTER TABLE backup ADD COLUMN restored_tables INTEGER;
ALTER TABLE backup ADD COLUMN restored_rows BIGINT;
