-- What an archived customer (deprovisioned without purge) still holds: the backup taken before its
-- containers went, and its kept volumes with the space each used then, as
-- [{"name": ..., "bytes": ...}]. Both are cleared when the customer is purged.
ALTER TABLE customer ADD COLUMN archive_backup_file TEXT;
ALTER TABLE customer ADD COLUMN archived_volumes JSONB;
