package dev.tenantplane.gateway.fleet;

import dev.tenantplane.gateway.fleet.FleetMigrationViews.CustomerOutcome;
import dev.tenantplane.gateway.fleet.FleetMigrationViews.FleetMigration;
import dev.tenantplane.gateway.fleet.FleetMigrationViews.Page;
import dev.tenantplane.gateway.fleet.FleetMigrationViews.Status;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads of the fleet migration records, with the reactive client; blocking. */
@ApplicationScoped
public class FleetMigrationQueries {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String RUNS =
      "SELECT m.id, m.requested_at, m.requested_by, m.max_concurrency, m.completed_at,"
          + " m.schema_version,"
          + " count(o.customer_id) FILTER (WHERE o.outcome = 'MIGRATED') AS migrated,"
          + " count(o.customer_id) FILTER (WHERE o.outcome = 'ALREADY_CURRENT') AS current,"
          + " count(o.customer_id) FILTER (WHERE o.outcome = 'FAILED') AS failed"
          + " FROM fleet_migration m"
          + " LEFT JOIN fleet_migration_outcome o ON o.migration_id = m.id";

  private final Pool pool;

  public FleetMigrationQueries(Pool pool) {
    this.pool = pool;
  }

  public Page list(int page, int size) {
    List<FleetMigration> items = new ArrayList<>();
    for (Row row :
        run(
            RUNS
                + " GROUP BY m.id ORDER BY coalesce(m.requested_at, m.completed_at) DESC, m.id"
                + " LIMIT $1 OFFSET $2",
            Tuple.of(size, page * size))) {
      items.add(view(row, null));
    }
    long total =
        run("SELECT count(*) FROM fleet_migration", Tuple.tuple()).iterator().next().getLong(0);
    return new Page(items, page, size, total);
  }

  /** One run with every customer's outcome, in customer id order. */
  public Optional<FleetMigration> find(UUID id) {
    var rows = run(RUNS + " WHERE m.id = $1 GROUP BY m.id", Tuple.of(id)).iterator();
    if (!rows.hasNext()) {
      return Optional.empty();
    }
    Row found = rows.next();
    List<CustomerOutcome> outcomes = new ArrayList<>();
    for (Row row :
        run(
            "SELECT customer_id, outcome, schema_version, reason FROM fleet_migration_outcome"
                + " WHERE migration_id = $1 ORDER BY customer_id",
            Tuple.of(id))) {
      outcomes.add(
          new CustomerOutcome(
              row.getString("customer_id"),
              row.getString("outcome"),
              row.getString("schema_version"),
              row.getString("reason")));
    }
    return Optional.of(view(found, outcomes));
  }

  private static FleetMigration view(Row row, List<CustomerOutcome> outcomes) {
    Instant completed = instant(row, "completed_at");
    return new FleetMigration(
        row.getUUID("id").toString(),
        completed == null ? Status.RUNNING : Status.COMPLETED,
        instant(row, "requested_at"),
        row.getString("requested_by"),
        row.getInteger("max_concurrency"),
        completed,
        row.getString("schema_version"),
        row.getLong("migrated").intValue(),
        row.getLong("current").intValue(),
        row.getLong("failed").intValue(),
        outcomes);
  }

  private RowSet<Row> run(String sql, Tuple params) {
    return pool.preparedQuery(sql).execute(params).await().atMost(WAIT);
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }
}
