package dev.tenantplane.common.events;

import java.util.UUID;

/**
 * An operator asked for the customer's stack to be put back to backup {@code backupId}: its
 * PostgreSQL and Redis replaced by the backup's, then migrated to the current schema. The two
 * checksums are the ones recorded when the backup was written; a file that no longer matches is not
 * restored.
 */
public record RestoreRequested(
    EventMeta meta, UUID backupId, String databaseSha256, String redisSha256)
    implements LifecycleEvent {}
