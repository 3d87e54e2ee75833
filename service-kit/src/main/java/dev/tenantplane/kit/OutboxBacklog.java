package dev.tenantplane.kit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The outbox's backlog on the metrics page: {@code tenantplane_outbox_unsent} rows, the oldest of
 * them {@code tenantplane_outbox_oldest_unsent_seconds} old. A backlog that keeps growing means
 * events are accepted but do not reach the broker. It is read on a thread of its own every {@code
 * outbox-backlog-interval}: not per scrape, so a scrape never waits on the database, and not on the
 * relay's thread, which is stuck in a send exactly while the broker is away.
 */
@ApplicationScoped
public class OutboxBacklog {
  private static final Logger LOG = Logger.getLogger(OutboxBacklog.class);

  private final AtomicLong unsent = new AtomicLong();
  private final AtomicLong oldestSeconds = new AtomicLong();
  private final KitSettings settings;
  private final MeterRegistry metrics;
  private final List<Gauge> gauges;
  private final ScheduledExecutorService reader =
      Executors.newSingleThreadScheduledExecutor(
          work -> {
            Thread thread = new Thread(work, "outbox-backlog");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean stopping;

  public OutboxBacklog(KitSettings settings, MeterRegistry metrics) {
    this.settings = settings;
    this.metrics = metrics;
    gauges =
        List.of(
            Gauge.builder("tenantplane.outbox.unsent", unsent, AtomicLong::get)
                .description("outbox rows not yet published")
                .strongReference(true)
                .register(metrics),
            Gauge.builder("tenantplane.outbox.oldest.unsent", oldestSeconds, AtomicLong::get)
                .description("age of the oldest outbox row not yet published")
                .baseUnit("seconds")
                .strongReference(true)
                .register(metrics));
  }

  void onStart(@Observes StartupEvent event) {
    long every = settings.outboxBacklogInterval().toMillis();
    reader.scheduleWithFixedDelay(this::refresh, 0, every, TimeUnit.MILLISECONDS);
  }

  private void refresh() {
    if (stopping) {
      return;
    }
    try {
      Object[] row =
          VertxContextSupport.subscribeAndAwait(
              () ->
                  Panache.withSession(
                      () ->
                          Panache.getSession()
                              .chain(
                                  session ->
                                      session
                                          .createNativeQuery(
                                              "SELECT count(*), coalesce(floor(extract(epoch FROM"
                                                  + " now() - min(created_at))), 0) FROM outbox"
                                                  + " WHERE sent_at IS NULL",
                                              Object[].class)
                                          .getSingleResult())));
      unsent.set(((Number) row[0]).longValue());
      oldestSeconds.set(((Number) row[1]).longValue());
    } catch (Throwable e) {
      // The last reading stays; the database being away shows on readiness, not here.
      LOG.debugf("outcome=outbox-backlog-unread reason=\"%s\"", e.getMessage());
    }
  }

  /** Rows not yet published, as last read. */
  long unsent() {
    return unsent.get();
  }

  /** Age in seconds of the oldest row not yet published, as last read (0 for none). */
  long oldestUnsentSeconds() {
    return oldestSeconds.get();
  }

  void onShutdown(@Observes ShutdownEvent event) {
    stopping = true;
  }

  /**
   * Also takes the gauges off the registry: the global registry would otherwise hand these, with
   * their last values, to the registry of an application started after this one in the same JVM (as
   * tests do), where they would hide that application's own.
   */
  @PreDestroy
  void close() {
    reader.shutdownNow();
    gauges.forEach(metrics::remove);
  }
}
