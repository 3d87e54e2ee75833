package dev.tenantplane.gateway.backups;

import dev.tenantplane.common.events.BackupRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.gateway.Sql;
import dev.tenantplane.gateway.customers.CommandTransaction;
import dev.tenantplane.gateway.customers.CustomerCommands;
import dev.tenantplane.gateway.customers.CustomerCommands.Outcome;
import dev.tenantplane.gateway.customers.CustomerCommands.Result;
import dev.tenantplane.gateway.projection.CustomerStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** The API's backup commands: take one, restore one; both for READY customers only. */
@ApplicationScoped
public class BackupCommands {
  private final CommandTransaction transaction;
  private final Clock clock;

  public BackupCommands(CommandTransaction transaction, Clock clock) {
    this.transaction = transaction;
    this.clock = clock;
  }

  /** Records the backup as REQUESTED and emits BackupRequested. Blocking. */
  public Outcome backup(String id, String actor) {
    return transaction.run(
        () ->
            transaction.whenStatus(
                id,
                "backup",
                status -> status == CustomerStatus.READY,
                () -> {
                  BackupRequested event = new BackupRequested(EventMeta.start(id, clock));
                  return BackupStore.requested(event, actor)
                      .chain(() -> transaction.emit(event, actor, "backup-requested", null));
                }));
  }

  /**
   * Emits RestoreRequested for one of the customer's COMPLETED backups, with the checksums recorded
   * for its files; NOT_FOUND for a backup the customer does not have. Blocking.
   */
  public Outcome restore(String id, UUID backupId, String actor) {
    return transaction.run(
        () ->
            transaction.whenStatus(
                id,
                "restore",
                status -> status == CustomerStatus.READY,
                () ->
                    Sql.of(
                            "SELECT status, schema_version, database_sha256, redis_sha256 FROM backup"
                                + " WHERE id = CAST(:backup AS uuid) AND customer_id = :id")
                        .bind("backup", backupId)
                        .bind("id", id)
                        .rows()
                        .chain(backup -> restoreFrom(id, backupId, backup, actor))));
  }

  private Uni<Outcome> restoreFrom(String id, UUID backupId, List<Object[]> backup, String actor) {
    if (backup.isEmpty()) {
      return CustomerCommands.refused(
          Result.NOT_FOUND, "customer " + id + " has no backup " + backupId);
    }
    String status = (String) backup.get(0)[0];
    if (!BackupViews.Status.COMPLETED.name().equals(status)) {
      return CustomerCommands.refused(
          Result.CONFLICT,
          "backup " + backupId + " is " + status + "; only a COMPLETED one restores");
    }
    RestoreRequested event =
        new RestoreRequested(
            EventMeta.start(id, clock),
            backupId,
            (String) backup.get(0)[1],
            (String) backup.get(0)[2],
            (String) backup.get(0)[3]);
    return transaction.emit(event, actor, "restore-requested", "backup=" + backupId);
  }
}
