package dev.tenantplane.gateway.customers;

import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.gateway.Sql;
import io.smallrye.mutiny.Uni;

/**
 * Starts the next generation of a customer id whose row exists: the row is reset to REQUESTED in
 * the run of {@code event}, with nothing of the ended life's status, health or errors. Runs inside
 * the command's transaction, on the row its caller locked.
 */
final class CustomerLives {
  private static final String NEW_LIFE =
      "UPDATE customer SET status = 'REQUESTED', status_rank = 10,"
          + " status_time = CAST(:time AS timestamptz), status_run = CAST(:run AS uuid),"
          + " generation = :generation, failed_step = NULL, failed_event_id = NULL,"
          + " health = NULL, health_component = NULL, health_error = NULL, health_time = NULL,"
          + " last_error_step = NULL, last_error_reason = NULL, last_error_attempt = NULL,"
          + " last_error_time = NULL, archive_backup_file = NULL, archived_volumes = NULL,"
          + " updated_at = now()";

  private CustomerLives() {}

  /** A purged id requested again: a new customer under it, with its own name, plan and port. */
  static Uni<Void> renew(
      String id, String name, String plan, Integer port, CustomerRequested event) {
    return bind(
            NEW_LIFE
                + ", name = :name, plan = :plan, requested_port = CAST(:port AS integer),"
                + " app_port = NULL, database_port = NULL, redis_port = NULL,"
                + " schema_version = NULL,"
                + " created_at = now() WHERE id = :id",
            id,
            event)
        .bind("name", name)
        .bind("plan", plan)
        .bind("port", port)
        .update()
        .replaceWithVoid();
  }

  /**
   * An archived customer brought back: its name, plan and ports stay, as its data and allocation
   * did; what its archive held is no longer an archive.
   */
  static Uni<Void> bringBack(String id, CustomerRequested event) {
    return bind(NEW_LIFE + " WHERE id = :id", id, event).update().replaceWithVoid();
  }

  private static Sql bind(String sql, String id, CustomerRequested event) {
    return Sql.of(sql)
        .bind("id", id)
        .bind("time", Sql.utc(event.meta().time()))
        .bind("run", event.meta().correlationId())
        .bind("generation", event.meta().generation());
  }
}
