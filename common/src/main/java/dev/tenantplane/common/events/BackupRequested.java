package dev.tenantplane.common.events;

import java.util.UUID;

/**
 * An operator asked for a backup of the customer's PostgreSQL and Redis. The backup's id is the
 * run's correlation id, so the step's StepFailed and BackupCompleted name the same backup.
 */
public record BackupRequested(EventMeta meta) implements LifecycleEvent {
  /** The id of the backup this request starts. */
  public UUID backupId() {
    return meta.correlationId();
  }
}
