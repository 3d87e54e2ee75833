package dev.tenantplane.gateway.backups;

import dev.tenantplane.common.events.BackupCompleted;
import dev.tenantplane.common.events.BackupCompleted.TableRows;
import dev.tenantplane.common.events.BackupRequested;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.gateway.Sql;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/**
 * Writes the backup records; runs inside the caller's transaction: a request's with the outbox row
 * of its event, the outcome's with the projection's inbox row. Every write is keyed by the backup's
 * id, so a duplicate delivery changes nothing and a completion that overtook its request still
 * leaves one row.
 */
public final class BackupStore {
  private BackupStore() {}

  /** A backup the API accepted; {@code actor} is the asking token. */
  public static Uni<Void> requested(BackupRequested event, String actor) {
    return Sql.of(
            "INSERT INTO backup (id, customer_id, status, requested_at, requested_by)"
                + " VALUES (CAST(:id AS uuid), :customer, 'REQUESTED',"
                + " CAST(:at AS timestamptz), CAST(:actor AS text)) ON CONFLICT (id) DO NOTHING")
        .bind("id", event.backupId())
        .bind("customer", event.customerId())
        .bind("at", Sql.utc(event.meta().time()))
        .bind("actor", actor)
        .update()
        .replaceWithVoid();
  }

  /** What a lifecycle event says about a backup, if anything. */
  public static Uni<Void> apply(LifecycleEvent event) {
    if (event instanceof BackupRequested requested) {
      return requested(requested, null);
    }
    if (event instanceof BackupCompleted completed) {
      return completed(completed);
    }
    if (event instanceof StepFailed failed && failed.step() == Step.BACKUP && !failed.retryable()) {
      return failed(failed);
    }
    return Uni.createFrom().voidItem();
  }

  private static Uni<Void> completed(BackupCompleted event) {
    return Sql.of(
            "INSERT INTO backup (id, customer_id, status, requested_at, completed_at,"
                + " database_path, database_bytes, database_sha256, redis_path, redis_bytes,"
                + " redis_sha256, schema_version, restored_tables, restored_rows)"
                + " VALUES (CAST(:id AS uuid), :customer,"
                + " 'COMPLETED', CAST(:at AS timestamptz), CAST(:at AS timestamptz), :dbPath,"
                + " :dbBytes, :dbSha, :redisPath, :redisBytes, :redisSha,"
                + " CAST(:version AS text), CAST(:tables AS integer), CAST(:rows AS bigint))"
                + " ON CONFLICT (id) DO UPDATE SET status = 'COMPLETED',"
                + " completed_at = excluded.completed_at, database_path = excluded.database_path,"
                + " database_bytes = excluded.database_bytes,"
                + " database_sha256 = excluded.database_sha256,"
                + " redis_path = excluded.redis_path, redis_bytes = excluded.redis_bytes,"
                + " redis_sha256 = excluded.redis_sha256,"
                + " schema_version = excluded.schema_version,"
                + " restored_tables = excluded.restored_tables,"
                + " restored_rows = excluded.restored_rows, error = NULL"
                + " WHERE backup.status <> 'PRUNED'")
        .bind("id", event.backupId())
        .bind("customer", event.customerId())
        .bind("at", Sql.utc(event.meta().time()))
        .bind("dbPath", event.database().path())
        .bind("dbBytes", event.database().bytes())
        .bind("dbSha", event.database().sha256())
        .bind("redisPath", event.redis().path())
        .bind("redisBytes", event.redis().bytes())
        .bind("redisSha", event.redis().sha256())
        .bind("version", event.schemaVersion())
        .bind("tables", event.restoredRows().isEmpty() ? null : event.restoredRows().size())
        .bind(
            "rows",
            event.restoredRows().isEmpty()
                ? null
                : event.restoredRows().stream().mapToLong(TableRows::rows).sum())
        .update()
        .chain(() -> pruned(event))
        .replaceWithVoid();
  }

  /** The older backups whose files the completed one's step deleted. */
  private static Uni<Integer> pruned(BackupCompleted event) {
    if (event.pruned().isEmpty()) {
      return Uni.createFrom().item(0);
    }
    return Sql.of(
            "UPDATE backup SET status = 'PRUNED', pruned_at = CAST(:at AS timestamptz)"
                + " WHERE customer_id = :customer AND status <> 'PRUNED'"
                + " AND CAST(id AS text) IN (:ids)")
        .bind("at", Sql.utc(event.meta().time()))
        .bind("customer", event.customerId())
        .bind("ids", event.pruned().stream().map(UUID::toString).toList())
        .update();
  }

  /**
   * Inside the caller's transaction: the customer's COMPLETED backups after its newest {@code
   * kept}, which a new backup pushes out of retention.
   */
  public static Uni<List<UUID>> outsideRetention(String customerId, int kept) {
    return Sql.of(
            "SELECT CAST(id AS text), completed_at FROM backup WHERE customer_id = :customer"
                + " AND status = 'COMPLETED' ORDER BY completed_at DESC, id OFFSET :kept")
        .bind("customer", customerId)
        .bind("kept", kept)
        .rows()
        .map(rows -> rows.stream().map(row -> UUID.fromString(String.valueOf(row[0]))).toList());
  }

  /** A final failure; a backup that completed meanwhile (a redelivered request) stays completed. */
  private static Uni<Void> failed(StepFailed event) {
    return Sql.of(
            "INSERT INTO backup (id, customer_id, status, requested_at, error)"
                + " VALUES (CAST(:id AS uuid), :customer, 'FAILED', CAST(:at AS timestamptz),"
                + " :error) ON CONFLICT (id) DO UPDATE SET status = 'FAILED',"
                + " error = excluded.error WHERE backup.status <> 'COMPLETED'")
        .bind("id", event.meta().correlationId())
        .bind("customer", event.customerId())
        .bind("at", Sql.utc(event.meta().time()))
        .bind("error", event.reason())
        .update()
        .replaceWithVoid();
  }
}
