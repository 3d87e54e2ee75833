package dev.tenantplane.gateway.backups;

import dev.tenantplane.common.events.BackupRequested;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.gateway.GatewaySettings.PlanPolicy;
import dev.tenantplane.gateway.Sql;
import dev.tenantplane.gateway.audit.Audit;
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
 * The backup commands: take one (asked for, or due on its plan's schedule), restore one into its
 * customer or into another (a clone); all for READY customers only. A new backup names the
 * completed ones its plan's retention then leaves out, for the provisioner to delete once the new
 * one is verified.
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
                    backupOf(id, backupId)
                        .chain(
                            backup -> restoreFrom(id, generation, null, backupId, backup, actor))));
  }

  /**
   * Emits RestoreRequested for {@code target}, naming {@code source} and one of the source's
   * COMPLETED backups: the source's data restored into the target's stack (a clone). The target
   * must be READY (its row locked, as for its own restore) on a plan at least the source's ({@link
   * #holds}); the source may be in any state that still keeps its backup files (not DEPROVISIONING
   * or DEPROVISIONED). The source's audit trail records it too. Blocking.
   */
  public Outcome restoreInto(String target, String source, UUID backupId, String actor) {
    return transaction.run(
        () ->
            Sql.of("SELECT status, plan FROM customer WHERE id = :id")
                .bind("id", source)
                .rows()
                .chain(
                    sourceRows -> {
                      if (sourceRows.isEmpty()) {
                        return CustomerCommands.refused(Result.NOT_FOUND, "no customer " + source);
                      }
                      CustomerStatus sourceStatus =
                          CustomerStatus.valueOf((String) sourceRows.get(0)[0]);
                      if (sourceStatus == CustomerStatus.DEPROVISIONING
                          || sourceStatus == CustomerStatus.DEPROVISIONED) {
                        return CustomerCommands.refused(
                            Result.CONFLICT,
                            "customer "
                                + source
                                + " is "
                                + sourceStatus
                                + "; its backups go with its data");
                      }
                      String sourcePlan = (String) sourceRows.get(0)[1];
                      return transaction.whenStatus(
                          target,
                          "a restore of " + source + "'s backup into it",
                          status -> status == CustomerStatus.READY,
                          generation ->
                              planOf(target)
                                  .chain(
                                      targetPlan ->
                                          cloneInto(
                                              target,
                                              generation,
                                              targetPlan,
                                              source,
                                              sourcePlan,
                                              backupId,
                                              actor)));
                    }));
  }

  private Uni<Outcome> cloneInto(
      String target,
      int generation,
      String targetPlan,
      String source,
      String sourcePlan,
      UUID backupId,
      String actor) {
    if (!holds(targetPlan, sourcePlan)) {
      return CustomerCommands.refused(
          Result.CONFLICT,
          "customer "
              + target
              + " is on plan "
              + targetPlan
              + ", smaller than "
              + source
              + "'s "
              + sourcePlan
              + ": its database and Redis might not hold the source's data");
    }
    return backupOf(source, backupId)
        .chain(backup -> restoreFrom(target, generation, source, backupId, backup, actor))
        .call(
            outcome ->
                outcome.result() == Result.ACCEPTED
                    ? Audit.record(
                        actor,
                        "restore-copied",
                        source,
                        outcome.event().meta().eventId(),
                        "backup=" + backupId + " target=" + target)
                    : Uni.createFrom().voidItem());
  }

  /**
   * Whether a stack on plan {@code target} holds the data of one on plan {@code source}: its
   * database and Redis get at least the memory the source's have. Redis keeps its whole snapshot in
   * memory, so a bigger plan's snapshot could leave a smaller plan's Redis unable to load it
   * (killed for memory, the target down); the database's working set likewise. Unknown plans never
   * hold.
   */
  static boolean holds(String target, String source) {
    Optional<Plan> to = Plan.ofWireName(target);
    Optional<Plan> from = Plan.ofWireName(source);
    return to.isPresent()
        && from.isPresent()
        && to.get().database().memoryMiB() >= from.get().database().memoryMiB()
        && to.get().redis().memoryMiB() >= from.get().redis().memoryMiB();
  }

  private static Uni<List<Object[]>> backupOf(String id, UUID backupId) {
    return Sql.of(
            "SELECT status, schema_version, database_sha256, redis_sha256 FROM backup"
                + " WHERE id = CAST(:backup AS uuid) AND customer_id = :id")
        .bind("backup", backupId)
        .bind("id", id)
        .rows();
  }

  /**
   * The restore of {@code backup} (the row of {@code source}'s backup, or of {@code target}'s own
   * when {@code source} is null) into {@code target}.
   */
  private Uni<Outcome> restoreFrom(
      String target,
      int generation,
      String source,
      UUID backupId,
      List<Object[]> backup,
      String actor) {
    String owner = source == null ? target : source;
    if (backup.isEmpty()) {
      return CustomerCommands.refused(
          Result.NOT_FOUND, "customer " + owner + " has no backup " + backupId);
    }
    String status = (String) backup.get(0)[0];
    if (!BackupViews.Status.COMPLETED.name().equals(status)) {
      return CustomerCommands.refused(
          Result.CONFLICT,
          "backup " + backupId + " is " + status + "; only a COMPLETED one restores");
    }
    String backupVersion = (String) backup.get(0)[1];
    return Sql.of("SELECT schema_version, id FROM customer WHERE id = :id")
        .bind("id", target)
        .rows()
        .chain(
            live -> {
              String liveVersion = (String) live.get(0)[0];
              if (SchemaVersions.newer(backupVersion, liveVersion)) {
                return CustomerCommands.refused(
                    Result.CONFLICT,
                    "backup "
                        + backupId
                        + " is at schema version "
                        + backupVersion
                        + ", newer than customer "
                        + target
                        + "'s database ("
                        + liveVersion
                        + "): the migrations cannot go back");
              }
              return emitRestore(target, generation, source, backupId, backup, actor);
            });
  }

  private Uni<Outcome> emitRestore(
      String target,
      int generation,
      String source,
      UUID backupId,
      List<Object[]> backup,
      String actor) {
    RestoreRequested event =
        new RestoreRequested(
            EventMeta.start(target, generation, clock),
            backupId,
            (String) backup.get(0)[1],
            (String) backup.get(0)[2],
            (String) backup.get(0)[3],
            source);
    String detail = "backup=" + backupId + (source == null ? "" : " source=" + source);
    return transaction.emit(event, actor, "restore-requested", detail);
  }
}
