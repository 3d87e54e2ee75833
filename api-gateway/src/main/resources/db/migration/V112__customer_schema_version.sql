-- The schema version the customer's database was last migrated to (its DatabaseMigrated, or a
-- fleet run that migrated it): a restore of a backup taken at a newer version is refused at the
-- API, before anything is asked of the stack.
ALTER TABLE customer ADD COLUMN schema_version TEXT;
