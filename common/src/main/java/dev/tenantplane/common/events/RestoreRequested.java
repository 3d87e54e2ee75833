package dev.tenantplane.common.events;

import java.util.UUID;

/**
 * An operator asked for the customer's stack to be put back to backup {@code backupId}: its
 * PostgreSQL and Redis replaced by the backup's, then migrated to the current schema. {@code
 * schemaVersion} (null before any migration) and the two checksums are the ones recorded when the
 * backup was written; a file that no longer matches, or a backup at a schema newer than the live
 * database's, is not restored.
 */
public record RestoreRequested(
    EventMeta meta, UUID backupId, String schemaVersion, String databaseSha256, String redisSha256)
    implements LifecycleEvent {}
