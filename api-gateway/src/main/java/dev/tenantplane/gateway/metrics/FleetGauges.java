package dev.tenantplane.gateway.metrics;

import dev.tenantplane.common.events.EventType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * What the projection knows of the fleet, on the metrics page: {@code
 * tenantplane_customers{status}}, {@code tenantplane_dead_letters_unreplayed} and, per customer
 * that became READY, {@code tenantplane_customer_provisioning_seconds{customer}} (from its request
 * to its latest CustomerReady). Read from the projection's tables every {@code
 * fleet-gauge-interval}, so every gateway instance shows the same values and a restart loses none.
 */
@ApplicationScoped
public class FleetGauges {
  private static final Logger LOG = Logger.getLogger(FleetGauges.class);
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final Pool pool;
  private final MeterRegistry metrics;
  private final Gauge deadLetters;
  private final AtomicLong unreplayed = new AtomicLong();
  private final MultiGauge customers;
  private final MultiGauge provisioning;

  public FleetGauges(Pool pool, MeterRegistry metrics) {
    this.pool = pool;
    this.metrics = metrics;
    deadLetters =
        Gauge.builder("tenantplane.dead.letters.unreplayed", unreplayed, AtomicLong::get)
            .description("dead letters no operator has replayed")
            .strongReference(true)
            .register(metrics);
    customers =
        MultiGauge.builder("tenantplane.customers")
            .description("customers in each status")
            .register(metrics);
    provisioning =
        MultiGauge.builder("tenantplane.customer.provisioning")
            .description("time from the customer's request to its latest CustomerReady")
            .baseUnit("seconds")
            .register(metrics);
  }

  @Scheduled(
      every = "${tenantplane.gateway.fleet-gauge-interval:15s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    try {
      unreplayed.set(
          query("SELECT count(*) FROM dead_letter WHERE replayed_at IS NULL", Tuple.tuple())
              .get(0)
              .getLong(0));
      List<MultiGauge.Row<?>> byStatus = new ArrayList<>();
      for (Row row :
          query("SELECT status, count(*) FROM customer GROUP BY status", Tuple.tuple())) {
        byStatus.add(MultiGauge.Row.of(Tags.of("status", row.getString(0)), row.getLong(1)));
      }
      customers.register(byStatus, true);
      List<MultiGauge.Row<?>> durations = new ArrayList<>();
      for (Row row :
          query(
              "SELECT t.customer_id, extract(epoch FROM"
                  + " max(t.occurred_at) FILTER (WHERE t.event_type = $1)"
                  + " - min(t.occurred_at) FILTER (WHERE t.event_type = $2))"
                  + " FROM timeline t JOIN customer c"
                  + " ON c.id = t.customer_id AND c.generation = t.generation"
                  + " WHERE t.event_type IN ($1, $2) AND c.status NOT IN ('ARCHIVED', 'DEPROVISIONED')"
                  + " GROUP BY t.customer_id",
              Tuple.of(
                  EventType.CUSTOMER_READY.wireType(), EventType.CUSTOMER_REQUESTED.wireType()))) {
        if (row.getValue(1) != null) {
          durations.add(
              MultiGauge.Row.of(
                  Tags.of("customer", row.getString(0)), row.getNumeric(1).doubleValue()));
        }
      }
      provisioning.register(durations, true);
    } catch (RuntimeException e) {
      LOG.debugf("outcome=fleet-gauges-unread reason=\"%s\"", e.getMessage());
    }
  }

  /** Takes the gauges off the registry when the application stops (see OutboxBacklog#close). */
  @PreDestroy
  void close() {
    metrics.remove(deadLetters);
    customers.register(List.of(), true);
    provisioning.register(List.of(), true);
  }

  private List<Row> query(String sql, Tuple params) {
    List<Row> rows = new ArrayList<>();
    pool.preparedQuery(sql).execute(params).await().atMost(WAIT).forEach(rows::add);
    return rows;
  }
}
