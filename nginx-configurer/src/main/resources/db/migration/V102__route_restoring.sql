-- A customer being restored answers 503 like a suspended one, until the restore's migration
-- publishes its route again (or the restore fails for good).
ALTER TABLE routes ADD COLUMN restoring boolean NOT NULL DEFAULT false;
