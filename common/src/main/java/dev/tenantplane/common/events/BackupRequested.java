package dev.tenantplane.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;

/**
 * An operator or the schedule asked for a backup of the customer's PostgreSQL and Redis. The
 * backup's id is the run's correlation id, so the step's StepFailed and BackupCompleted name the
 * same backup. {@code prune} lists the customer's older backups that fall outside its plan's
 * retention once this one is written and verified; they are deleted only then, so a backup that
 * fails prunes nothing. An event without the field (written before retention existed) prunes
 * nothing.
 */
public record BackupRequested(
    EventMeta meta, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<UUID> prune)
    implements LifecycleEvent {
  public BackupRequested {
    prune = prune == null ? List.of() : List.copyOf(prune);
  }

  /** The id of the backup this request starts. */
  public UUID backupId() {
    return meta.correlationId();
  }
}
