package dev.tenantplane.common.events;

import java.util.UUID;

/**
 * The customer's PostgreSQL and Redis hold backup {@code backupId} again, its containers run, and
 * the schema is at {@code schemaVersion} (the backup's, null before any migration) until the
 * migrator brings it forward: the provisioner emits ContainersStarted with this event, so the stack
 * goes through migration, routing and the first healthy probe as a new one does.
 */
public record BackupRestored(EventMeta meta, UUID backupId, String schemaVersion)
    implements LifecycleEvent {}
