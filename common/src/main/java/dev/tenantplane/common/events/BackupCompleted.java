package dev.tenantplane.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;

/**
 * A backup was written and verified: {@code database} is a custom-format {@code pg_dump} archive
 * that {@code pg_restore --list} reads, {@code redis} an RDB snapshot that {@code redis-check-rdb}
 * accepts. {@code schemaVersion} is the tenant schema's Flyway version at the time of the dump, or
 * null for a database no migration has reached yet. {@code pruned} are the older backups of the
 * request's {@code prune} list whose files are now gone.
 */
public record BackupCompleted(
    EventMeta meta,
    BackupFile database,
    BackupFile redis,
    String schemaVersion,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<UUID> pruned)
    implements LifecycleEvent {
  public BackupCompleted {
    pruned = pruned == null ? List.of() : List.copyOf(pruned);
  }

  /** The id of the backup, the run's correlation id (see {@link BackupRequested}). */
  public UUID backupId() {
    return meta.correlationId();
  }
}
