package dev.tenantplane.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;

/**
 * A backup was written and verified: {@code database} is a custom-format {@code pg_dump} archive
 * that restored into a scratch database, {@code redis} an RDB snapshot that {@code redis-check-rdb}
 * accepts. {@code schemaVersion} is the tenant schema's Flyway version at the time of the dump, or
 * null for a database no migration has reached yet. {@code pruned} are the older backups of the
 * request's {@code prune} list whose files are now gone.
 *
 * <p>{@code restoredRows} (added within v1; absent reads as empty, empty is not written) is the
 * rehearsal of a restore: the archive restored into a scratch database, each table with the rows it
 * got there, which matched the rows the archive holds.
 */
public record BackupCompleted(
    EventMeta meta,
    BackupFile database,
    BackupFile redis,
    String schemaVersion,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<UUID> pruned,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TableRows> restoredRows)
    implements LifecycleEvent {
  public BackupCompleted {
    pruned = pruned == null ? List.of() : List.copyOf(pruned);
    restoredRows = restoredRows == null ? List.of() : List.copyOf(restoredRows);
  }

  /** An event without a restore rehearsal, as producers before it sent it. */
  public BackupCompleted(
      EventMeta meta,
      BackupFile database,
      BackupFile redis,
      String schemaVersion,
      List<UUID> pruned) {
    this(meta, database, redis, schemaVersion, pruned, List.of());
  }

  /**
   * A table of the tenant's database (schema-qualified, quoted as PostgreSQL quotes identifiers).
   */
  public record TableRows(String table, long rows) {}

  /** The id of the backup, the run's correlation id (see {@link BackupRequested}). */
  public UUID backupId() {
    return meta.correlationId();
  }
}
