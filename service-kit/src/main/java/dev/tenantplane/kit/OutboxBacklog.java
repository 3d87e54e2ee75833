package dev.tenantplane.kit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The outbox's backlog on the metrics page: {@code tenantplane_outbox_unsent} rows, the oldest of
 * them {@code tenantplane_outbox_oldest_unsent_seconds} old. A backlog that keeps growing means
 * events are accepted but not reaching the broker. Read on the relay's schedule, not per scrape, so
 * a scrape never waits on the database.
 */
@ApplicationScoped
public class OutboxBacklog {
  private static final Logger LOG = Logger.getLogger(OutboxBacklog.class);

  private final AtomicLong unsent = new AtomicLong();
  private final AtomicLong oldestSeconds = new AtomicLong();

  public OutboxBacklog(MeterRegistry metrics) {
    Gauge.builder("tenantplane.outbox.unsent", unsent, AtomicLong::get)
        .description("outbox rows not yet published")
        .register(metrics);
    Gauge.builder("tenantplane.outbox.oldest.unsent", oldestSeconds, AtomicLong::get)
        .description("age of the oldest outbox row not yet published")
        .baseUnit("seconds")
        .register(metrics);
  }

  @Scheduled(
      every = "${tenantplane.kit.outbox-backlog-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refresh() {
    return Panache.withSession(
            () ->
                Panache.getSession()
                    .chain(
                        session ->
                            session
                                .createNativeQuery(
                                    "SELECT count(*), coalesce(floor(extract(epoch FROM now() -"
                                        + " min(created_at))), 0) FROM outbox"
                                        + " WHERE sent_at IS NULL",
                                    Object[].class)
                                .getSingleResult()))
        .invoke(
            row -> {
              unsent.set(((Number) row[0]).longValue());
              oldestSeconds.set(((Number) row[1]).longValue());
            })
        .onFailure()
        .invoke(e -> LOG.debugf("outcome=outbox-backlog-unread reason=\"%s\"", e.getMessage()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }
}
