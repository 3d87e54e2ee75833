package dev.tenantplane.gateway.fleet;

import dev.tenantplane.common.events.FleetMigrationCompleted;
import dev.tenantplane.common.events.FleetMigrationCompleted.CustomerOutcome;
import dev.tenantplane.common.events.FleetMigrationCompleted.Outcome;
import dev.tenantplane.common.events.FleetMigrationRequested;
import dev.tenantplane.gateway.Sql;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/**
 * Writes the fleet migration records; runs inside the caller's transaction: the request's with the
 * outbox row of its event, the report's with the inbox row of the migrator's event.
 */
public final class FleetMigrationStore {
  private FleetMigrationStore() {}

  /** A fleet run the API accepted, under the id of its FleetMigrationRequested. */
  public static Uni<Void> requested(FleetMigrationRequested event, String actor) {
    return Sql.of(
            "INSERT INTO fleet_migration (id, requested_at, requested_by, max_concurrency)"
                + " VALUES (CAST(:id AS uuid), CAST(:at AS timestamptz), :actor, :concurrency)")
        .bind("id", event.meta().eventId())
        .bind("at", Sql.utc(event.meta().time()))
        .bind("actor", actor)
        .bind("concurrency", event.maxConcurrency())
        .update()
        .replaceWithVoid();
  }

  /**
   * The migrator's report of a run. Its cause is the request; a report whose request this gateway
   * never recorded (one made before it kept fleet runs) gets a row of its own with no requester.
   */
  public static Uni<Void> completed(FleetMigrationCompleted event) {
    UUID run =
        event.meta().causationId() == null
            ? event.meta().correlationId()
            : event.meta().causationId();
    Uni<Integer> row =
        Sql.of(
                "INSERT INTO fleet_migration (id, completed_at, schema_version)"
                    + " VALUES (CAST(:id AS uuid), CAST(:at AS timestamptz), :version)"
                    + " ON CONFLICT (id) DO UPDATE SET completed_at = excluded.completed_at,"
                    + " schema_version = excluded.schema_version")
            .bind("id", run)
            .bind("at", Sql.utc(event.meta().time()))
            .bind("version", event.schemaVersion())
            .update();
    for (CustomerOutcome outcome : outcomesOf(event)) {
      row = row.chain(() -> outcome(run, outcome));
    }
    return row.replaceWithVoid();
  }

  /** The outcomes, or for a producer that sent none, the failed customers as failures. */
  private static List<CustomerOutcome> outcomesOf(FleetMigrationCompleted event) {
    if (!event.outcomes().isEmpty()) {
      return event.outcomes();
    }
    return event.failedCustomers().stream()
        .map(id -> new CustomerOutcome(id, Outcome.FAILED, null, null))
        .toList();
  }

  private static Uni<Integer> outcome(UUID run, CustomerOutcome outcome) {
    return Sql.of(
            "INSERT INTO fleet_migration_outcome (migration_id, customer_id, outcome,"
                + " schema_version, reason) VALUES (CAST(:run AS uuid), :customer, :outcome,"
                + " CAST(:version AS text), CAST(:reason AS text))"
                + " ON CONFLICT (migration_id, customer_id) DO UPDATE SET outcome ="
                + " excluded.outcome, schema_version = excluded.schema_version,"
                + " reason = excluded.reason")
        .bind("run", run)
        .bind("customer", outcome.customerId())
        .bind("outcome", outcome.outcome().name())
        .bind("version", outcome.schemaVersion())
        .bind("reason", outcome.reason())
        .update()
        .chain(
            rows ->
                outcome.outcome() == Outcome.FAILED || outcome.schemaVersion() == null
                    ? Uni.createFrom().item(rows)
                    // What the run left the customer's database at, as its DatabaseMigrated would.
                    : Sql.of(
                            "UPDATE customer SET schema_version = :version, updated_at = now()"
                                + " WHERE id = :customer AND status <> 'DEPROVISIONED'")
                        .bind("version", outcome.schemaVersion())
                        .bind("customer", outcome.customerId())
                        .update());
  }
}
