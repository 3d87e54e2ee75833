package dev.tenantplane.gateway.backups;

import dev.tenantplane.common.events.BackupRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.gateway.GatewaySettings.PlanPolicy;
import dev.tenantplane.gateway.Sql;
import dev.tenantplane.gateway.customers.CommandTransaction;
import dev.tenantplane.gateway.customers.CustomerCommands;
import dev.tenantplane.gateway.customers.CustomerCommands.Outcome;
import dev.tenantplane.gateway.customers.CustomerCommands.Result;
import dev.tenantplane.gateway.projection.CustomerStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The backup commands: take one (asked for, or due on its plan's schedule), restore one; all for
 * READY customers only. A new backup names the completed ones its plan's retention then leaves out,
 * for the provisioner to delete once the new one is verified.
 */
@ApplicationScoped
public class BackupCommands {
  /** The actor of a backup the schedule requested, in the backup list and the audit trail. */
  public static final String SCHEDULE = "schedule";

  private final CommandTransaction transaction;
  private final BackupPlans plans;
  private final Clock clock;

  public BackupCommands(CommandTransaction transaction, BackupPlans plans, Clock clock) {
    this.transaction = transaction;
    this.plans = plans;
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
                generation ->
                    planOf(id).chain(plan -> request(id, generation, actor, plans.of(plan)))));
  }

  /**
   * The scheduled backup of a READY customer whose plan's period has passed since its last backup
   * (or its creation) at {@code now}; CONFLICT when it is not due. The customer's row is locked
   * before the check, so schedules running on several gateways request one backup per period.
   * Blocking.
   */
  public Outcome scheduled(String id, Instant now) {
    return transaction.run(
        () ->
            transaction.whenStatus(
                id,
                "a scheduled backup",
                status -> status == CustomerStatus.READY,
                generation -> requestIfDue(id, generation, now)));
  }

  private Uni<Outcome> requestIfDue(String id, int generation, Instant now) {
    return Sql.of(
            "SELECT c.plan, CAST(EXTRACT(EPOCH FROM COALESCE((SELECT max(b.requested_at)"
                + " FROM backup b WHERE b.customer_id = c.id), c.created_at)) * 1000 AS bigint)"
                + " FROM customer c WHERE c.id = :id")
        .bind("id", id)
        .rows()
        .chain(
            rows -> {
              Optional<PlanPolicy> policy = plans.of((String) rows.get(0)[0]);
              Instant last = Instant.ofEpochMilli(((Number) rows.get(0)[1]).longValue());
              if (policy.isEmpty() || last.plus(policy.get().every()).isAfter(now)) {
                return CustomerCommands.refused(
                    Result.CONFLICT,
                    "customer " + id + " has no backup due (last at " + last + ")");
              }
              return request(id, generation, SCHEDULE, policy);
            });
  }

  private static Uni<String> planOf(String id) {
    return Sql.of("SELECT plan, id FROM customer WHERE id = :id")
        .bind("id", id)
        .rows()
        .map(rows -> (String) rows.get(0)[0]);
  }

  private Uni<Outcome> request(
      String id, int generation, String actor, Optional<PlanPolicy> policy) {
    Uni<List<UUID>> prune =
        policy.isEmpty()
            ? Uni.createFrom().item(List.of())
            : BackupStore.outsideRetention(id, policy.get().keep() - 1);
    return prune.chain(
        old -> {
          BackupRequested event = new BackupRequested(EventMeta.start(id, generation, clock), old);
          return BackupStore.requested(event, actor)
              .chain(() -> transaction.emit(event, actor, "backup-requested", pruneDetail(old)));
        });
  }

  private static String pruneDetail(List<UUID> old) {
    return old.isEmpty() ? null : "prune=" + old;
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
                generation ->
                    Sql.of(
                            "SELECT status, schema_version, database_sha256, redis_sha256 FROM backup"
                                + " WHERE id = CAST(:backup AS uuid) AND customer_id = :id")
                        .bind("backup", backupId)
                        .bind("id", id)
                        .rows()
                        .chain(backup -> restoreFrom(id, generation, backupId, backup, actor))));
  }

  private Uni<Outcome> restoreFrom(
      String id, int generation, UUID backupId, List<Object[]> backup, String actor) {
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
            EventMeta.start(id, generation, clock),
            backupId,
            (String) backup.get(0)[1],
            (String) backup.get(0)[2],
            (String) backup.get(0)[3]);
    return transaction.emit(event, actor, "restore-requested", "backup=" + backupId);
  }
}
