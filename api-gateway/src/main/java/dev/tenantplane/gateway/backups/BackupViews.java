package dev.tenantplane.gateway.backups;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** What the API shows of backups. */
public final class BackupViews {
  private BackupViews() {}

  /**
   * REQUESTED until the provisioner reports it, then COMPLETED or FAILED; a COMPLETED one is PRUNED
   * (its files deleted) once newer ones fill its plan's retention.
   */
  public enum Status {
    REQUESTED,
    COMPLETED,
    FAILED,
    PRUNED
  }

  /**
   * One backup. {@code database} and {@code redis} once it completed; {@code schemaVersion} is the
   * tenant schema's version at the dump (absent before the first migration); {@code error} only for
   * a failure; {@code prunedAt} once its files are gone. {@code requestedBy} is the asking token,
   * or {@code schedule}. {@code restoreRehearsal} is what its archive gave back in a scratch
   * database, which matched the archive table by table.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Backup(
      String id,
      String customerId,
      Status status,
      Instant requestedAt,
      String requestedBy,
      Instant completedAt,
      String schemaVersion,
      File database,
      File redis,
      Rehearsal restoreRehearsal,
      Instant prunedAt,
      String error) {}

  /** A restore rehearsal: the tables and rows the archive gave back in a scratch database. */
  public record Rehearsal(int tables, long rows) {}

  /** One file of a backup: where the provisioner wrote it, its size and its SHA-256 (hex). */
  public record File(String path, long bytes, String sha256) {}

  /** A customer's backups, newest first. */
  public record Page(List<Backup> items, int page, int size, long total) {}
}
