package dev.tenantplane.gateway.backups;

import dev.tenantplane.common.events.BackupCompleted;
import dev.tenantplane.common.events.BackupRequested;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.events.Step;
import dev.tenantplane.common.events.StepFailed;
import dev.tenantplane.gateway.Sql;
import io.smallrye.mutiny.Uni;

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
                + " redis_sha256, schema_version) VALUES (CAST(:id AS uuid), :customer,"
                + " 'COMPLETED', CAST(:at AS timestamptz), CAST(:at AS timestamptz), :dbPath,"
                + " :dbBytes, :dbSha, :redisPath, :redisBytes, :redisSha,"
                + " CAST(:version AS text)) ON CONFLICT (id) DO UPDATE SET status = 'COMPLETED',"
                + " completed_at = excluded.completed_at, database_path = excluded.database_path,"
                + " database_bytes = excluded.database_bytes,"
                + " database_sha256 = excluded.database_sha256,"
                + " redis_path = excluded.redis_path, redis_bytes = excluded.redis_bytes,"
                + " redis_sha256 = excluded.redis_sha256,"
                + " schema_version = excluded.schema_version, error = NULL")
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
        .update()
        .replaceWithVoid();
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
